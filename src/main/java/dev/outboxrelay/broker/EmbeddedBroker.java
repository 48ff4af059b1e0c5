package dev.outboxrelay.broker;

import java.net.URI;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function0;

/** ElasticMQ serving SQS inside this JVM on 127.0.0.1, its messages kept in an H2 file under the data dir. */
class EmbeddedBroker {

    static final String REGION = "us-east-1";
    /**
     * The broker answers a send once the message is in its H2 file, and the relay marks the event PUBLISHED on that
     * answer, so a commit must reach the file at once (H2 waits up to 500 ms: a kill -9 lost acknowledged messages,
     * EmbeddedBrokerCrashIT). Nor may H2 close the file at JVM exit by itself, while the application is still
     * stopping and its receivers are deleting the messages they finished.
     */
    private static final String STORAGE_SETTINGS = ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final EmbeddedBrokerProperties properties;
    private Function0<?> shutdown;

    EmbeddedBroker(EmbeddedBrokerProperties properties) {
        this.properties = properties;
    }

    void start() {
        Config config = ConfigFactory.parseMap(Map.of(
                "node-address.host", "127.0.0.1",
                "node-address.port", properties.port(),
                "rest-sqs.bind-hostname", "127.0.0.1",
                "rest-sqs.bind-port", properties.port(),
                "rest-stats.enabled", false,
                "aws.region", REGION,
                "messages-storage.enabled", properties.persistent(),
                "messages-storage.uri", "jdbc:h2:" + properties.dataDir().toAbsolutePath().resolve("embedded-broker")
                        + STORAGE_SETTINGS))
                .withFallback(ConfigFactory.load());
        shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        log.info("Embedded broker (SQS API) listening on {}", endpoint());
    }

    void stop() {
        if (shutdown != null) {
            shutdown.apply();
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + properties.port());
    }
}
