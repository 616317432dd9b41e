package dev.notejam.backup.crypto;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.security.GeneralSecurityException;

final class TinkSetup {

    private static volatile boolean registered;

    private TinkSetup() {
    }

    static synchronized void register() {
        if (registered) {
            return;
        }
        try {
            AeadConfig.register();
            StreamingAeadConfig.register();
            registered = true;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot register Tink primitives", e);
        }
    }
}
