package dev.outboxrelay.outbox;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the beans the relay routes call by name ({@code outboxRelay} and {@code outboxEnvelope}), and the purge of
 * rows past their retention.
 */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

    /** PostgreSQL reads the statements as written; H2 one filter, MySQL and MariaDB a few words their own way. */
    @Bean
    SqlDialect sqlDialect(JdbcTemplate jdbc) {
        return SqlDialect.of(jdbc);
    }

    @Bean
    OutboxStore outboxStore(JdbcTemplate jdbc, TransactionTemplate tx, SqlDialect dialect) {
        return new OutboxStore(jdbc, tx, dialect);
    }

    @Bean
    OutboxMetrics outboxMetrics(MeterRegistry registry, JdbcTemplate jdbc, SqlDialect dialect) {
        return new OutboxMetrics(registry, jdbc, dialect);
    }

    @Bean
    OutboxEnvelope outboxEnvelope(ObjectMapper json, OutboxProperties properties, ObjectProvider<Tracer> tracer,
                                  ObjectProvider<Propagator> propagator, ObjectProvider<SpanExporter> exporters) {
        return new OutboxEnvelope(json, PublishSpans.of(tracer.getIfAvailable(), propagator.getIfAvailable(),
                exporters.orderedStream().findAny().isPresent(), properties.broker().name().toLowerCase(Locale.ROOT)));
    }

    @Bean
    OutboxWriter outboxWriter(JdbcTemplate jdbc, ObjectMapper json, ObjectProvider<Tracer> tracer,
                              ObjectProvider<Propagator> propagator) {
        return new OutboxWriter(jdbc, json, tracer.getIfAvailable(), propagator.getIfAvailable());
    }

    @Bean
    FailedEvents failedEvents(JdbcTemplate jdbc, SqlDialect dialect) {
        return new FailedEvents(jdbc, dialect);
    }

    @Bean
    OutboxEndpoint outboxEndpoint(FailedEvents failedEvents) {
        return new OutboxEndpoint(failedEvents);
    }

    @Bean
    @ConditionalOnProperty(name = "outbox.relay.enabled", havingValue = "true", matchIfMissing = true)
    InstanceRegistration instanceRegistration(JdbcTemplate jdbc, TransactionTemplate tx, SqlDialect dialect,
                                              OutboxProperties properties) {
        OutboxProperties.Relay relay = properties.relay();
        // a token of this process's own: two processes configured with one instance id never share leases
        return new InstanceRegistration(jdbc, tx, dialect, instanceId(relay), UUID.randomUUID().toString(),
                relay.lease().ttl());
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "outbox.relay.enabled", havingValue = "true", matchIfMissing = true)
    OutboxRelay outboxRelay(OutboxStore store, JdbcTemplate jdbc, TransactionTemplate tx, SqlDialect dialect,
                            OutboxProperties properties, OutboxMetrics metrics, DataSourceProperties database,
                            InstanceRegistration registration, ObjectProvider<PermanentErrors> brokerPermanentErrors) {
        OutboxProperties.Relay relay = properties.relay();
        PartitionLeases leases = new PartitionLeases(jdbc, tx, dialect, registration, relay.lease());
        String url = database.determineUrl();
        // LISTEN/NOTIFY is PostgreSQL's: elsewhere (H2, MySQL, MariaDB) the relay polls, and claims again at once
        // while events keep coming (busy-poll-interval)
        boolean wakeOnCommit = relay.wakeOnCommit() && url != null && url.startsWith("jdbc:postgresql:");
        RelayWakeUp wakeUp = new RelayWakeUp(wakeOnCommit);
        CommitListener listener = wakeOnCommit ? new CommitListener(url, database.determineUsername(),
                database.determinePassword(), wakeUp) : null;
        return new OutboxRelay(store, leases, relay, metrics, wakeUp, listener,
                brokerPermanentErrors.getIfAvailable(() -> PermanentErrors.NONE));
    }

    /** The relay instances purge the rows they are done with, one at a time. */
    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "outbox.relay.enabled", havingValue = "true", matchIfMissing = true)
    OutboxRetention outboxRetention(JdbcTemplate jdbc, SqlDialect dialect, RetentionProperties retention,
                                    OutboxProperties properties, OutboxMetrics metrics,
                                    InstanceRegistration registration) {
        // held from one run to the next, and a crashed holder's taken over like its partitions, after the ttl
        RetentionLease lease = new RetentionLease(jdbc, dialect, registration.instanceId(), registration.token(),
                retention.interval().plus(properties.relay().lease().ttl()));
        return new OutboxRetention(jdbc, dialect, retention, lease, metrics);
    }

    private static String instanceId(OutboxProperties.Relay relay) {
        if (relay.instanceId() != null && !relay.instanceId().isBlank()) {
            return relay.instanceId();
        }
        // host@pid, plus a random part: pid 1 in every container, and a restart need not wait for its predecessor's
        // registration to lapse
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
