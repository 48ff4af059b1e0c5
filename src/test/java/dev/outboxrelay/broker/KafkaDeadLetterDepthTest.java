package dev.outboxrelay.broker;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.outboxrelay.receive.ReceiverCatalogue;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka DLQ depth gives up after its timeout when the cluster takes connections and never answers. */
class KafkaDeadLetterDepthTest {

    @Test
    void aClusterThatNeverAnswersFailsTheQuestionWithinTheTimeout() throws Exception {
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             DefaultCamelContext camel = new DefaultCamelContext();
             // as the kafkaAdmin bean makes it, with the health check's 3 s
             Admin admin = Admin.create(Map.of(
                     AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + hung.getLocalPort(),
                     AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                     AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            ReceiverCatalogue.ReceivingService email = new ReceiverCatalogue.ReceivingService("email",
                    List.of("order.placed"), Set.of("order"), "mail", "send", "kafka:outbox.event.order",
                    "kafka:email.dlq?groupId=email-dlq-replay", "kafka:email.replay");
            KafkaDeadLetterDepth depth = new KafkaDeadLetterDepth(admin, camel);

            long start = System.nanoTime();
            assertThatThrownBy(() -> depth.waiting(email, Duration.ofMillis(500))).satisfiesAnyOf(
                    e -> assertThat(e).isInstanceOf(java.util.concurrent.TimeoutException.class),
                    e -> assertThat(e).hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class));
            Duration asked = Duration.ofNanos(System.nanoTime() - start);

            assertThat(asked).isLessThan(Duration.ofMillis(1500));
        }
    }
}
