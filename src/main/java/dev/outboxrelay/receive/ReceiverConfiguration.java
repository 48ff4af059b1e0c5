package dev.outboxrelay.receive;

import java.util.List;

import javax.sql.DataSource;

import dev.outboxrelay.broker.KafkaConsumerWatch;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The beans the receiving routes call by name: {@code receivedEvents}, {@code receiverTransaction},
 * {@code deadLetters}, and one idempotent
 * repository per service ({@code <service>Idempotency}) on the application's database. The repositories use the
 * application's transaction manager, so recording an event id joins the route's transaction.
 */
@Configuration(proxyBeanMethods = false)
class ReceiverConfiguration {

    /** The receiving services; each has a route file, a DLQ and a repository of its own. */
    static final List<String> SERVICES = List.of("inventory", "payment", "email", "analytics", "orders");

    @Bean
    ReceiverMetrics receiverMetrics(MeterRegistry registry) {
        return new ReceiverMetrics(registry, SERVICES);
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
    DeadLetters deadLetters(ReceiverMetrics metrics, Environment environment) {
        return new DeadLetters(metrics, environment);
    }

    @Bean
    DeadLetterReplay deadLetterReplay(CamelContext camel, Environment environment, ReceiverProperties properties) {
        return new DeadLetterReplay(camel, environment, properties.replay());
    }

    @Bean
    DeadLetterEndpoint deadLetterEndpoint(DeadLetterReplay replay, Environment environment) {
        return new DeadLetterEndpoint(replay, environment, SERVICES);
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

    @Bean
    JdbcMessageIdRepository inventoryIdempotency(DataSource dataSource, TransactionTemplate tx) {
        return repository(dataSource, tx, "inventory");
    }

    @Bean
    JdbcMessageIdRepository paymentIdempotency(DataSource dataSource, TransactionTemplate tx) {
        return repository(dataSource, tx, "payment");
    }

    @Bean
    JdbcMessageIdRepository emailIdempotency(DataSource dataSource, TransactionTemplate tx) {
        return repository(dataSource, tx, "email");
    }

    @Bean
    JdbcMessageIdRepository analyticsIdempotency(DataSource dataSource, TransactionTemplate tx) {
        return repository(dataSource, tx, "analytics");
    }

    @Bean
    JdbcMessageIdRepository ordersIdempotency(DataSource dataSource, TransactionTemplate tx) {
        return repository(dataSource, tx, "orders");
    }

    private static JdbcMessageIdRepository repository(DataSource dataSource, TransactionTemplate tx, String service) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, tx, service);
        // the table comes from Flyway (db/migration/common/V10__receivers.sql)
        repository.setCreateTableIfNotExists(false);
        return repository;
    }
}
