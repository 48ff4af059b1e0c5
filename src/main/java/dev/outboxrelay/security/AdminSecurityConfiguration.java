package dev.outboxrelay.security;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The actuator endpoints need a user: health answers its status to anyone (for load balancers and orchestrators)
 * and its details only to a user; every other endpoint can be read by a reader or an admin, and only an admin may
 * change state (POST: retry, skip, replay). The shop's HTTP API (POST /orders, the queries) stays open: it is a
 * sample standing in for the services' own APIs, which bring their own security. HTTP basic, no session, no CSRF
 * token (no browser session to protect).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminSecurityProperties.class)
class AdminSecurityConfiguration {

    static final String ADMIN = "ADMIN";
    static final String READER = "READER";
    private static final Logger log = LoggerFactory.getLogger(AdminSecurityConfiguration.class);

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        RequestMatcher reading = request -> "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .requestMatchers(new AndRequestMatcher(EndpointRequest.toAnyEndpoint(), reading))
                        .hasAnyRole(READER, ADMIN)
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(ADMIN)
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    UserDetailsService actuatorUsers(AdminSecurityProperties properties) {
        List<UserDetails> users = new ArrayList<>();
        add(users, properties.admin(), ADMIN, "OUTBOX_ADMIN_USER / OUTBOX_ADMIN_PASSWORD");
        add(users, properties.reader(), READER, "OUTBOX_READER_USER / OUTBOX_READER_PASSWORD");
        // only its lookup: the manager is also a UserDetailsPasswordService, through which Spring Security would
        // "upgrade" a plain password to bcrypt at the first login and check every later request with bcrypt
        return new InMemoryUserDetailsManager(users)::loadUserByUsername;
    }

    /**
     * A password given encoded ({bcrypt}...) is checked by its scheme; one given as is, by a constant-time
     * comparison: it comes from the process's environment, where hashing it would protect nothing, and a bcrypt
     * check on each request (a Prometheus scrape, the benchmark's polling) costs tens of milliseconds of CPU.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        DelegatingPasswordEncoder encoder = (DelegatingPasswordEncoder) PasswordEncoderFactories
                .createDelegatingPasswordEncoder();
        encoder.setDefaultPasswordEncoderForMatches(new PlainPasswordEncoder());
        return encoder;
    }

    private static void add(List<UserDetails> users, AdminSecurityProperties.User user, String role,
                            String variables) {
        if (!user.configured()) {
            log.warn("No {} user: the actuator endpoints it may use answer 401; set {}", role.toLowerCase(),
                    variables);
            return;
        }
        users.add(User.withUsername(user.username()).password(user.password()).roles(role).build());
    }
}
