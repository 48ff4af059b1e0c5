package dev.outboxrelay.broker.aws;

import java.time.Duration;
import java.util.List;

import dev.outboxrelay.support.AwsQueues;
import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.TcpProxy;
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
import static org.awaitility.Awaitility.await;

/** SNS unreachable, then back: the events wait in the table, retried with backoff, and all arrive once it is back. */
@SpringBootTest(properties = {
        "receivers.enabled=false",
        "outbox.relay.poll-interval=100",
        "outbox.aws.api-call-timeout=3s"})
@DirtiesContext
class AwsOutageIT {

    private static final String PREFIX = TestAws.namePrefix();
    private static final TcpProxy aws = new TcpProxy(TestAws.endpoint());
    private static final AwsQueues queues = new AwsQueues(PREFIX);

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        // the relay reaches AWS through the proxy; the test reads the queues directly
        TestAws.register(registry, "aws_outage_it", PREFIX, aws::endpoint);
    }

    @AfterAll
    static void close() {
        aws.close();
        queues.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eventsWrittenWhileSnsIsUnreachableStayPendingAndAllArriveOnceItIsBack() {
        OutboxRows rows = new OutboxRows(jdbc);
        aws.cut();
        List<String> ids = rows.insert("order", 30, 300).stream().map(row -> row.id().toString()).toList();

        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT MAX(attempts) FROM outbox_event", Integer.class) >= 2);
        assertThat(rows.count("PENDING")).isEqualTo(300);
        assertThat(jdbc.queryForList("SELECT DISTINCT last_error FROM outbox_event WHERE last_error IS NOT NULL",
                String.class)).isNotEmpty().allSatisfy(error -> assertThat(error).containsIgnoringCase("unable to execute HTTP request"));

        aws.open();
        await().atMost(Duration.ofSeconds(90)).until(() -> rows.count("PUBLISHED") == 300);
        queues.await("inventory", ids, Duration.ofSeconds(60));
        List<Message> arrived = queues.settle("inventory", ids, Duration.ofSeconds(2));
        assertThat(arrived.stream().map(AwsQueues::eventId).distinct()).hasSize(300);
        assertThat(arrived).as("none sent twice").hasSize(300);
    }
}
