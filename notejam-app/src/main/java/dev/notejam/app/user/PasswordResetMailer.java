package dev.notejam.app.user;

import dev.notejam.app.config.NotejamProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskExecutor;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Sends reset links over SMTP (SPRING_MAIL_*), off the request thread: a registered address must not answer
 * measurably slower than an unknown one.
 * <p>
 * Whether mail is configured is read from the environment when a mail is sent, not from whether a mail sender bean
 * exists: under Spring AOT (the fast-start image) the beans are fixed at build time, where the build declares a mail
 * host (notejam-app/pom.xml, process-aot) so that the sender is always there.
 */
@Component
class PasswordResetMailer {

    private static final Logger log = LoggerFactory.getLogger(PasswordResetMailer.class);

    private final ObjectProvider<JavaMailSender> mailSender;
    private final TaskExecutor executor;
    private final NotejamProperties properties;
    private final Environment environment;

    PasswordResetMailer(ObjectProvider<JavaMailSender> mailSender, TaskExecutor applicationTaskExecutor,
                        NotejamProperties properties, Environment environment) {
        this.mailSender = mailSender;
        this.executor = applicationTaskExecutor;
        this.properties = properties;
        this.environment = environment;
    }

    void sendResetLink(String to, String link, Duration validFor) {
        JavaMailSender sender = mailSender.getIfAvailable();
        if (sender == null || environment.getProperty("spring.mail.host", "").isBlank()) {
            log.warn("No SMTP server configured (SPRING_MAIL_HOST): a password reset mail was not sent");
            return;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(properties.mailFrom());
        message.setTo(to);
        message.setSubject("Reset your Notejam password");
        message.setText("""
                Someone asked to reset the password of your Notejam account.

                Open this link within %d minutes to choose a new password:
                %s

                The link works once. If you did not ask for it, ignore this mail: your password stays as it is.
                """.formatted(validFor.toMinutes(), link));
        executor.execute(() -> {
            try {
                sender.send(message);
            } catch (MailException e) {
                log.error("Password reset mail could not be sent: {}", e.getMessage());
            }
        });
    }
}
