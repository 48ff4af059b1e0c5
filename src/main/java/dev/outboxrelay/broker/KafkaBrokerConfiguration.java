package dev.outboxrelay.broker;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.outboxrelay.outbox.OutboxProperties;
import dev.outboxrelay.outbox.PermanentErrors;
import dev.outboxrelay.receive.DeadLetterDepth;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@code outbox.broker=kafka}: the broker's health and permanent errors; the producer is Camel's kafka component,
 * addressed per record in routes/publish-kafka.camel.yaml.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "outbox.broker", havingValue = "kafka")
class KafkaBrokerConfiguration {

    /** For the health check and the DLQ depth: each call bounded by its own timeout. */
    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(KafkaBrokerProperties properties) {
        int timeoutMs = (int) properties.healthTimeout().toMillis();
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
    }

    /**
     * A relay keeps its partitions only while it renews their leases between batches, so a batch must end, sent
     * or failed, before the lease runs out: else another instance takes the partitions while this one still sends.
     */
    @Bean
    InitializingBean leaseOutlastsDeliveryTimeout(Environment environment, OutboxProperties outbox) {
        return () -> {
            long deliveryTimeoutMs = environment.getProperty("camel.component.kafka.delivery-timeout-ms", Long.class,
                    120_000L);
            if (outbox.relay().enabled() && outbox.relay().lease().ttl().toMillis() <= deliveryTimeoutMs) {
                throw new IllegalStateException("outbox.relay.lease.ttl (" + outbox.relay().lease().ttl()
                        + ") must be longer than camel.component.kafka.delivery-timeout-ms (" + deliveryTimeoutMs
                        + " ms), or a slow batch could lose its partitions while it is still being sent");
            }
        };
    }

    @Bean
    DeadLetterDepth kafkaDeadLetterDepth(Admin admin, CamelContext camel) {
        return new KafkaDeadLetterDepth(admin, camel);
    }

    @Bean
    KafkaConsumerWatch kafkaConsumerWatch() {
        return new KafkaConsumerWatch();
    }

    /** Camel's kafka component makes its clients through the watch (it does not pick the bean up by itself). */
    @Bean
    ComponentCustomizer kafkaClientsWatched(KafkaConsumerWatch watch) {
        return ComponentCustomizer.forType(KafkaComponent.class, kafka -> kafka.setKafkaClientFactory(watch));
    }

    /** The relay parks an event at once, instead of backing off, when Kafka refuses the record itself. */
    @Bean
    PermanentErrors kafkaPermanentErrors() {
        return new KafkaPermanentErrors();
    }

    @Bean
    HealthIndicator brokerHealthIndicator(Admin admin, KafkaBrokerProperties properties) {
        return () -> {
            long timeoutMs = properties.healthTimeout().toMillis();
            try {
                int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                        .nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
                return Health.up().withDetail("type", "kafka")
                        .withDetail("bootstrapServers", properties.bootstrapServers())
                        .withDetail("nodes", nodes).build();
            } catch (Exception e) {
                return Health.down(e).withDetail("type", "kafka")
                        .withDetail("bootstrapServers", properties.bootstrapServers()).build();
            }
        };
    }
}
