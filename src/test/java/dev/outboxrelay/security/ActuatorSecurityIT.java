package dev.outboxrelay.security;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.EmbeddedDefaults;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Who may use which actuator endpoint, on the embedded default with the tests' admin and reader. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class ActuatorSecurityIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.register(registry, "actuator-security-it");
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    UserDetailsService actuatorUsers;

    @Test
    void withoutCredentialsEveryEndpointButTheHealthStatusAnswers401() {
        for (String path : List.of("/actuator/outbox", "/actuator/prometheus", "/actuator/info")) {
            assertThat(http.getForEntity(path, String.class).getStatusCode()).as(path)
                    .isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        assertThat(http.postForEntity("/actuator/deadletters/email/replay", null, String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.postForEntity("/actuator/outbox/" + UUID.randomUUID() + "/retry", null, String.class)
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.withBasicAuth(Actuator.ADMIN, "wrong").getForEntity("/actuator/outbox", String.class)
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);

        // the receivers' consumers may still be starting just after the context is up
        await().atMost(Duration.ofSeconds(30)).until(() -> http.getForEntity("/actuator/health", Map.class)
                .getStatusCode() == HttpStatus.OK);
        ResponseEntity<Map> health = http.getForEntity("/actuator/health", Map.class);
        assertThat(health.getBody()).as("the status and the probe groups: no component, address or version")
                .containsOnlyKeys("status", "groups");
        assertThat(http.getForEntity("/actuator/health/liveness", Map.class).getBody()).containsEntry("status", "UP");
        assertThat(http.getForEntity("/actuator/health/readiness", Map.class).getBody())
                .containsEntry("status", "UP");
    }

    @Test
    void theReaderReadsButChangesNothing() {
        TestRestTemplate reader = Actuator.reader(http);
        assertThat(reader.getForEntity("/actuator/outbox", Map.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(reader.getForEntity("/actuator/prometheus", String.class).getBody())
                .contains("outbox_pending_events");
        assertThat(reader.getForEntity("/actuator/health", Map.class).getBody()).containsKey("components");

        assertThat(reader.postForEntity("/actuator/deadletters/email/replay", null, String.class).getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(reader.postForEntity("/actuator/outbox/" + UUID.randomUUID() + "/skip", null, String.class)
                .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void theAdminChangesState() {
        TestRestTemplate admin = Actuator.admin(http);
        ResponseEntity<Map> replay = admin.postForEntity("/actuator/deadletters/email/replay", null, Map.class);
        assertThat(replay.getStatusCode()).isEqualTo(HttpStatus.OK);
        // how many depends on letters other test classes left in the JVM's one embedded message store
        assertThat(replay.getBody()).containsEntry("service", "email").containsKey("replayed");
        // past security: the endpoint itself answers that there is no such FAILED event
        assertThat(admin.postForEntity("/actuator/outbox/" + UUID.randomUUID() + "/retry", null, Map.class)
                .getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void theShopsApiStaysOpen() {
        ResponseEntity<Map> placed = http.postForEntity("/orders", Map.of("userId", "u-1",
                "items", List.of(Map.of("productId", "p-3", "quantity", 1)), "total", 1), Map.class);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(http.getForEntity("/inventory/p-3", Map.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void aPlainPasswordStaysPlainAfterLoginsSoThatNoRequestPaysForABcryptCheck() {
        for (int login = 0; login < 2; login++) {
            assertThat(Actuator.reader(http).getForEntity("/actuator/info", String.class).getStatusCode())
                    .isEqualTo(HttpStatus.OK);
        }
        // a password upgraded to {bcrypt} would cost tens of milliseconds of CPU on every scrape
        assertThat(actuatorUsers.loadUserByUsername(Actuator.READER).getPassword())
                .isEqualTo(Actuator.READER_PASSWORD);
    }
}
