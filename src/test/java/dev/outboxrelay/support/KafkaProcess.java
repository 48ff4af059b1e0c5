package dev.outboxrelay.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import static org.awaitility.Awaitility.await;

/**
 * A standalone Kafka broker (KRaft, combined broker and controller) in a JVM of its own, on a fixed port, with its
 * log on disk: stopped and started again it keeps its topics, records and committed offsets, as a real broker does
 * across an outage. (The embedded test broker starts from an empty directory each time.)
 */
public final class KafkaProcess implements AutoCloseable {

    private final int port = FreePorts.next();
    private final int controllerPort = FreePorts.next();
    private final Path config;
    private final String name;
    private Process process;
    private int starts;

    public KafkaProcess(String name) {
        this.name = name;
        try {
            Path dir = Files.createTempDirectory("kafka-" + name);
            config = dir.resolve("server.properties");
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=4",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=4",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true", ""));
            run("kafka.tools.StorageTool", List.of("format", "-t", UUID.randomUUID().toString().replace("-", "")
                    .substring(0, 22), "-c", config.toString()), "format").waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it answers a client. */
    public KafkaProcess start() {
        try {
            process = run("kafka.Kafka", List.of(config.toString()), "run-" + ++starts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(60)).until(this::answers);
        return this;
    }

    /** Stops the broker as an operator's {@code kill} (SIGTERM) does, and waits until it is gone. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        } catch (IOException e) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000))) {
            admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private Process run(String mainClass, List<String> args, String step) throws IOException {
        return ChildJvm.start(mainClass, List.of("-Xmx384m"), args, "kafka-" + name + "-" + step,
                Path.of("").toAbsolutePath());
    }
}
