package dev.notejam.app.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record ResetPasswordForm(
        @NotBlank(message = "New password is required")
        @Size(min = 8, message = "Password must be at least 8 characters") @FitsBcrypt
        String newPassword,
        @NotBlank(message = "Repeat the new password")
        String repeatPassword) {
}
