package dev.outboxrelay.broker;

import dev.outboxrelay.receive.DeadLetterDepth;
import org.apache.camel.CamelContext;
import org.apache.camel.component.aws2.sqs.Sqs2Endpoint;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code outbox.broker=embedded}: starts the in-JVM broker and gives Camel's aws2-sqs endpoints a client for it
 * (Camel picks up the single {@link SqsClient} bean by itself).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "outbox.broker", havingValue = "embedded", matchIfMissing = true)
class EmbeddedBrokerConfiguration {

    @Bean(initMethod = "start", destroyMethod = "stop")
    EmbeddedBroker embeddedBroker(EmbeddedBrokerProperties properties) {
        return new EmbeddedBroker(properties);
    }

    @Bean
    SqsClient embeddedSqsClient(EmbeddedBroker broker) {
        // the embedded broker checks no signature; these credentials only satisfy the SDK
        return SqsClient.builder()
                .endpointOverride(broker.endpoint())
                .region(Region.of(EmbeddedBroker.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** A service's DLQ is the queue its dead-letter endpoint names (receivers.endpoints.embedded.dead-letter). */
    @Bean
    DeadLetterDepth embeddedDeadLetterDepth(SqsClient sqs, CamelContext camel) {
        return new SqsDeadLetterDepth(sqs, service -> {
            try {
                return UnstartedEndpoints.of(camel, service.deadLetter(), Sqs2Endpoint.class).getConfiguration()
                        .getQueueName();
            } catch (Exception e) {
                throw new IllegalStateException("no SQS queue in " + service.deadLetter(), e);
            }
        });
    }

    @Bean
    HealthIndicator brokerHealthIndicator(SqsClient sqs, EmbeddedBroker broker) {
        return () -> {
            try {
                int queues = sqs.listQueues().queueUrls().size();
                return Health.up().withDetail("type", "embedded").withDetail("endpoint", broker.endpoint())
                        .withDetail("queues", queues).build();
            } catch (RuntimeException e) {
                return Health.down(e).withDetail("type", "embedded").build();
            }
        };
    }
}
