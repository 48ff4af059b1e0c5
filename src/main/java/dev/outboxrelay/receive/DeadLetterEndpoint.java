package dev.outboxrelay.receive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.core.env.Environment;

/**
 * {@code GET /actuator/deadletters}: each service's DLQ. {@code POST /actuator/deadletters/{service}/replay}: move
 * the service's dead letters back to its input, after the cause is fixed.
 */
@Endpoint(id = "deadletters")
class DeadLetterEndpoint {

    private final DeadLetterReplay replay;
    private final Environment environment;
    private final List<String> services;

    DeadLetterEndpoint(DeadLetterReplay replay, Environment environment, List<String> services) {
        this.replay = replay;
        this.environment = environment;
        this.services = services;
    }

    @ReadOperation
    Map<String, Object> deadLetterQueues() {
        Map<String, Object> queues = new LinkedHashMap<>();
        for (String service : services) {
            queues.put(service, Map.of(
                    "deadLetter", environment.getProperty("receivers." + service + ".dead-letter", ""),
                    "replayTo", environment.getProperty("receivers." + service + ".replay", "")));
        }
        return queues;
    }

    @WriteOperation
    Map<String, Object> replay(@Selector String service, @Selector String action) {
        if (!"replay".equals(action)) {
            throw new IllegalArgumentException("action must be replay, not " + action);
        }
        if (!services.contains(service)) {
            throw new IllegalArgumentException("no receiving service " + service + "; one of " + services);
        }
        return Map.of("service", service, "replayed", replay.replay(service));
    }
}
