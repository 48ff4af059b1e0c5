package dev.outboxrelay.receive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.Health;
import dev.outboxrelay.support.KafkaProcess;
import dev.outboxrelay.support.OrderLoad;
import dev.outboxrelay.support.Receivers;
import dev.outboxrelay.support.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka stopped for 60 s while the shop takes orders and the receivers are busy, then started again with its data
 * (a broker process of its own, as an operator would stop and start it): every service resumes within 30 s, every
 * acknowledged order has each of its effects exactly once, health tells the truth, and the application stops
 * within its graceful timeout. Before the fix, the consumers hung in the dead-letter channel for good.
 */
class KafkaReceiversOutageIT {

    private static final Logger log = LoggerFactory.getLogger(KafkaReceiversOutageIT.class);
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final List<String> SERVICES = List.of("inventory", "payment", "email", "analytics", "orders");

    @Test
    void everyServiceResumesAfterTheBrokerReturnsWithEachEffectOnce() throws Exception {
        try (KafkaProcess kafka = new KafkaProcess("receivers-outage").start()) {
            ConfigurableApplicationContext app = new SpringApplicationBuilder(OutboxRelayApplication.class).run(
                    "--spring.datasource.url=" + TestPostgres.newDatabase("kafka_receivers_outage_it"),
                    "--spring.datasource.username=postgres",
                    "--outbox.broker=kafka",
                    "--outbox.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    // the relay's own backoff after the outage (up to 2 min by default) is not under test here
                    "--outbox.relay.backoff.max=2s",
                    "--server.port=0");
            JdbcTemplate jdbc = new JdbcTemplate(app.getBean(DataSource.class));
            MeterRegistry metrics = app.getBean(MeterRegistry.class);
            Health health = new Health("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
            try (OrderLoad load = new OrderLoad(health.baseUrl(), 40)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> load.completed(jdbc) >= 200);

                kafka.stop();
                Thread.sleep(OUTAGE.toMillis()); // the outage itself: nothing to wait for
                assertThat(health.status()).as("health while Kafka is down").isEqualTo("DOWN");
                log.info("Kafka was down for {} s; {} orders acknowledged", OUTAGE.toSeconds(), load.acknowledged());

                Map<String, Double> processedBefore = processed(metrics);
                kafka.start();
                long backAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(processed(metrics))
                        .allSatisfy((service, count) -> assertThat(count).as(service)
                                .isGreaterThan(processedBefore.get(service))));
                log.info("every service applied events again {} ms after the broker was back",
                        (System.nanoTime() - backAt) / 1_000_000);

                Thread.sleep(10_000); // orders keep coming for a while after the broker is back
                load.close();
                await().atMost(Duration.ofSeconds(90)).conditionEvaluationListener(condition -> log.info("{}",
                        load.progress(jdbc))).until(() -> load.settled(jdbc));
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
    }

    private static Map<String, Double> processed(MeterRegistry metrics) {
        return SERVICES.stream().collect(Collectors.toMap(s -> s, s -> Receivers.count(metrics, "processed", s)));
    }
}
