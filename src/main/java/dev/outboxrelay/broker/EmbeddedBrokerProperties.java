package dev.outboxrelay.broker;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-JVM SQS-compatible broker used when {@code outbox.broker=embedded}.
 *
 * @param port       where it listens on 127.0.0.1
 * @param dataDir    where it keeps its messages, so that a restart loses none
 * @param persistent keep messages on disk; off only for throwaway runs such as tests
 */
@ConfigurationProperties("outbox.embedded")
public record EmbeddedBrokerProperties(@DefaultValue("9324") int port,
                                       @DefaultValue("./data") Path dataDir,
                                       @DefaultValue("true") boolean persistent) {
}
