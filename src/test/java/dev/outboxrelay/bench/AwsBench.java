package dev.outboxrelay.bench;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.outboxrelay.support.TestAws;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The relay's AWS path (README, "Performance"): {@code --aws-rows} PENDING rows drained by the relay with
 * {@code outbox.broker=aws} into the SNS topic of aggregate type {@code order}, which fans each event out to the SQS
 * queue of every service of the catalogue consuming order.placed (provisioned by the relay at start-up, receivers
 * disabled); then the same rows drained by a floor written by hand against the same topic. AWS-API server: fauxqs,
 * as the AWS tests start it ({@link TestAws}). Each run's events are counted in one subscribed queue, so that the
 * figure is that of a real fan-out.
 *
 * <p>The relay goes first, as it provisions what the floor publishes to. Each side first drains a sixth as many rows
 * unmeasured ({@link #warmupRows}), so that both are measured on a warm JVM and a warm fauxqs (both runs print where
 * the CPU went).
 */
final class AwsBench {

    /** The relay's sender threads (OutboxRelay.SENDERS): batches published at once, each call after call. */
    private static final int SENDERS = 2;
    /** PublishBatch takes ten entries at most (AwsMessages.MAX_BATCH_ENTRIES). */
    private static final int ENTRIES = 10;
    private static final String TOPIC = "outbox-event-order";
    /** The queue counted: a service of the catalogue consuming order.placed (application.yaml). */
    private static final String COUNTED_QUEUE = "inventory";

    private AwsBench() {
    }

    /** Relay drain, then floor, on the same server, topic and subscriptions; adds the aws_* figures. */
    static void measure(BenchSettings settings, String database, List<String> relayArgs, Map<String, Object> results)
            throws Exception {
        URI endpoint = TestAws.endpoint();
        String prefix = TestAws.namePrefix();
        List<String> awsArgs = new ArrayList<>(relayArgs);
        awsArgs.addAll(List.of("--outbox.aws.endpoint=" + endpoint, "--outbox.aws.region=" + TestAws.REGION,
                "--outbox.aws.name-prefix=" + prefix));
        int rows = settings.awsRows();
        try (Connection db = DriverManager.getConnection(database, "postgres", "");
             SnsClient sns = sns(endpoint);
             SqsClient sqs = TestAws.sqs()) {
            // the relay first: it provisions the topics, queues and subscriptions the floor then publishes to
            int warmup = warmupRows(rows);
            backlog(db, warmup, settings);
            double relayRate;
            Cpu relayCpu;
            try (RelayProcess relay = RelayProcess.start("aws", settings.out(), "aws", false, awsArgs)) {
                Benchmark.Drain.watch(relay, warmup);
                purge(sqs, prefix);
                // one COPY: the measured rows appear at once, to a relay that has just drained the warm-up
                Backlog.pending(db, rows, settings.aggregates(), false);
                Cpu.Mark started = Cpu.mark(relay::cpu);
                relayRate = Benchmark.Drain.watch(relay, warmup + rows).rate();
                relayCpu = started.since();
            }
            String topicArn = sns.createTopic(b -> b.name(prefix + TOPIC)).topicArn();
            List<String> queueArns = sns.listSubscriptionsByTopicPaginator(b -> b.topicArn(topicArn)).subscriptions()
                    .stream().map(Subscription::endpoint).toList();
            String counted = sqs.getQueueUrl(b -> b.queueName(prefix + COUNTED_QUEUE)).queueUrl();
            long relayArrived = arrived(sqs, counted, rows);
            String relayAttributes = attributes(sqs, counted);
            System.out.printf("aws relay: %,.0f events/s, %s; %s subscribed to %s: %s; %s holds %,d of %,d"
                    + " (attributes %s)%n", relayRate, relayCpu.describe(rows), queueArns.size(), TOPIC, queueArns,
                    COUNTED_QUEUE, relayArrived, rows, relayAttributes);
            purge(sqs, prefix);

            backlog(db, warmup, settings);
            Floor.drain(database, sns, topicArn, settings.batchSize());
            purge(sqs, prefix);
            backlog(db, rows, settings);
            Cpu.Mark floorStarted = Cpu.mark(() -> ProcessHandle.current().info().totalCpuDuration()
                    .orElse(Duration.ZERO));
            Floor floor = Floor.drain(database, sns, topicArn, settings.batchSize());
            Cpu floorCpu = floorStarted.since();
            long floorArrived = arrived(sqs, counted, rows);
            String floorAttributes = attributes(sqs, counted);
            System.out.printf("aws floor: %,d events in %.1f s (%,.0f events/s, PublishBatch %.1f ms on average),"
                    + " %s; %s holds %,d of %,d (attributes %s)%n", floor.published(), floor.seconds(), floor.rate(),
                    floor.meanCallMillis(), floorCpu.describe(rows), COUNTED_QUEUE, floorArrived, rows,
                    floorAttributes);
            purge(sqs, prefix);

            results.put("aws_relay_events_per_s", Math.round(relayRate));
            results.put("aws_floor_events_per_s", Math.round(floor.rate()));
            results.put("aws_relay_to_floor", Math.round(relayRate / floor.rate() * 100) / 100.0);
            results.put("aws_subscribed_queues", queueArns.size());
            results.put("aws_queue_messages_relay", relayArrived);
            results.put("aws_queue_messages_floor", floorArrived);
        }
    }

    /**
     * Rows each side drains first, unmeasured: without them the relay, going first, ran on a cold JVM and a cold
     * fauxqs (its first batches took twice as long as its last), and the floor on a fauxqs the relay had warmed.
     */
    static int warmupRows(int rows) {
        return Math.max(1, rows / 6);
    }

    private static void backlog(Connection db, int rows, BenchSettings settings) throws SQLException, IOException {
        Benchmark.empty(db);
        // no traceparent: the floor opens no span per event
        Backlog.pending(db, rows, settings.aggregates(), false);
        Benchmark.vacuumAnalyze(db);
    }

    /** The SNS client as the relay builds it for a local endpoint (AwsBrokerConfiguration). */
    private static SnsClient sns(URI endpoint) {
        return SnsClient.builder().endpointOverride(endpoint).region(Region.of(TestAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(10)))
                .build();
    }

    /** The queue's ApproximateNumberOfMessages once it reaches {@code expected}, or after 30 s without it. */
    private static long arrived(SqsClient sqs, String queueUrl, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long count;
        while ((count = Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))) < expected
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return count;
    }

    /** The message attribute names of one message of the queue, to compare the relay's with the floor's. */
    private static String attributes(SqsClient sqs, String queueUrl) {
        List<Message> one = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1)
                .messageAttributeNames("All")).messages();
        return one.isEmpty() ? "none received" : new TreeSet<>(one.get(0).messageAttributes().keySet()).toString();
    }

    /** Empties the run's queues, so that each drain finds the server as the other did. */
    private static void purge(SqsClient sqs, String prefix) {
        sqs.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls().forEach(url -> sqs.purgeQueue(b -> b.queueUrl(url)));
    }

    /**
     * The least the relay's AWS path must do, written by hand: per sender, claim a batch with SKIP LOCKED, publish
     * it in PublishBatch calls of ten entries one after another with the attributes the relay sets, mark it in one
     * statement; as many senders as the relay has.
     */
    record Floor(long published, double seconds, double meanCallMillis) {

        double rate() {
            return published / seconds;
        }

        static Floor drain(String database, SnsClient sns, String topicArn, int batchSize) throws Exception {
            AtomicLong calls = new AtomicLong();
            AtomicLong callNanos = new AtomicLong();
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            long started = System.nanoTime();
            try {
                List<Future<Long>> drained = new ArrayList<>();
                for (int i = 0; i < SENDERS; i++) {
                    drained.add(senders.submit(() -> {
                        try (Connection db = DriverManager.getConnection(database, "postgres", "")) {
                            return FloorPipeline.drain(db, batchSize, sender(sns, topicArn, calls, callNanos));
                        }
                    }));
                }
                long published = 0;
                for (Future<Long> sender : drained) {
                    published += sender.get();
                }
                return new Floor(published, (System.nanoTime() - started) / 1e9,
                        callNanos.get() / 1e6 / Math.max(1, calls.get()));
            } finally {
                senders.shutdownNow();
            }
        }

        /** A sender thread's part: PublishBatch calls of ten entries, one after another, as the relay makes them. */
        private static FloorPipeline.Sender sender(SnsClient sns, String topicArn, AtomicLong calls,
                                                   AtomicLong callNanos) {
            List<PublishBatchRequestEntry> entries = new ArrayList<>();
            return new FloorPipeline.Sender() {
                @Override
                public void send(String id, ResultSet row) throws SQLException {
                    entries.add(PublishBatchRequestEntry.builder()
                            .id(Integer.toString(entries.size() % ENTRIES))
                            .message(row.getString(5))
                            // the relay's attributes: the CloudEvents headers but the two constant ones
                            .messageAttributes(Map.of("ce_id", text(id), "ce_type", text(row.getString(4)),
                                    "ce_source", text(row.getString(2)), "ce_subject", text(row.getString(3)),
                                    "ce_time", text(row.getTimestamp(6).toInstant().toString())))
                            .build());
                }

                @Override
                public void flush() {
                    for (int from = 0; from < entries.size(); from += ENTRIES) {
                        List<PublishBatchRequestEntry> call = entries.subList(from,
                                Math.min(from + ENTRIES, entries.size()));
                        long started = System.nanoTime();
                        PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(topicArn)
                                .publishBatchRequestEntries(call));
                        callNanos.addAndGet(System.nanoTime() - started);
                        calls.incrementAndGet();
                        if (!response.failed().isEmpty()) {
                            throw new IllegalStateException("SNS refused entries: " + response.failed());
                        }
                    }
                    entries.clear();
                }
            };
        }

        private static MessageAttributeValue text(String value) {
            return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
        }
    }
}
