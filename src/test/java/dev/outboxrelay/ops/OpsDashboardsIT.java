package dev.outboxrelay.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.EmbeddedDefaults;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stack of ops/ and the Dockerfile (README, Deploying) against a running relay on the embedded default: every
 * metric the Grafana dashboard and the Prometheus alert rules name is one the relay exports, read where
 * prometheus.yml scrapes it, after an order went through; the image's HEALTHCHECK asks a path that answers UP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "outbox.relay.poll-interval=100")
@AutoConfigureObservability
@DirtiesContext
class OpsDashboardsIT {

    private static final Path PROMETHEUS = Path.of("ops/prometheus");
    private static final Path DASHBOARD = Path.of("ops/grafana/dashboards/outbox-relay.json");
    private static final Path DATASOURCE = Path.of("ops/grafana/provisioning/datasources/prometheus.yml");
    /** Recorded by Prometheus for every target it scrapes, never exported by the relay. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    /**
     * The panels the dashboard must have: backlog, oldest age, publish rate, failures (FAILED rows now, and parked
     * during the range), per-service counts, DLQ depth.
     */
    private static final Set<String> DASHBOARD_METRICS = Set.of("outbox_pending_events",
            "outbox_oldest_pending_age_seconds", "outbox_events_published_total", "outbox_failed_events",
            "outbox_events_failed_total", "receiver_events_processed_total", "receiver_events_duplicate_total",
            "receiver_events_dead_lettered_total", "receiver_dead_letters");
    /** FAILED rows and DLQ non-empty alert on what is there now, not on what arrived lately. */
    private static final Set<String> ALERTED_GAUGES = Set.of("outbox_failed_events", "receiver_dead_letters");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+)");

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.register(registry, "ops-dashboards-it");
    }

    @Autowired
    TestRestTemplate http;

    Map<String, Double> exported;

    @BeforeEach
    void anOrderWentThrough() {
        ResponseEntity<Map> placed = http.postForEntity("/orders", Map.of("userId", "u-ops",
                "items", List.of(Map.of("productId", "p-1", "quantity", 1)), "total", 9.99), Map.class);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            exported = scrape();
            assertThat(exported.get("outbox_events_published_total")).isPositive();
            assertThat(exported.get("receiver_events_processed_total")).isPositive();
            // every DLQ asked and empty (the sum of the services' depths; NaN had one not answered)
            assertThat(exported.get("receiver_dead_letters")).isZero();
        });
    }

    @Test
    void everyMetricOnTheDashboardIsExported() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets").findValues("expr")).as("queries of panel %s", panel.path("title"))
                    .isNotEmpty();
        }
        Set<String> named = new TreeSet<>();
        dashboard.findValues("expr").forEach(expr -> named.addAll(PromQl.metricNames(expr.asText())));

        assertThat(notExported(named)).as("named by %s but not exported", DASHBOARD).isEmpty();
        assertThat(named).containsAll(DASHBOARD_METRICS);
    }

    @Test
    void everyMetricOfTheAlertRulesIsExported() throws IOException {
        Map<String, List<Map<String, List<Map<String, Object>>>>> alerts = yaml(alertRules());
        List<Map<String, Object>> rules = new ArrayList<>();
        alerts.get("groups").forEach(group -> rules.addAll(group.get("rules")));
        Set<String> named = new TreeSet<>();
        rules.forEach(rule -> named.addAll(PromQl.metricNames((String) rule.get("expr"))));

        assertThat(rules).extracting(rule -> rule.get("alert")).containsExactlyInAnyOrder("OutboxRelayDown",
                "OutboxOldestPendingTooOld", "OutboxEventsFailed", "ReceiverDeadLetters", "ReceiverStalled");
        assertThat(named).containsAll(ALERTED_GAUGES);
        named.removeAll(PROMETHEUS_OWN);
        assertThat(notExported(named)).as("named by %s but not exported", alertRules()).isEmpty();
    }

    @Test
    void theDashboardQueriesTheProvisionedDatasource() throws IOException {
        Map<String, List<Map<String, String>>> provisioning = yaml(DATASOURCE);
        String uid = provisioning.get("datasources").get(0).get("uid");
        Set<String> used = new TreeSet<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).findValues("datasource")
                .forEach(ref -> used.add(ref.path("uid").asText()));

        assertThat(used).containsExactly(uid);
    }

    @Test
    void theImageHealthcheckAsksAPathThatAnswersUp() throws IOException {
        Matcher healthcheck = Pattern.compile("(?s)HEALTHCHECK .*? CMD .*?(/actuator/[a-z/]+)")
                .matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(healthcheck.find()).as("a HEALTHCHECK asking /actuator/... in Dockerfile").isTrue();

        ResponseEntity<Map> answer = http.getForEntity(healthcheck.group(1), Map.class);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(answer.getBody()).containsEntry("status", "UP");
    }

    /** Sample totals per metric name, read where prometheus.yml scrapes the relay. */
    private Map<String, Double> scrape() throws IOException {
        Map<String, List<Map<String, String>>> config = yaml(PROMETHEUS.resolve("prometheus.yml"));
        // as Prometheus scrapes: the actuator's reader (docker-compose.yml gives it OUTBOX_READER_*)
        String text = Actuator.reader(http).getForObject(config.get("scrape_configs").get(0).get("metrics_path"),
                String.class);
        Map<String, Double> totals = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.find()) {
                totals.merge(sample.group(1), Double.parseDouble(sample.group(3)), Double::sum);
            }
        }
        return totals;
    }

    private Set<String> notExported(Set<String> named) {
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(exported.keySet());
        return missing;
    }

    private Path alertRules() throws IOException {
        Map<String, List<String>> config = yaml(PROMETHEUS.resolve("prometheus.yml"));
        List<String> files = config.get("rule_files");
        assertThat(files).hasSize(1);
        return PROMETHEUS.resolve(files.get(0));
    }

    /** A YAML file as the caller's shape of it; a wrong shape fails the test with a ClassCastException. */
    private static <T> T yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }
}
