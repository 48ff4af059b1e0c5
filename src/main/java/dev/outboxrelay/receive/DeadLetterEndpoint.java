package dev.outboxrelay.receive;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code GET /actuator/deadletters}: each service's DLQ. {@code POST /actuator/deadletters/{service}/replay}: move
 * the service's dead letters back to its input, after the cause is fixed; 404 for an unknown service, 400 for
 * another action.
 */
@WebEndpoint(id = "deadletters")
class DeadLetterEndpoint {

    private final DeadLetterReplay replay;
    private final ReceiverCatalogue catalogue;

    DeadLetterEndpoint(DeadLetterReplay replay, ReceiverCatalogue catalogue) {
        this.replay = replay;
        this.catalogue = catalogue;
    }

    @ReadOperation
    Map<String, Object> deadLetterQueues() {
        Map<String, Object> queues = new LinkedHashMap<>();
        for (ReceiverCatalogue.ReceivingService service : catalogue.services()) {
            queues.put(service.name(), Map.of("deadLetter", service.deadLetter(), "replayTo", service.input()));
        }
        return queues;
    }

    @WriteOperation
    WebEndpointResponse<Map<String, Object>> replay(@Selector String service, @Selector String action) {
        if (!"replay".equals(action)) {
            return new WebEndpointResponse<>(Map.of("error", "invalid request",
                    "message", "action must be replay, not " + action), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        if (catalogue.service(service).isEmpty()) {
            return new WebEndpointResponse<>(Map.of("error", "not found",
                    "message", "no receiving service " + service + "; one of " + catalogue.names()),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(Map.of("service", service, "replayed", replay.replay(service)));
    }
}
