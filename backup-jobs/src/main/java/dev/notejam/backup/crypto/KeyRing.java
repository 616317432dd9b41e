package dev.notejam.backup.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The key that wraps new backups plus the retired keys that may still unwrap old ones: rotating a local key is
 * "make the new key current, keep the old one in the previous keys until its last backup has expired".
 */
public record KeyRing(KeyEncryptionKey current, List<KeyEncryptionKey> previous) {

    public KeyRing {
        previous = List.copyOf(previous);
    }

    public static KeyRing of(KeyEncryptionKey current) {
        return new KeyRing(current, List.of());
    }

    /** The key that can open a header naming {@code storedKeyId}: an exact id match first, then one that may try. */
    public Optional<KeyEncryptionKey> forUnwrapping(String storedKeyId) {
        List<KeyEncryptionKey> all = all();
        return all.stream().filter(k -> k.keyId().equals(storedKeyId)).findFirst()
                .or(() -> all.stream().filter(k -> k.mayUnwrap(storedKeyId)).findFirst());
    }

    public List<KeyEncryptionKey> all() {
        List<KeyEncryptionKey> all = new ArrayList<>();
        all.add(current);
        all.addAll(previous);
        return all;
    }

    public String describe() {
        StringBuilder text = new StringBuilder(current.keyId()).append(" (current)");
        previous.forEach(k -> text.append(", ").append(k.keyId()).append(" (previous)"));
        return text.toString();
    }
}
