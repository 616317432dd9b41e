package dev.notejam.backup.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** DESIGN.md section 3: a missing tool skips loudly outside CI and fails with CI=true. */
public final class RequiredTool {

    private RequiredTool() {
    }

    public static void missing(String what) {
        String message = "*** " + what + " ***";
        System.err.println(message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: failing instead of skipping; ci/setup.d/20-postgresql-server.sh installs it)");
        }
        Assumptions.abort(message + " (skipped outside CI)");
    }
}
