package dev.notejam.app.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record ResetPasswordForm(
        @NotBlank(message = "New password is required")
        @Size(min = 8, max = 128, message = "Password must be 8 to 128 characters")
        String newPassword,
        @NotBlank(message = "Repeat the new password")
        String repeatPassword) {
}
