package dev.notejam.app.user;

import dev.notejam.app.web.RateLimiter;
import dev.notejam.app.web.RateLimiter.Decision;
import dev.notejam.app.web.RateLimiter.Limit;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.notejam.app.config.NotejamProperties;

@Controller
class PasswordResetController {

    static final String LINK_ON_ITS_WAY = "If this email is registered, a password reset link is on its way.";
    static final String PASSWORD_RESET = "Your password is changed. Now you can sign in.";
    private final PasswordResetService resets;
    private final RateLimiter limiter;
    private final Limit perAddress;
    private final Limit perAccount;

    PasswordResetController(PasswordResetService resets, RateLimiter limiter, NotejamProperties properties) {
        this.resets = resets;
        this.limiter = limiter;
        NotejamProperties.Limits limits = properties.limits();
        this.perAddress = new Limit("reset-address", limits.resetRequestsPerAddress(), limits.resetWindow());
        this.perAccount = new Limit("reset-account", limits.resetRequestsPerAccount(), limits.resetWindow());
    }

    @GetMapping({"/forgot-password/", "/forgot-password"})
    String forgotForm(Model model) {
        model.addAttribute("form", new ForgotPasswordForm(""));
        return "user/forgot-password";
    }

    @PostMapping({"/forgot-password/", "/forgot-password"})
    String forgot(@Valid @ModelAttribute("form") ForgotPasswordForm form, BindingResult errors, Model model,
                  HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
        if (errors.hasErrors()) {
            return "user/forgot-password";
        }
        // Counted whether or not the address is registered, so the limit reveals nothing either.
        Decision address = limiter.hit(perAddress, request.getRemoteAddr());
        Decision account = limiter.hit(perAccount, form.email());
        if (!address.allowed() || !account.allowed()) {
            long minutes = Math.max(address.allowed() ? 0 : address.retryAfterMinutes(), account.allowed() ? 0 : account.retryAfterMinutes());
            model.addAttribute("error", "Too many password reset requests. Try again in " + minutes + " minutes.");
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            return "user/forgot-password";
        }
        resets.requestReset(form.email());
        redirect.addFlashAttribute("message", LINK_ON_ITS_WAY);
        return "redirect:/forgot-password/";
    }

    @GetMapping({"/reset-password/{token}/", "/reset-password/{token}"})
    String resetForm(@PathVariable String token, Model model, HttpServletResponse response) {
        if (!resets.isUsable(token)) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return "user/reset-invalid";
        }
        model.addAttribute("token", token);
        model.addAttribute("form", new ResetPasswordForm("", ""));
        return "user/reset-password";
    }

    @PostMapping({"/reset-password/{token}/", "/reset-password/{token}"})
    String reset(@PathVariable String token, @Valid @ModelAttribute("form") ResetPasswordForm form, BindingResult errors,
                 Model model, HttpServletResponse response, RedirectAttributes redirect) {
        if (!resets.isUsable(token)) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return "user/reset-invalid";
        }
        if (!errors.hasFieldErrors("newPassword") && !errors.hasFieldErrors("repeatPassword")
                && !form.newPassword().equals(form.repeatPassword())) {
            errors.rejectValue("repeatPassword", "mismatch", "Passwords do not match");
        }
        if (errors.hasErrors()) {
            model.addAttribute("token", token);
            return "user/reset-password";
        }
        if (!resets.resetPassword(token, form.newPassword())) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return "user/reset-invalid";
        }
        redirect.addFlashAttribute("message", PASSWORD_RESET);
        return "redirect:/signin/";
    }
}
