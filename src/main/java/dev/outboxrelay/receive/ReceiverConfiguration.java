package dev.outboxrelay.receive;

import java.util.Locale;

import dev.outboxrelay.broker.KafkaBrokerProperties;
import dev.outboxrelay.broker.KafkaConsumerWatch;
import dev.outboxrelay.outbox.OutboxProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.DefaultExchange;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The receiving machinery: the catalogue ({@code receiverCatalogue}), the routes it instantiates, and the beans the
 * routes call by name: {@code receivedEvents}, {@code receiverTransaction}, {@code deadLetters}. The catalogue
 * exists in every instance, also a relay-only one: the embedded fan-out and the SQS queues come from it.
 */
@Configuration(proxyBeanMethods = false)
class ReceiverConfiguration {

    @Bean
    ReceiverCatalogue receiverCatalogue(ReceiverProperties receivers, OutboxProperties outbox,
                                        KafkaBrokerProperties kafka, CamelContext camel) {
        return ReceiverCatalogue.of(receivers, outbox.broker().name().toLowerCase(Locale.ROOT),
                kafkaTopicNames(camel, kafka.topicTemplate()));
    }

    @Bean
    @ConditionalOnProperty(name = "receivers.enabled", havingValue = "true", matchIfMissing = true)
    RoutesBuilder receiverRoutes(ReceiverCatalogue catalogue, ListableBeanFactory beans) {
        catalogue.checkBeans(beans);
        return new ReceiverRoutes(catalogue);
    }

    @Bean
    ReceiverMetrics receiverMetrics(MeterRegistry registry, ReceiverCatalogue catalogue) {
        return new ReceiverMetrics(registry, catalogue.names());
    }

    @Bean
    @ConditionalOnProperty(name = "receivers.enabled", havingValue = "true", matchIfMissing = true)
    DeadLetterGauges deadLetterGauges(MeterRegistry registry, ReceiverCatalogue catalogue, DeadLetterDepth broker,
                                      ReceiverProperties properties) {
        return new DeadLetterGauges(registry, catalogue, broker, properties.dlqDepth());
    }

    @Bean
    ReceivedEvents receivedEvents(ReceiverMetrics metrics) {
        return new ReceivedEvents(metrics);
    }

    @Bean
    ReceiverTransaction receiverTransaction(TransactionTemplate transactions, CamelContext camel) {
        return new ReceiverTransaction(transactions, camel.createProducerTemplate());
    }

    @Bean
    DeadLetters deadLetters(ReceiverMetrics metrics, ReceiverCatalogue catalogue) {
        return new DeadLetters(metrics, catalogue);
    }

    @Bean
    DeadLetterReplay deadLetterReplay(CamelContext camel, ReceiverCatalogue catalogue, ReceiverProperties properties) {
        return new DeadLetterReplay(camel, catalogue, properties.replay());
    }

    @Bean
    DeadLetterEndpoint deadLetterEndpoint(DeadLetterReplay replay, ReceiverCatalogue catalogue) {
        return new DeadLetterEndpoint(replay, catalogue);
    }

    @Bean
    @ConditionalOnProperty(name = "receivers.enabled", havingValue = "true", matchIfMissing = true)
    HealthIndicator receiversHealthIndicator(CamelContext camel, ReceiverProperties properties,
                                             ObjectProvider<KafkaConsumerWatch> kafkaConsumers) {
        return new ReceiversHealth(camel, properties.stallTimeout(), kafkaConsumers.getIfAvailable());
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    IdempotencyPurge idempotencyPurge(JdbcTemplate jdbc, ReceiverProperties properties) {
        return new IdempotencyPurge(jdbc, properties.idempotency());
    }

    /** The topic the relay writes an event to, by the same template (outbox.kafka.topic-template). */
    private static ReceiverCatalogue.TopicNames kafkaTopicNames(CamelContext camel, String topicTemplate) {
        Expression topic = camel.resolveLanguage("simple").createExpression(topicTemplate);
        return (aggregateType, eventType) -> {
            Exchange event = new DefaultExchange(camel);
            event.getMessage().setHeader("ce_source", aggregateType);
            event.getMessage().setHeader("ce_type", eventType);
            return topic.evaluate(event, String.class);
        };
    }
}
