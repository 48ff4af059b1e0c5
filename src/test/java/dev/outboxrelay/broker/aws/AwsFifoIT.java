package dev.outboxrelay.broker.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.outboxrelay.support.AwsQueues;
import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.TestAws;
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

/** outbox.aws.fifo=true: FIFO topics and queues keep each aggregate's events in order in every service's queue. */
@SpringBootTest(properties = {
        "receivers.enabled=false",
        "outbox.relay.poll-interval=100",
        "outbox.aws.fifo=true"})
@DirtiesContext
class AwsFifoIT {

    private static final String PREFIX = TestAws.namePrefix();
    private static final Pattern POSITION = Pattern.compile("\"n\":(\\d+)");
    private static final AwsQueues queues = new AwsQueues(PREFIX);

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestAws.register(registry, "aws_fifo_it", PREFIX, TestAws::endpoint);
    }

    @AfterAll
    static void close() {
        queues.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aThousandEventsOverTwentyAggregatesArriveInOrderPerAggregateInEveryQueue() {
        List<String> ids = new OutboxRows(jdbc).insert("order", 20, 1000).stream()
                .map(row -> row.id().toString()).toList();

        // the four queues read at once, as four services would
        AwsQueues.inParallel(List.of("inventory", "payment", "email", "analytics"), service -> {
            queues.await(service + ".fifo", ids, Duration.ofSeconds(120));
            List<Message> received = queues.settle(service + ".fifo", ids, Duration.ofSeconds(1));
            assertThat(received).as(service + ": each event once").hasSize(1000);
            Map<String, List<Integer>> positions = new HashMap<>();
            for (Message message : received) {
                positions.computeIfAbsent(message.messageAttributes().get("ce_subject").stringValue(),
                        aggregate -> new ArrayList<>()).add(position(message.body()));
            }
            assertThat(positions).as(service).hasSize(20);
            positions.forEach((aggregate, arrived) -> assertThat(arrived).as(service + " " + aggregate)
                    .hasSize(50).isSorted());
        });
    }

    private static int position(String body) {
        Matcher matcher = POSITION.matcher(body);
        assertThat(matcher.find()).as(body).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
