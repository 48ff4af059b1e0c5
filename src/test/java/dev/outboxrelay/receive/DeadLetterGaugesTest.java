package dev.outboxrelay.receive;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.outboxrelay.broker.SqsDeadLetterDepth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * receiver_dead_letters while the broker hangs: a host that takes connections and never answers, the worst case
 * for a scrape, which must neither wait on it nor show a number it does not know.
 */
class DeadLetterGaugesTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @Test
    void aBrokerThatNeverAnswersMakesTheDepthUnknownWithinTheTimeoutAndNoScrapeWaitsForIt() throws IOException {
        ReceiverCatalogue catalogue = ReceiverCatalogue.of(new ReceiverProperties(true,
                Map.of("email", new ReceiverProperties.Service(List.of("order.placed"), "mail", "send", null),
                        "audit", new ReceiverProperties.Service(List.of("order.placed"), "audit", "record", null)),
                Map.of("order", List.of("order.placed")), Map.of("embedded", new ReceiverProperties.Endpoints(
                "aws2-sqs:{{service}}", "aws2-sqs:{{service}}-dlq", "aws2-sqs:{{service}}")), 2, null, null,
                null, null), "embedded", (aggregate, type) -> aggregate);
        // the kernel completes the connection (backlog); nobody ever reads or answers
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SqsClient sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + hung.getLocalPort()))
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                     .build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            DeadLetterGauges gauges = new DeadLetterGauges(registry, catalogue,
                    new SqsDeadLetterDepth(sqs, service -> service.name() + "-dlq"),
                    new ReceiverProperties.DlqDepth(Duration.ofMinutes(1), TIMEOUT));
            Gauge email = registry.get("receiver.dead.letters").tag("service", "email").gauge();

            long refreshStart = System.nanoTime();
            gauges.refresh();
            Duration refresh = Duration.ofNanos(System.nanoTime() - refreshStart);

            assertThat(refresh).as("two services, each question bounded by the timeout")
                    .isBetween(TIMEOUT.multipliedBy(2), TIMEOUT.multipliedBy(2).plusSeconds(1));
            assertThat(email.value()).isNaN();
            assertThat(registry.get("receiver.dead.letters").tag("service", "audit").gauge().value()).isNaN();

            gauges.start();
            try {
                // the scheduled questions hang on the broker meanwhile
                long scrapeStart = System.nanoTime();
                double scraped = email.value();
                Duration scrape = Duration.ofNanos(System.nanoTime() - scrapeStart);

                assertThat(scraped).isNaN();
                assertThat(scrape).as("a scrape while the broker is being asked").isLessThan(Duration.ofMillis(50));
            } finally {
                gauges.stop();
            }
        }
    }
}
