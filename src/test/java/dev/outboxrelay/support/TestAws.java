package dev.outboxrelay.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A real AWS-API server (SNS + SQS) per test JVM: fauxqs, pinned in src/test/fauxqs and installed by the build
 * ({@code npm ci}), started with node on 127.0.0.1. Given {@code -Daws.test.endpoint=http://localhost:4566} (or
 * the environment variable AWS_TEST_ENDPOINT) the tests use that server instead, e.g. LocalStack. Each test takes
 * names of its own ({@link #namePrefix()}), so tests never see each other's topics and queues.
 */
public final class TestAws {

    public static final String REGION = "us-east-1";
    private static final Path FAUXQS = Path.of("src", "test", "fauxqs");
    private static Process fauxqs;
    private static URI endpoint;

    private TestAws() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            String given = System.getProperty("aws.test.endpoint", System.getenv("AWS_TEST_ENDPOINT"));
            endpoint = given != null && !given.isBlank() ? URI.create(given) : startFauxqs();
        }
        return endpoint;
    }

    /** Topic and queue names of a test's own: {@code outbox.aws.name-prefix}. */
    public static String namePrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    /** Arguments for an application on the broker {@code aws} at {@code endpoint}, with its own names. */
    public static List<String> appArgs(URI endpoint, String namePrefix) {
        return new ArrayList<>(List.of(
                "--outbox.broker=aws",
                "--outbox.aws.endpoint=" + endpoint,
                "--outbox.aws.region=" + REGION,
                "--outbox.aws.name-prefix=" + namePrefix,
                "--outbox.relay.poll-interval=100",
                "--server.port=0"));
    }

    /** The properties of a Spring Boot test on broker {@code aws}: its own PostgreSQL database and names. */
    public static void register(DynamicPropertyRegistry registry, String database, String namePrefix,
                                Supplier<URI> awsEndpoint) {
        registry.add("spring.datasource.url", () -> TestPostgres.newDatabase(database));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("outbox.broker", () -> "aws");
        registry.add("outbox.aws.endpoint", awsEndpoint::get);
        registry.add("outbox.aws.region", () -> REGION);
        registry.add("outbox.aws.name-prefix", () -> namePrefix);
    }

    public static SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    /** Receives and deletes what the queue holds, until {@code expected} messages came or the time is up. */
    public static List<Message> drain(SqsClient sqs, String queue, int expected, long timeoutMillis) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        List<Message> received = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (received.size() < expected && System.currentTimeMillis() < deadline) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            for (Message message : batch) {
                received.add(message);
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return received;
    }

    /** Whether the queue exists on the server. */
    public static boolean queueExists(SqsClient sqs, String queue) {
        try {
            sqs.getQueueUrl(b -> b.queueName(queue));
            return true;
        } catch (QueueDoesNotExistException e) {
            return false;
        }
    }

    private static URI startFauxqs() {
        if (!Files.isDirectory(FAUXQS.resolve("node_modules").resolve("fauxqs"))) {
            throw new IllegalStateException("fauxqs is not installed: run `npm ci` in " + FAUXQS
                    + " (the Maven build does it in pre-integration-test)");
        }
        try {
            // stdin stays a pipe: when this JVM ends, however it ends, the server sees it close and exits
            fauxqs = new ProcessBuilder("node", "server.mjs", "0").directory(FAUXQS.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(fauxqs.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("fauxqs listening on ")) {
                fauxqs.destroyForcibly();
                throw new IllegalStateException("fauxqs did not start: " + line);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(TestAws::stopFauxqs));
            return URI.create("http://127.0.0.1:" + line.substring("fauxqs listening on ".length()).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start fauxqs with node (Node 20 must be on the PATH)", e);
        }
    }

    private static void stopFauxqs() {
        fauxqs.destroy();
        try {
            fauxqs.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
