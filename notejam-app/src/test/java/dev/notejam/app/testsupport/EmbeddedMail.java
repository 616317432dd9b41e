package dev.notejam.app.testsupport;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real SMTP server (GreenMail) on 127.0.0.1 that keeps what it receives, for the local run and the tests. */
public final class EmbeddedMail implements AutoCloseable {

    private static EmbeddedMail shared;
    private final GreenMail greenMail;

    private EmbeddedMail(int port) {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    public static synchronized EmbeddedMail shared() {
        if (shared == null) {
            shared = start(EmbeddedDataStores.freePort());
        }
        return shared;
    }

    public static EmbeddedMail start(int port) {
        return new EmbeddedMail(port);
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    public MimeMessage[] received() {
        return greenMail.getReceivedMessages();
    }

    /** Waits (at most {@code timeout}, polling) for a mail to {@code to}; returns the newest one. */
    public Optional<MimeMessage> awaitMailTo(String to, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        do {
            Optional<MimeMessage> found = Arrays.stream(received()).filter(m -> isTo(m, to)).reduce((a, b) -> b);
            if (found.isPresent()) {
                return found;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        } while (Instant.now().isBefore(deadline));
        return Optional.empty();
    }

    public long countTo(String to) {
        return Arrays.stream(received()).filter(m -> isTo(m, to)).count();
    }

    private static boolean isTo(MimeMessage message, String to) {
        try {
            return Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equalsIgnoreCase(to));
        } catch (MessagingException e) {
            return false;
        }
    }

    public static String body(MimeMessage message) {
        return GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "=");
    }

    /** The first http(s) link in a mail's body. */
    public static Optional<String> firstLink(MimeMessage message) {
        Matcher matcher = Pattern.compile("https?://\\S+").matcher(body(message));
        return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
