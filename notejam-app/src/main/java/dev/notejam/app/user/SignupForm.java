package dev.notejam.app.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record SignupForm(
        @NotBlank(message = "Email is required")
        @Email(message = "Enter a valid email address")
        @Size(max = 75, message = "Email must be at most 75 characters")
        String email,
        @NotBlank(message = "Password is required")
        @Size(min = 8, message = "Password must be at least 8 characters") @FitsBcrypt
        String password,
        @NotBlank(message = "Repeat the password")
        String repeatPassword) {

    public static SignupForm empty() {
        return new SignupForm("", "", "");
    }
}
