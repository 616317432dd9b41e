package dev.notejam.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notejam.backup.storage.BackupName.Trigger;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The object key layout of DESIGN.md section 8, which the chart, Terraform lifecycle rules and runbook rely on. */
class BackupNameTest {

    @Test
    void keysFollowTheDesignLayoutInUtc() {
        BackupName name = BackupName.of("prod", ZonedDateTime.parse("2026-01-02T00:30:59+01:00[Europe/Paris]"), Trigger.PREDEPLOY);
        assertThat(name.dumpKey()).isEqualTo("prod/postgres/2026/01/202601012330-predeploy.dump.zst.enc");
        assertThat(name.manifestKey()).isEqualTo("prod/postgres/2026/01/202601012330-predeploy.manifest.json");
        assertThat(name.takenAt()).isEqualTo(LocalDateTime.of(2026, 1, 1, 23, 30));
    }

    @Test
    void dumpKeysParseBackAndEverythingElseIsIgnored() {
        assertThat(BackupName.parseDumpKey("prod-dr/postgres/2026/11/202611220450-scheduled.dump.zst.enc"))
                .hasValueSatisfying(n -> {
                    assertThat(n.environment()).isEqualTo("prod-dr");
                    assertThat(n.trigger()).isEqualTo(Trigger.SCHEDULED);
                    assertThat(n.stamp()).isEqualTo("202611220450");
                });
        assertThat(BackupName.parseDumpKey("prod/postgres/2026/11/202611220450-scheduled.manifest.json")).isEmpty();
        assertThat(BackupName.parseDumpKey("prod/postgres/2026/10/202611220450-scheduled.dump.zst.enc")).as("month folder mismatch").isEmpty();
        assertThat(BackupName.parseDumpKey("prod/postgres/2026/11/202611220450-nightly.dump.zst.enc")).isEmpty();
        assertThat(BackupName.parseDumpKey("prod/postgres/2026/11/")).isEmpty();
    }

    @Test
    void triggersAreTheThreeOfTheContract() {
        assertThat(Trigger.parse("Manual")).isEqualTo(Trigger.MANUAL);
        assertThatThrownBy(() -> Trigger.parse("hourly")).hasMessageContaining("scheduled, manual or predeploy");
    }
}
