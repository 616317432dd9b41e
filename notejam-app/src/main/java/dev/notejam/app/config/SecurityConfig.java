package dev.notejam.app.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.util.UriComponentsBuilder;

@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    private static final String[] PUBLIC_PATHS = {
            "/signup/", "/signup", "/signin/", "/signin", "/forgot-password/", "/forgot-password",
            "/reset-password/**", "/css/**", "/images/**", "/favicon.ico", "/error"};

    /**
     * Actuator endpoints live on the management port (8081), which the ingress never exposes; probes and scrapers
     * must not be redirected to sign in, nor create sessions in Redis.
     */
    @Bean
    @Order(1)
    @ConditionalOnWebApplication
    SecurityFilterChain managementFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/actuator/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    @ConditionalOnWebApplication
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityContextRepository contextRepository,
                                           CsrfTokenRepository csrfTokens) throws Exception {
        http
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(PUBLIC_PATHS).permitAll()
                        .anyRequest().authenticated())
                .securityContext(context -> context.securityContextRepository(contextRepository))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(signInWithNext()))
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .requestCache(cache -> cache.disable())
                .logout(logout -> logout
                        .logoutUrl("/signout/")
                        .logoutSuccessUrl("/signin/")
                        .invalidateHttpSession(true)
                        .deleteCookies("SESSION"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                        // Sent only on secure requests; behind the ALB that is X-Forwarded-Proto from a trusted proxy.
                        .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)));
        return http.build();
    }

    /** Anonymous visitors go to the sign-in page and come back to what they wanted (a local path only). */
    private static AuthenticationEntryPoint signInWithNext() {
        return (request, response, exception) -> {
            String wanted = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
            String location = "/".equals(wanted) ? "/signin/"
                    : UriComponentsBuilder.fromPath("/signin/").queryParam("next", "{next}").encode().buildAndExpand(wanted).toUriString();
            response.sendRedirect(location);
        };
    }

    @Bean
    CsrfTokenRepository csrfTokenRepository() {
        return new CsrfCookieTokens();
    }

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    /**
     * bcrypt by default, with the algorithm id stored so it can be upgraded later. bcrypt cannot hash more than 72
     * bytes: the forms that set a password say so ({@code FitsBcrypt}); a longer one at sign-in simply does not match.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    AuthenticationManager authenticationManager(UserDetailsService users, PasswordEncoder passwordEncoder) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(passwordEncoder);
        return new ProviderManager(provider);
    }
}
