package dev.outboxrelay.broker;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka cluster used when {@code outbox.broker=kafka}; producer and consumer settings live under
 * {@code camel.component.kafka} in relay-tuning.yaml.
 *
 * @param bootstrapServers where to reach the cluster
 * @param topicTemplate    the topic of an event, a Camel simple expression on its message
 *                         ({@code header.ce_source} is the aggregate type)
 * @param healthTimeout    how long the health check waits for the cluster to answer
 */
@ConfigurationProperties("outbox.kafka")
public record KafkaBrokerProperties(@DefaultValue("localhost:9092") String bootstrapServers,
                                    @DefaultValue("outbox.event.$simple{header.ce_source}") String topicTemplate,
                                    @DefaultValue("3s") Duration healthTimeout) {
}
