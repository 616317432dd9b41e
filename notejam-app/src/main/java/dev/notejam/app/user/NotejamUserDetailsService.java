package dev.notejam.app.user;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Loads credentials by e-mail; the principal stored in the session is Spring's plain {@code User} (JSON-friendly). */
@Service
class NotejamUserDetailsService implements UserDetailsService {

    private final UserRepository users;

    NotejamUserDetailsService(UserRepository users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String email) {
        User user = users.findByEmailIgnoreCase(email.strip())
                .orElseThrow(() -> new UsernameNotFoundException("unknown account"));
        return org.springframework.security.core.userdetails.User.withUsername(user.email())
                .password(user.passwordHash())
                .roles("USER")
                .build();
    }
}
