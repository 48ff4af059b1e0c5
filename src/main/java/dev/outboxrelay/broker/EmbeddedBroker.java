package dev.outboxrelay.broker;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import scala.Function0;

/**
 * ElasticMQ serving SQS inside this JVM on 127.0.0.1, its messages kept in an H2 file under the data dir. It starts
 * on a thread of its own while the application context makes its other beans (ElasticMQ's actor system takes one to
 * two seconds, a sixth of the embedded default's start-up), and is awaited once they are all made: nothing uses it
 * before, as Camel's routes start after.
 */
class EmbeddedBroker implements SmartInitializingSingleton {

    static final String REGION = "us-east-1";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final EmbeddedBrokerProperties properties;
    private final CompletableFuture<Function0<?>> started = new CompletableFuture<>();

    EmbeddedBroker(EmbeddedBrokerProperties properties) {
        this.properties = properties;
    }

    void start() {
        Thread starting = new Thread(() -> {
            try {
                started.complete(startServer());
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "embedded-broker-start");
        starting.setDaemon(true);
        starting.start();
    }

    @Override
    public void afterSingletonsInstantiated() {
        try {
            started.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("The embedded broker did not start on " + endpoint() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    void stop() {
        started.thenAccept(Function0::apply);
    }

    private Function0<?> startServer() {
        Config config = ConfigFactory.parseMap(Map.of(
                "node-address.host", "127.0.0.1",
                "node-address.port", properties.port(),
                "rest-sqs.bind-hostname", "127.0.0.1",
                "rest-sqs.bind-port", properties.port(),
                "rest-stats.enabled", false,
                "aws.region", REGION,
                "messages-storage.enabled", properties.persistent(),
                "messages-storage.uri", "jdbc:h2:" + properties.dataDir().toAbsolutePath().resolve("embedded-broker")))
                .withFallback(ConfigFactory.load());
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        log.info("Embedded broker (SQS API) listening on {}", endpoint());
        return shutdown;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + properties.port());
    }
}
