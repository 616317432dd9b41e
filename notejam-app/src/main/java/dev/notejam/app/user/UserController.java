package dev.notejam.app.user;

import dev.notejam.app.web.SafeRedirects;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import dev.notejam.app.config.NotejamProperties;
import dev.notejam.app.web.RateLimiter;
import dev.notejam.app.web.RateLimiter.Decision;
import dev.notejam.app.web.RateLimiter.Limit;
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
    private final CsrfAuthenticationStrategy newCsrfToken;
    private final RateLimiter limiter;
    private final Limit signUpsPerAddress;
    private final SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

    UserController(AccountService accounts, SignInThrottle throttle, CurrentUser currentUser,
                   AuthenticationManager authenticationManager, SecurityContextRepository securityContextRepository,
                   CsrfTokenRepository csrfTokens, RateLimiter limiter, NotejamProperties properties) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.currentUser = currentUser;
        this.authenticationManager = authenticationManager;
        this.securityContextRepository = securityContextRepository;
        this.newCsrfToken = new CsrfAuthenticationStrategy(csrfTokens);
        this.limiter = limiter;
        NotejamProperties.Limits limits = properties.limits();
        this.signUpsPerAddress = new Limit("signup-address", limits.signUpsPerAddress(), limits.signUpWindow());
    }

    @GetMapping({"/signup/", "/signup"})
    String signupForm(Model model) {
        model.addAttribute("form", SignupForm.empty());
        return "user/signup";
    }

    @PostMapping({"/signup/", "/signup"})
    String signup(@Valid @ModelAttribute("form") SignupForm form, BindingResult errors, Model model,
                  HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
        if (!errors.hasFieldErrors("password") && !errors.hasFieldErrors("repeatPassword")
                && !form.password().equals(form.repeatPassword())) {
            errors.rejectValue("repeatPassword", "mismatch", "Passwords do not match");
        }
        if (errors.hasErrors()) {
            return "user/signup";
        }
        // Sign-up tells whether an e-mail is registered, so it is limited like the sign-in and reset forms.
        Decision address = limiter.hit(signUpsPerAddress, request.getRemoteAddr());
        if (!address.allowed()) {
            long minutes = address.retryAfterMinutes();
            model.addAttribute("error", "Too many sign-ups from your address. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes."));
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
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
        var refusal = throttle.admit(email, address);
        if (refusal.isPresent()) {
            model.addAttribute("error", refusal.get());
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            return "user/signin";
        }
        Authentication authentication;
        try {
            authentication = authenticationManager.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(email, form.password()));
        } catch (InternalAuthenticationServiceException storeUnreadable) {
            // Not a wrong password: the accounts could not be read (the database is down). Neither counted as a
            // failure nor shown as one: its cause goes on to DependencyOutageFilter, which answers 503 with the
            // e-mail kept (as an AuthenticationException, Spring Security would redirect to the sign-in page).
            throw storeUnreadable.getCause() instanceof RuntimeException cause ? cause : storeUnreadable;
        } catch (AuthenticationException wrong) {
            throttle.failed(email);
            model.addAttribute("error", WRONG_CREDENTIALS);
            return "user/signin";
        }
        throttle.succeeded(email, address);
        // The first session of the visit, or a new id for an existing one (no fixation), and a new CSRF token.
        request.getSession(true);
        request.changeSessionId();
        newCsrfToken.onAuthentication(authentication, request, response);
        // Without the sign-in time that Spring Security adds as a FACTOR_PASSWORD authority, every session of a user
        // stores the same context JSON, which SecurityContextReadCache then reads once per user, not once per sign-in.
        UserDetails user = (UserDetails) authentication.getPrincipal();
        SecurityContext context = contextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
        contextHolder.setContext(context);
        securityContextRepository.saveContext(context, request, response);
        accounts.forgetExpiredSessions(user.getUsername());
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
