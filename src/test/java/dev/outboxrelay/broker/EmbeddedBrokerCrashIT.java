package dev.outboxrelay.broker;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.outboxrelay.support.ChildJvm;
import dev.outboxrelay.support.FreePorts;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the embedded broker acknowledged survives a kill -9 of its JVM: each message it answered a send for is there
 * after a restart on the same data dir. The relay marks an event PUBLISHED on that answer, so a message lost here
 * would be an event lost. The kill comes right after the last answer, inside the 500 ms H2 would otherwise wait
 * before writing a commit to its file.
 */
class EmbeddedBrokerCrashIT {

    private static final int MESSAGES = 50;

    @Test
    void everyMessageTheBrokerAcknowledgedIsThereAfterAKill9() throws Exception {
        Path dataDir = Path.of("target", "embedded-broker-crash-it").toAbsolutePath();
        FileSystemUtils.deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        int port = FreePorts.next();
        Set<String> sent = new HashSet<>();

        Process first = start(port, dataDir, "embedded-broker-crash-it-1");
        try (SqsClient sqs = sqs(port)) {
            String queue = sqs.createQueue(b -> b.queueName("crash")).queueUrl();
            for (int i = 0; i < MESSAGES; i++) {
                String body = "event-" + i;
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
                sent.add(body);
            }
            ChildJvm.kill9(first);
        } finally {
            first.destroyForcibly().waitFor();
        }

        Process restarted = start(port, dataDir, "embedded-broker-crash-it-2");
        try (SqsClient sqs = sqs(port)) {
            String queue = sqs.getQueueUrl(b -> b.queueName("crash")).queueUrl();
            Set<String> received = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (received.size() < MESSAGES && System.nanoTime() < deadline) {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).messages();
                batch.forEach(message -> received.add(message.body()));
            }
            assertThat(received).as("messages after the restart").isEqualTo(sent);
        } finally {
            restarted.destroyForcibly().waitFor();
        }
    }

    private static Process start(int port, Path dataDir, String logName) throws Exception {
        Process process = ChildJvm.start(EmbeddedBrokerProcess.class, List.of(),
                List.of(Integer.toString(port), dataDir.toString()), logName);
        try (SqsClient sqs = sqs(port)) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> sqs.listQueues().queueUrls() != null);
        }
        return process;
    }

    private static SqsClient sqs(int port) {
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.of(EmbeddedBroker.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }
}
