package dev.outboxrelay.broker.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.Health;
import dev.outboxrelay.support.OrderLoad;
import dev.outboxrelay.support.Receivers;
import dev.outboxrelay.support.TcpProxy;
import dev.outboxrelay.support.TestAws;
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
 * SNS and SQS unreachable for 35 s while the shop takes orders and the receivers on SQS are busy, then reachable
 * again: every service resumes within 30 s, every acknowledged order has each effect exactly once, health says
 * DOWN during the outage and UP after, and the application stops within its graceful timeout. The server is cut
 * off behind a proxy rather than stopped: fauxqs keeps its queues in memory only, and a real SQS outage loses none.
 */
class AwsReceiversOutageIT {

    private static final Logger log = LoggerFactory.getLogger(AwsReceiversOutageIT.class);
    private static final Duration OUTAGE = Duration.ofSeconds(35);
    private static final List<String> SERVICES = List.of("inventory", "payment", "email", "analytics", "orders");

    @Test
    void everyServiceResumesAfterSqsIsReachableAgainWithEachEffectOnce() throws Exception {
        try (TcpProxy aws = new TcpProxy(TestAws.endpoint())) {
            List<String> args = new ArrayList<>(TestAws.appArgs(aws.endpoint(), TestAws.namePrefix()));
            args.addAll(List.of(
                    "--spring.datasource.url=" + TestPostgres.newDatabase("aws_receivers_outage_it"),
                    "--spring.datasource.username=postgres",
                    "--outbox.aws.api-call-timeout=3s",
                    // the relay's own backoff after the outage (up to 2 min by default) is not under test here
                    "--outbox.relay.backoff.max=2s"));
            ConfigurableApplicationContext app = new SpringApplicationBuilder(OutboxRelayApplication.class)
                    .run(args.toArray(String[]::new));
            JdbcTemplate jdbc = new JdbcTemplate(app.getBean(DataSource.class));
            MeterRegistry metrics = app.getBean(MeterRegistry.class);
            Health health = new Health("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
            try (OrderLoad load = new OrderLoad(health.baseUrl(), 20)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> load.completed(jdbc) >= 100);

                aws.cut();
                Thread.sleep(OUTAGE.toMillis()); // the outage itself: nothing to wait for
                assertThat(health.status()).as("health while SNS/SQS are unreachable").isEqualTo("DOWN");
                log.info("SNS/SQS were unreachable for {} s; {} orders acknowledged", OUTAGE.toSeconds(),
                        load.acknowledged());

                Map<String, Double> processedBefore = processed(metrics);
                aws.open();
                long backAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(processed(metrics))
                        .allSatisfy((service, count) -> assertThat(count).as(service)
                                .isGreaterThan(processedBefore.get(service))));
                log.info("every service applied events again {} ms after SNS/SQS were back",
                        (System.nanoTime() - backAt) / 1_000_000);

                Thread.sleep(5_000); // orders keep coming for a while after the outage
                load.close();
                // a message whose delete failed in the outage comes back after the visibility timeout (60 s)
                await().atMost(Duration.ofSeconds(120)).conditionEvaluationListener(condition -> log.info("{}",
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
