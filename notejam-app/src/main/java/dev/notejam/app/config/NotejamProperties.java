package dev.notejam.app.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.ZoneId;

/**
 * App settings under {@code notejam.*} (environment: {@code NOTEJAM_*}).
 *
 * @param timeZone       zone in which "smart dates" are shown
 * @param maxRequestBody bodies larger than this answer 413 before they are read
 * @param baseUrl        public URL of the app, used in e-mailed links
 * @param mailFrom       sender address of e-mails
 */
@ConfigurationProperties("notejam")
public record NotejamProperties(ZoneId timeZone, DataSize maxRequestBody, String baseUrl, String mailFrom) {

    public NotejamProperties {
        timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
        maxRequestBody = maxRequestBody == null ? DataSize.ofKilobytes(64) : maxRequestBody;
        baseUrl = baseUrl == null ? "http://localhost:8080" : baseUrl.replaceAll("/+$", "");
        mailFrom = mailFrom == null ? "notejam@localhost" : mailFrom;
    }
}
