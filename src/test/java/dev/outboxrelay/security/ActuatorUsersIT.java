package dev.outboxrelay.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.FreePorts;
import dev.outboxrelay.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The application as a deployment starts it: without users nothing but health is reachable; no secret in logs. */
@ExtendWith(OutputCaptureExtension.class)
class ActuatorUsersIT {

    @Test
    void withoutUsersTheAdminEndpointsAnswer401AndTheLogSaysWhatToSet(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = start("actuator-users-it",
                "--outbox.security.admin.username=", "--outbox.security.reader.username=")) {
            TestRestTemplate admin = new TestRestTemplate(Actuator.ADMIN, Actuator.ADMIN_PASSWORD);
            String base = base(app);
            assertThat(admin.postForEntity(base + "/actuator/deadletters/email/replay", null, String.class)
                    .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(admin.getForEntity(base + "/actuator/prometheus", String.class).getStatusCode())
                    .isEqualTo(HttpStatus.UNAUTHORIZED);
            await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(
                    new TestRestTemplate().getForObject(base + "/actuator/health", Map.class).get("status")));
        }
        assertThat(output.getOut()).contains("No admin user: the actuator endpoints it may use answer 401; set "
                + "OUTBOX_ADMIN_USER / OUTBOX_ADMIN_PASSWORD", "No reader user");
    }

    @Test
    void aDatabasePasswordInTheUrlOrItsOwnPropertyNeverReachesTheLogOrTheEndpoints(CapturedOutput output)
            throws Exception {
        String secretInUrl = "pw-in-url-7f3a9c";
        String secretProperty = "pw-property-b81e2d";
        String url = TestPostgres.newDatabase("actuator_users_it") + "&password=" + secretInUrl;
        try (ConfigurableApplicationContext app = start("actuator-users-secrets-it",
                "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=" + secretProperty)) {
            TestRestTemplate reader = new TestRestTemplate(Actuator.READER, Actuator.READER_PASSWORD);
            for (String path : List.of("/actuator/health", "/actuator/info", "/actuator/outbox",
                    "/actuator/prometheus")) {
                assertThat(reader.getForObject(base(app) + path, String.class)).as(path)
                        .doesNotContain(secretInUrl, secretProperty);
            }
        }
        assertThat(output.getAll()).contains("Tomcat started on port")
                .doesNotContain(secretInUrl, secretProperty);
    }

    private static ConfigurableApplicationContext start(String folder, String... args) {
        Path data = Path.of("target", folder);
        FileSystemUtils.deleteRecursively(data.toFile());
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server.port=0", "--outbox.embedded.data-dir=./" + data,
                "--outbox.embedded.port=" + FreePorts.next()));
        if (all.stream().noneMatch(arg -> arg.startsWith("--spring.datasource.url="))) {
            all.add("--spring.datasource.url=jdbc:h2:file:./" + data + "/outbox-relay");
        }
        return new SpringApplicationBuilder(OutboxRelayApplication.class).run(all.toArray(String[]::new));
    }

    private static String base(ConfigurableApplicationContext app) {
        return "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }
}
