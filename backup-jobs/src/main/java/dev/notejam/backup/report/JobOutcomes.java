package dev.notejam.backup.report;

import dev.notejam.backup.pipeline.Toolbox;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Publishes how a backup or verify run ended through the configured sink. Publishing never changes the run's exit
 * code: a backup that is stored must not fail (the CronJob would take a second one), and a failure keeps its own
 * message. A metric that could not be published is logged; the log-line alarms still see the run's last line.
 */
public final class JobOutcomes {

    private JobOutcomes() {
    }

    public static void succeeded(Toolbox tools, String command, Instant started, OptionalLong sizeBytes) {
        commandOf(command).ifPresent(c -> publish(tools, JobOutcome.succeeded(c, tools.settings().environment(), started,
                tools.clock().instant(), sizeBytes)));
    }

    public static void failed(Toolbox tools, String command, Instant started) {
        commandOf(command).ifPresent(c -> publish(tools, JobOutcome.failed(c, tools.settings().environment(), started,
                tools.clock().instant())));
    }

    private static Optional<JobOutcome.Command> commandOf(String command) {
        return switch (command) {
            case "backup" -> Optional.of(JobOutcome.Command.BACKUP);
            case "verify" -> Optional.of(JobOutcome.Command.VERIFY);
            default -> Optional.empty();
        };
    }

    private static void publish(Toolbox tools, JobOutcome outcome) {
        try {
            tools.metrics().publish(outcome);
        } catch (RuntimeException e) {
            tools.log().warn("metrics", outcome.command().name().toLowerCase() + " outcome not published: " + e.getMessage(), Map.of());
        }
    }
}
