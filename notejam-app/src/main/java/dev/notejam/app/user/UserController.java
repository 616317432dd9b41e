package dev.notejam.app.user;

import dev.notejam.app.web.SafeRedirects;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

@Controller
class UserController {

    static final String SIGNED_UP = "Account is created. Now you can sign in.";
    static final String WRONG_CREDENTIALS = "Wrong email or password";
    static final String PASSWORD_CHANGED = "Password is successfully changed";

    private final AccountService accounts;
    private final SignInThrottle throttle;
    private final CurrentUser currentUser;
    private final AuthenticationManager authenticationManager;
    private final SecurityContextRepository securityContextRepository;
    private final SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

    UserController(AccountService accounts, SignInThrottle throttle, CurrentUser currentUser,
                   AuthenticationManager authenticationManager, SecurityContextRepository securityContextRepository) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.currentUser = currentUser;
        this.authenticationManager = authenticationManager;
        this.securityContextRepository = securityContextRepository;
    }

    @GetMapping({"/signup/", "/signup"})
    String signupForm(Model model) {
        model.addAttribute("form", SignupForm.empty());
        return "user/signup";
    }

    @PostMapping({"/signup/", "/signup"})
    String signup(@Valid @ModelAttribute("form") SignupForm form, BindingResult errors, RedirectAttributes redirect) {
        if (!errors.hasFieldErrors("password") && !errors.hasFieldErrors("repeatPassword")
                && !form.password().equals(form.repeatPassword())) {
            errors.rejectValue("repeatPassword", "mismatch", "Passwords do not match");
        }
        if (errors.hasErrors()) {
            return "user/signup";
        }
        if (accounts.signUp(form.email(), form.password()).isEmpty()) {
            errors.rejectValue("email", "exists", "User with this email already exists");
            return "user/signup";
        }
        redirect.addFlashAttribute("message", SIGNED_UP);
        return "redirect:/signin/";
    }

    @GetMapping({"/signin/", "/signin"})
    String signinForm(@RequestParam(required = false) String next, Model model) {
        model.addAttribute("form", SigninForm.empty());
        model.addAttribute("next", SafeRedirects.localPathOrRoot(next));
        return "user/signin";
    }

    @PostMapping({"/signin/", "/signin"})
    String signin(@Valid @ModelAttribute("form") SigninForm form, BindingResult errors,
                  @RequestParam(required = false) String next, Model model,
                  HttpServletRequest request, HttpServletResponse response) {
        String target = SafeRedirects.localPathOrRoot(next);
        model.addAttribute("next", target);
        if (errors.hasErrors()) {
            return "user/signin";
        }
        String email = form.email().strip();
        String address = request.getRemoteAddr();
        var refusal = throttle.refusal(email, address);
        if (refusal.isPresent()) {
            model.addAttribute("error", refusal.get());
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            return "user/signin";
        }
        Authentication authentication;
        try {
            authentication = authenticationManager.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(email, form.password()));
        } catch (AuthenticationException wrong) {
            throttle.failed(email, address);
            model.addAttribute("error", WRONG_CREDENTIALS);
            return "user/signin";
        }
        throttle.succeeded(email);
        // New session id at sign-in (no fixation), then store the context in the Redis-backed session.
        request.getSession(true);
        request.changeSessionId();
        SecurityContext context = contextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        contextHolder.setContext(context);
        securityContextRepository.saveContext(context, request, response);
        return "redirect:" + target;
    }

    @GetMapping({"/settings/", "/settings"})
    String settingsForm(Model model) {
        model.addAttribute("form", SettingsForm.empty());
        return "user/settings";
    }

    @PostMapping({"/settings/", "/settings"})
    String changePassword(@Valid @ModelAttribute("form") SettingsForm form, BindingResult errors,
                          HttpServletRequest request, RedirectAttributes redirect) {
        User user = currentUser.get();
        if (!errors.hasFieldErrors("currentPassword") && !accounts.passwordMatches(user, form.currentPassword())) {
            errors.rejectValue("currentPassword", "wrong", "Current password is wrong");
        }
        if (!errors.hasFieldErrors("newPassword") && !errors.hasFieldErrors("repeatPassword")
                && !form.newPassword().equals(form.repeatPassword())) {
            errors.rejectValue("repeatPassword", "mismatch", "Passwords do not match");
        }
        if (errors.hasErrors()) {
            return "user/settings";
        }
        accounts.changePassword(user, form.newPassword(), request.getSession().getId());
        redirect.addFlashAttribute("message", PASSWORD_CHANGED);
        return "redirect:/settings/";
    }
}
