package dev.outboxrelay.broker;

import java.io.IOException;
import java.net.ServerSocket;

import dev.outboxrelay.outbox.OutboxProperties;
import dev.outboxrelay.outbox.PermanentErrors;
import dev.outboxrelay.receive.DeadLetterDepth;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import dev.outboxrelay.broker.aws.AwsBrokerConfigurationAccess;
import dev.outboxrelay.broker.aws.AwsBrokerProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** outbox.broker decides which broker's beans exist; nothing of the other broker is created. */
class BrokerSelectionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, EmbeddedBrokerConfiguration.class, KafkaBrokerConfiguration.class,
                    AwsBrokerConfigurationAccess.CONFIGURATION);

    @Test
    void kafkaHasAKafkaHealthCheckAndNoEmbeddedBroker() {
        runner.withPropertyValues("outbox.broker=kafka", "outbox.kafka.bootstrap-servers=127.0.0.1:1",
                        "camel.component.kafka.delivery-timeout-ms=15000")
                .run(context -> {
                    assertThat(context).hasSingleBean(Admin.class)
                            .hasBean("brokerHealthIndicator").hasSingleBean(PermanentErrors.class)
                            .hasSingleBean(DeadLetterDepth.class)
                            .doesNotHaveBean(EmbeddedBroker.class).doesNotHaveBean(SqsClient.class)
                            .doesNotHaveBean(SnsClient.class);
                });
    }

    @Test
    void kafkaRefusesALeaseThatASlowBatchCouldOutlive() {
        runner.withPropertyValues("outbox.broker=kafka", "outbox.relay.lease.ttl=10s",
                        "camel.component.kafka.delivery-timeout-ms=15000")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("outbox.relay.lease.ttl (PT10S) must be longer than"
                                + " camel.component.kafka.delivery-timeout-ms (15000 ms)"));
    }

    @Test
    void embeddedIsTheDefaultAndStartsTheInJvmBroker() throws IOException {
        runner.withPropertyValues("outbox.embedded.port=" + freePort(), "outbox.embedded.persistent=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(EmbeddedBroker.class).hasSingleBean(SqsClient.class)
                            .hasSingleBean(DeadLetterDepth.class)
                            .doesNotHaveBean(Admin.class).doesNotHaveBean(SnsClient.class)
                            .doesNotHaveBean(PermanentErrors.class);
                    assertThat(context.getBean(SqsClient.class).listQueues().queueUrls()).isEmpty();
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Configuration
    @EnableConfigurationProperties({EmbeddedBrokerProperties.class, KafkaBrokerProperties.class,
            AwsBrokerProperties.class, OutboxProperties.class})
    static class Properties {
        @Bean
        CamelContext camelContext() {
            return new DefaultCamelContext();
        }
    }
}
