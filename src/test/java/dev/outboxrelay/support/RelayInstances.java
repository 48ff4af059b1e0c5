package dev.outboxrelay.support;

import java.util.ArrayList;
import java.util.List;

import dev.outboxrelay.OutboxRelayApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Whole relay applications started side by side in this JVM, as separate deployments would run. */
public final class RelayInstances {

    private RelayInstances() {
    }

    /** Arguments for a relay-only instance publishing to Kafka from the given test database ({@link TestDatabase}). */
    public static List<String> kafkaRelayArgs(String instanceId, String database, String bootstrapServers) {
        return new ArrayList<>(List.of(
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=" + TestDatabase.user(database),
                "--spring.datasource.password=" + TestDatabase.password(database),
                "--outbox.broker=kafka",
                "--outbox.kafka.bootstrap-servers=" + bootstrapServers,
                "--outbox.relay.instance-id=" + instanceId,
                "--outbox.relay.poll-interval=100",
                // above the producer's 15 s delivery timeout, as the relay requires
                "--outbox.relay.lease.ttl=20s",
                "--outbox.relay.lease.rebalance-interval=500ms",
                "--receivers.enabled=false",
                "--server.port=0"));
    }

    public static ConfigurableApplicationContext start(List<String> args) {
        return new SpringApplicationBuilder(OutboxRelayApplication.class).run(args.toArray(String[]::new));
    }

    public static double publishedBy(ConfigurableApplicationContext instance) {
        return instance.getBean(MeterRegistry.class).counter("outbox.events.published").count();
    }

    public static double purgedBy(ConfigurableApplicationContext instance) {
        return instance.getBean(MeterRegistry.class).counter("outbox.events.purged").count();
    }
}
