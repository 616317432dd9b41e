package dev.notejam.app.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record SigninForm(
        @NotBlank(message = "Email is required") @Size(max = 255, message = "Email is too long") String email,
        @NotBlank(message = "Password is required") @Size(max = 1024, message = "Password is too long") String password) {

    public static SigninForm empty() {
        return new SigninForm("", "");
    }
}
