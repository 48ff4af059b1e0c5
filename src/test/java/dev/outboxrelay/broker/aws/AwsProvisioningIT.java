package dev.outboxrelay.broker.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.outboxrelay.support.RelayInstances;
import dev.outboxrelay.support.TestAws;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up against AWS: topics, queues, DLQs and subscriptions created once however often it starts, or checked. */
class AwsProvisioningIT {

    @Test
    void provisioningTwiceCreatesEachTopicQueueAndSubscriptionOnce() {
        String prefix = TestAws.namePrefix();
        start(prefix, "--outbox.aws.max-receive-count=3").close();
        start(prefix, "--outbox.aws.max-receive-count=4").close();

        try (SnsClient sns = sns(); SqsClient sqs = TestAws.sqs()) {
            List<String> topics = sns.listTopicsPaginator().topics().stream().map(t -> t.topicArn())
                    .filter(arn -> arn.contains(":" + prefix)).toList();
            assertThat(topics).hasSize(2).anySatisfy(arn -> assertThat(arn).endsWith(":" + prefix + "outbox-event-order"))
                    .anySatisfy(arn -> assertThat(arn).endsWith(":" + prefix + "outbox-event-payment"));
            String orderTopic = topics.stream().filter(arn -> arn.endsWith("order")).findFirst().orElseThrow();
            List<Subscription> subscriptions = sns.listSubscriptionsByTopicPaginator(b -> b.topicArn(orderTopic))
                    .subscriptions().stream().toList();
            assertThat(subscriptions).extracting(Subscription::endpoint).hasSize(4).allSatisfy(endpoint ->
                    assertThat(endpoint).matches(".*:" + prefix + "(inventory|payment|email|analytics)"));
            for (String service : List.of("inventory", "payment", "email", "analytics", "orders")) {
                String url = sqs.getQueueUrl(b -> b.queueName(prefix + service)).queueUrl();
                String redrive = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes()
                        .get(QueueAttributeName.REDRIVE_POLICY);
                // the second start's setting won: provisioning brings attributes up to date
                assertThat(redrive).as(service).contains(prefix + service + "-dlq", "\"maxReceiveCount\":\"4\"");
            }
        }
    }

    /** Queues and subscriptions come from the service catalogue; a service must have a topic to subscribe to. */
    @Test
    void aServiceConsumingAnAggregateTypeWithoutATopicStopsStartUpNamingBoth() {
        String prefix = TestAws.namePrefix();
        assertThatThrownBy(() -> start(prefix, "--outbox.aws.topics=order"))
                .hasStackTraceContaining("receivers.services.orders consumes events of aggregate type payment,"
                        + " which has no SNS topic: add it to outbox.aws.topics");
    }

    @Test
    void withoutProvisioningAMissingTopicStopsStartUpNamingIt() {
        String prefix = TestAws.namePrefix();
        assertThatThrownBy(() -> start(prefix, "--outbox.aws.provision=false"))
                .hasStackTraceContaining("SNS topic " + prefix + "outbox-event-order (aggregate type order)"
                        + " does not exist");
    }

    @Test
    void withoutProvisioningAMissingQueueStopsStartUpNamingIt() {
        String prefix = TestAws.namePrefix();
        start(prefix).close();
        try (SqsClient sqs = TestAws.sqs()) {
            sqs.deleteQueue(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName(prefix + "email-dlq")).queueUrl()));
        }
        assertThatThrownBy(() -> start(prefix, "--outbox.aws.provision=false"))
                .hasStackTraceContaining("SQS queue " + prefix + "email-dlq does not exist");
        // with everything in place it starts without creating anything
        start(prefix, "--outbox.aws.provision=true").close();
        start(prefix, "--outbox.aws.provision=false").close();
    }

    private static ConfigurableApplicationContext start(String prefix, String... extra) {
        List<String> args = new ArrayList<>(TestAws.appArgs(TestAws.endpoint(), prefix));
        args.add("--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID());
        args.add("--outbox.relay.enabled=false");
        args.add("--receivers.enabled=false");
        args.addAll(List.of(extra));
        return RelayInstances.start(args);
    }

    private static SnsClient sns() {
        return SnsClient.builder().endpointOverride(TestAws.endpoint()).region(Region.of(TestAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }
}
