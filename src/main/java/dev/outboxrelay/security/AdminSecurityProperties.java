package dev.outboxrelay.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the actuator endpoints. No user is built in: a role whose user name or password is empty has no
 * user, and its endpoints answer 401 to everyone (the log says which variables to set).
 *
 * @param admin  reads everything and changes state: retry or skip FAILED events, replay dead letters
 * @param reader reads: metrics, health details, FAILED events, dead-letter counts; what a dashboard scrapes
 */
@ConfigurationProperties("outbox.security")
public record AdminSecurityProperties(@DefaultValue User admin, @DefaultValue User reader) {

    /**
     * @param username empty: no such user
     * @param password as given, or already encoded with its scheme in front ({@code {bcrypt}$2a$10$...})
     */
    public record User(@DefaultValue("") String username, @DefaultValue("") String password) {

        boolean configured() {
            return !username.isBlank() && !password.isBlank();
        }
    }
}
