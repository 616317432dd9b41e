package dev.notejam.app.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record SettingsForm(
        @NotBlank(message = "Current password is required") @Size(max = 1024, message = "Password is too long")
        String currentPassword,
        @NotBlank(message = "New password is required")
        @Size(min = 8, message = "Password must be at least 8 characters") @FitsBcrypt
        String newPassword,
        @NotBlank(message = "Repeat the new password")
        String repeatPassword) {

    public static SettingsForm empty() {
        return new SettingsForm("", "", "");
    }
}
