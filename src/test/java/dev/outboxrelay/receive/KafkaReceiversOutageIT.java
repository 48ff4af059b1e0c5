package dev.outboxrelay.receive;

import java.time.Duration;

import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.BrokerOutageDrill;
import dev.outboxrelay.support.KafkaProcess;
import dev.outboxrelay.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Kafka stopped for 60 s while the shop takes 40 orders/s and the receivers are busy, then started again with its
 * data (a broker process of its own, stopped and started as an operator would): see {@link BrokerOutageDrill}.
 * Before the fix, offset commits that failed in the outage went to the dead-letter channel, whose dead letters
 * could not be sent either, and the consumers hung for good.
 */
class KafkaReceiversOutageIT {

    @Test
    void everyServiceResumesAfterTheBrokerReturnsWithEachEffectOnce() throws Exception {
        try (KafkaProcess kafka = new KafkaProcess("receivers-outage").start()) {
            ConfigurableApplicationContext app = new SpringApplicationBuilder(OutboxRelayApplication.class).run(
                    "--spring.datasource.url=" + TestPostgres.newDatabase("kafka_receivers_outage_it"),
                    "--spring.datasource.username=postgres",
                    "--outbox.broker=kafka",
                    "--outbox.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    // the relay's own backoff after the outage (up to 2 min by default) is not under test here
                    "--outbox.relay.backoff.max=2s",
                    "--server.port=0");
            BrokerOutageDrill.run(app, 40, Duration.ofSeconds(60), kafka::stop, kafka::start,
                    Duration.ofSeconds(90));
        }
    }
}
