package dev.outboxrelay.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker outage as an operator lives it, against a whole running shop: orders keep coming, the broker goes away
 * for a while and comes back; every receiving service must resume within 30 s, every acknowledged order must have
 * each of its effects exactly once, health must say DOWN during the outage and UP after, and the application must
 * stop within its graceful timeout.
 */
public final class BrokerOutageDrill {

    /** Stops or starts the broker. */
    public interface Step {
        void run() throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(BrokerOutageDrill.class);
    private static final List<String> SERVICES = List.of("inventory", "payment", "email", "analytics", "orders");

    private BrokerOutageDrill() {
    }

    /**
     * @param settleBound how long the backlog may take once every service resumed (on SQS a message whose delete
     *                    failed in the outage comes back only after the visibility timeout)
     */
    public static void run(ConfigurableApplicationContext app, int ordersPerSecond, Duration outage, Step stop,
                           Step start, Duration settleBound) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(app.getBean(DataSource.class));
        MeterRegistry metrics = app.getBean(MeterRegistry.class);
        Health health = new Health("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
        try (OrderLoad load = new OrderLoad(health.baseUrl(), ordersPerSecond)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> load.completed(jdbc) >= 5L * ordersPerSecond);

            stop.run();
            Thread.sleep(outage.toMillis()); // the outage itself: nothing to wait for
            assertThat(health.status()).as("health during the outage").isEqualTo("DOWN");
            log.info("the broker was away for {} s; {} orders acknowledged", outage.toSeconds(), load.acknowledged());

            Map<String, Double> processedBefore = processed(metrics);
            start.run();
            long backAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(processed(metrics))
                    .allSatisfy((service, count) -> assertThat(count).as(service)
                            .isGreaterThan(processedBefore.get(service))));
            log.info("every service applied events again {} ms after the broker was back",
                    (System.nanoTime() - backAt) / 1_000_000);

            Thread.sleep(5_000); // orders keep coming for a while after the outage
            load.close();
            await().atMost(settleBound).conditionEvaluationListener(condition -> log.info("{}", load.progress(jdbc)))
                    .until(() -> load.settled(jdbc));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> load.settled(jdbc));
            load.assertEffectsExactlyOnce(jdbc);
            log.info("{}; duplicates skipped {}", load.progress(jdbc), SERVICES.stream().collect(
                    Collectors.toMap(s -> s, s -> Receivers.count(metrics, "duplicate", s))));
            await().atMost(Duration.ofSeconds(30)).until(() -> health.status().equals("UP"));
            assertThat(health.component("receivers")).containsEntry("status", "UP");
        } finally {
            long closing = System.nanoTime();
            app.close();
            Duration shutdown = Duration.ofNanos(System.nanoTime() - closing);
            log.info("the application stopped in {} ms", shutdown.toMillis());
            assertThat(shutdown).as("shutdown within the graceful timeout").isLessThan(Duration.ofSeconds(30));
        }
    }

    private static Map<String, Double> processed(MeterRegistry metrics) {
        return SERVICES.stream().collect(Collectors.toMap(s -> s, s -> Receivers.count(metrics, "processed", s)));
    }
}
