package dev.outboxrelay.broker.aws;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.outboxrelay.support.AwsQueues;
import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.TestAws;
import software.amazon.awssdk.services.sqs.SqsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * outbox.broker=aws against a real AWS-API server (fauxqs, or LocalStack with -Daws.test.endpoint): SNS topics
 * fanning out to the services' SQS queues, commands point to point, AWS's limits. The receivers are off, so the
 * test reads each service's queue itself.
 */
@SpringBootTest(properties = {
        "receivers.enabled=false",
        "outbox.relay.poll-interval=100",
        "outbox.aws.commands.[payment.process]=payment",
        "outbox.aws.max-receive-count=2"})
@DirtiesContext
class AwsFanOutIT {

    private static final String PREFIX = TestAws.namePrefix();
    private static final List<String> ORDER_SERVICES = List.of("inventory", "payment", "email", "analytics");
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final AwsQueues queues = new AwsQueues(PREFIX);

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestAws.register(registry, "aws_fan_out_it", PREFIX, TestAws::endpoint);
    }

    @AfterAll
    static void close() {
        queues.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anOrderReachesEachOfTheFourServicesOnceUnchangedWithItsCloudEventsAttributes() {
        UUID id = UUID.randomUUID();
        String payload = "{\"orderId\":\"o-1\",\"userId\":\"u-789\",\"items\":[{\"productId\":\"p-1\",\"quantity\":2}],"
                + "\"total\":99.98,\"note\":\"caf\u00e9 \u2615\"}";
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, headers)"
                + " VALUES (?, 'order', 'o-1', 'order.placed', ?, ?)", id, payload,
                "{\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"}");
        List<String> ids = List.of(id.toString());

        for (String service : ORDER_SERVICES) {
            queues.await(service, ids, BOUND);
            // a second copy would show up within this time
            List<Message> received = queues.settle(service, ids, Duration.ofSeconds(2));
            assertThat(received).as(service).hasSize(1);
            assertThat(received.get(0).body()).as(service).isEqualTo(payload);
            assertThat(AwsQueues.attributes(received.get(0))).as(service).containsEntry("ce_id", id.toString())
                    .containsEntry("ce_type", "order.placed").containsEntry("ce_source", "order")
                    .containsEntry("ce_subject", "o-1").containsKey("ce_time")
                    .containsEntry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        }
        // the order side takes payment events only
        assertThat(queues.settle("orders", ids, Duration.ofSeconds(1))).isEmpty();
        assertThat(new OutboxRows(jdbc).row(id)).containsEntry("status", "PUBLISHED");
    }

    @Test
    void aCommandReachesOnlyItsQueue() {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload)"
                + " VALUES (?, 'order', 'o-2', 'payment.process', '{\"orderId\":\"o-2\",\"amount\":12.5}')", id);
        List<String> ids = List.of(id.toString());

        List<Message> payment = queues.await("payment", ids, BOUND);
        assertThat(AwsQueues.attributes(payment.get(0))).containsEntry("ce_type", "payment.process");
        assertThat(queues.settle("payment", ids, Duration.ofSeconds(2))).hasSize(1);
        for (String service : List.of("inventory", "email", "analytics", "orders")) {
            assertThat(queues.settle(service, ids, Duration.ofMillis(500))).as(service).isEmpty();
        }
        assertThat(new OutboxRows(jdbc).row(id)).containsEntry("status", "PUBLISHED");
    }

    /**
     * SQS takes a whole SendMessageBatch call and answers per entry: the entry it refuses as the sender's fault is
     * FAILED at once with SQS's reason, its aggregate's next command waits, and the entry beside it is acknowledged.
     */
    @Test
    void aCommandSqsRefusesIsFailedAtOnceWithItsReasonAndTheOneBesideItIsPublished() {
        // valid JSON, but SQS accepts no U+FFFF in a message body
        String refusedPayload = "{\"note\":\"\uFFFF\"}";
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        // one statement: the three rows are claimed, and the first two sent, together
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload) VALUES"
                        + " (?, 'order', 'o-6', 'payment.process', ?), (?, 'order', 'o-7', 'payment.process', ?),"
                        + " (?, 'order', 'o-6', 'payment.process', ?)",
                ids.get(0), refusedPayload, ids.get(1), "{\"n\":1}", ids.get(2), "{\"n\":2}");
        OutboxRows rows = new OutboxRows(jdbc);

        await().atMost(BOUND).until(() -> "FAILED".equals(rows.row(ids.get(0)).get("status")));
        assertThat((String) rows.row(ids.get(0)).get("last_error"))
                .contains("SQS refused the message: InvalidMessageContents");
        assertThat(rows.row(ids.get(0)).get("attempts")).isEqualTo(1);
        await().atMost(BOUND).until(() -> "PUBLISHED".equals(rows.row(ids.get(1)).get("status")));
        assertThat(queues.await("payment", List.of(ids.get(1).toString()), BOUND)).hasSize(1);
        assertThat(rows.row(ids.get(2))).containsEntry("status", "PENDING").containsEntry("attempts", 0);
    }

    @Test
    void aPayloadOver256KbFailsWithTheReasonAndOtherAggregatesFlow() {
        OutboxRows rows = new OutboxRows(jdbc);
        String big = "{\"blob\":\"" + "x".repeat(300 * 1024) + "\"}";
        UUID tooBig = rows.insertOne("order", "o-big", big);
        UUID behindIt = rows.insertOne("order", "o-big", "{\"n\":2}");
        List<UUID> others = List.of(rows.insertOne("order", "o-3", "{\"n\":1}"),
                rows.insertOne("order", "o-4", "{\"n\":1}"));

        await().atMost(BOUND).until(() -> "FAILED".equals(rows.row(tooBig).get("status")));
        assertThat((String) rows.row(tooBig).get("last_error"))
                .contains("bytes (payload and attributes)", "at most 262144 bytes");
        assertThat(rows.row(tooBig).get("attempts")).isEqualTo(1);
        await().atMost(BOUND).until(() -> others.stream()
                .allMatch(id -> "PUBLISHED".equals(rows.row(id).get("status"))));
        // order per aggregate: the event behind the failed one waits for an operator's retry or skip
        assertThat(rows.row(behindIt)).containsEntry("status", "PENDING").containsEntry("attempts", 0);
        assertThat(queues.await("email", others.stream().map(UUID::toString).toList(), BOUND)).hasSize(2);
    }

    @Test
    void aConsumerThatNeverSucceedsLosesItsMessagesToItsOwnDlqAfterMaxReceiveCount() {
        UUID id = new OutboxRows(jdbc).insertOne("order", "o-5", "{\"n\":1}");
        List<String> ids = List.of(id.toString());

        // inventory's consumer takes the message and fails without deleting it, receive after receive
        try (SqsClient sqs = TestAws.sqs()) {
            String inventory = sqs.getQueueUrl(b -> b.queueName(PREFIX + "inventory")).queueUrl();
            int receives = 0;
            for (int tries = 0; tries < 30 && receives < 3; tries++) {
                receives += sqs.receiveMessage(b -> b.queueUrl(inventory).visibilityTimeout(0).waitTimeSeconds(1))
                        .messages().size();
            }
            assertThat(receives).as("received twice, then SQS moved it away").isEqualTo(2);
        }
        List<Message> letters = queues.await("inventory-dlq", ids, BOUND);
        assertThat(letters.get(0).body()).isEqualTo("{\"n\":1}");
        for (String service : List.of("payment", "email", "analytics")) {
            assertThat(queues.await(service, ids, BOUND)).as(service).hasSize(1);
            assertThat(queues.settle(service + "-dlq", ids, Duration.ofMillis(300))).as(service).isEmpty();
        }
    }

    @Test
    void anEventOfAnAggregateTypeWithoutTopicFailsWithTheReason() {
        OutboxRows rows = new OutboxRows(jdbc);
        UUID id = rows.insertOne("invoice", "i-1", "{\"n\":1}");
        await().atMost(BOUND).until(() -> "FAILED".equals(rows.row(id).get("status")));
        assertThat((String) rows.row(id).get("last_error"))
                .contains("no SNS topic for aggregate type 'invoice'", "outbox.aws.topics");
    }

}
