package dev.notejam.app;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up steps are recorded only when asked for (NOTEJAM_STARTUP_STEPS), with a sane number. */
class StartupStepsTest {

    @Test
    void stepsAreRecordedOnlyForAPositiveNumber() {
        assertThat(NotejamApplication.application("10000").getApplicationStartup()).isInstanceOf(BufferingApplicationStartup.class);
        for (String notANumber : new String[]{null, "", "0", "-5", "lots", "99999999999"}) {
            assertThat(NotejamApplication.application(notANumber).getApplicationStartup())
                    .as("NOTEJAM_STARTUP_STEPS=%s", notANumber).isNotInstanceOf(BufferingApplicationStartup.class);
        }
    }
}
