package dev.notejam.backup;

import dev.notejam.backup.config.SettingsException;
import dev.notejam.backup.roles.RoleProvisioner;
import dev.notejam.backup.roles.RoleSettings;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code notejam-backup provision-roles}: the Helm hook that runs before the migration Job, as the master user,
 * creating the app and backup roles ({@link RoleProvisioner}). Needs none of the backup settings (bucket, keys).
 */
@Command(name = "provision-roles", description = "Create or correct the app and backup database roles (idempotent), as the master user from PG* variables.")
final class ProvisionRolesCommand implements Callable<Integer> {

    BackupCli.Runtime runtime;

    @Override
    public Integer call() {
        RoleSettings settings;
        try {
            settings = RoleSettings.from(runtime.environment());
        } catch (SettingsException e) {
            runtime.err().println("notejam-backup provision-roles: configuration error: " + e.getMessage());
            return BackupCli.BAD_SETTINGS;
        }
        try {
            List<String> changes = new RoleProvisioner(settings, change -> runtime.out().println("provision-roles: " + change)).run();
            runtime.out().println("provision-roles: " + (changes.isEmpty()
                    ? "roles " + settings.appRole() + " and " + settings.backupRole() + " already as required, nothing changed"
                    : changes.size() + " changes, roles " + settings.appRole() + " and " + settings.backupRole() + " as required"));
            return 0;
        } catch (BackupFailure e) {
            runtime.err().println("notejam-backup provision-roles FAILED: " + e.getMessage());
            return e.exitCode();
        }
    }
}
