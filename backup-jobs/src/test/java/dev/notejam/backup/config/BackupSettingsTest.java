package dev.notejam.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupSettingsTest {

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("BACKUP_DATABASE_URL", "jdbc:postgresql://db.internal:5432/notejam?sslmode=require");
        env.put("BACKUP_DATABASE_USERNAME", "notejam_backup");
        env.put("BACKUP_DATABASE_PASSWORD", "s3cr3t-password");
        env.put("BACKUP_ENVIRONMENT", "prod");
        env.put("BACKUP_S3_BUCKET", "notejam-prod-backups");
        env.put("BACKUP_KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/mrk-1234");
        return env;
    }

    @Test
    void defaultsFollowTheContract() {
        BackupSettings settings = BackupSettings.from(minimal());
        assertThat(settings.metricsSink()).isEqualTo(BackupSettings.MetricsSinkKind.LOG);
        assertThat(settings.s3Endpoint()).isEmpty();
        assertThat(settings.s3PathStyle()).isFalse();
        assertThat(settings.objectLockDays()).isEmpty();
        assertThat(settings.s3MaxAttempts()).isEqualTo(5);
        assertThat(settings.toString()).doesNotContain("s3cr3t-password").contains("notejam-prod-backups");
    }

    @Test
    void everyProblemNamesItsVariable() {
        Map<String, String> noBucket = minimal();
        noBucket.remove("BACKUP_S3_BUCKET");
        assertThatThrownBy(() -> BackupSettings.from(noBucket)).hasMessageContaining("BACKUP_S3_BUCKET is required");

        Map<String, String> twoKeys = minimal();
        twoKeys.put("BACKUP_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assertThatThrownBy(() -> BackupSettings.from(twoKeys)).hasMessageContaining("exactly one of BACKUP_KMS_KEY_ARN");

        Map<String, String> shortKey = minimal();
        shortKey.remove("BACKUP_KMS_KEY_ARN");
        shortKey.put("BACKUP_ENCRYPTION_KEY", "c2hvcnQ=");
        assertThatThrownBy(() -> BackupSettings.from(shortKey)).hasMessageContaining("must decode to 32 bytes, got 5");

        Map<String, String> badSink = minimal();
        badSink.put("BACKUP_METRICS_SINK", "statsd");
        assertThatThrownBy(() -> BackupSettings.from(badSink)).hasMessageContaining("BACKUP_METRICS_SINK");

        Map<String, String> badDays = minimal();
        badDays.put("BACKUP_OBJECT_LOCK_DAYS", "-3");
        assertThatThrownBy(() -> BackupSettings.from(badDays)).hasMessageContaining("BACKUP_OBJECT_LOCK_DAYS must be a positive");

        Map<String, String> previousWithKms = minimal();
        previousWithKms.put("BACKUP_PREVIOUS_ENCRYPTION_KEYS", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assertThatThrownBy(() -> BackupSettings.from(previousWithKms)).hasMessageContaining("BACKUP_PREVIOUS_ENCRYPTION_KEYS is for local keys only");

        Map<String, String> badPrevious = minimal();
        badPrevious.remove("BACKUP_KMS_KEY_ARN");
        badPrevious.put("BACKUP_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        badPrevious.put("BACKUP_PREVIOUS_ENCRYPTION_KEYS", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=, c2hvcnQ=");
        assertThatThrownBy(() -> BackupSettings.from(badPrevious)).hasMessageContaining("BACKUP_PREVIOUS_ENCRYPTION_KEYS must decode to 32 bytes, got 5");
        badPrevious.put("BACKUP_PREVIOUS_ENCRYPTION_KEYS", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=, AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=");
        assertThat(BackupSettings.from(badPrevious).previousEncryptionKeys()).hasSize(2);
        assertThat(BackupSettings.from(badPrevious).toString()).contains("previousKeys=2").doesNotContain("AQEBAQ");

        Map<String, String> notJdbc = minimal();
        notJdbc.put("BACKUP_DATABASE_URL", "postgres://db/notejam");
        assertThatThrownBy(() -> BackupSettings.from(notJdbc)).hasMessageContaining("jdbc:postgresql://");
    }
}
