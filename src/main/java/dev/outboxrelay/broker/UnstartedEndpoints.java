package dev.outboxrelay.broker;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.util.StringHelper;

/**
 * The endpoint a catalogue URI names, configured as Camel reads the URI but neither registered nor started: its
 * settings (queue, topic, group) come from Camel, not from parsing the URI here, and reading them asks nothing of
 * the broker, whereas starting an SQS endpoint looks its queue up (and may create it).
 */
final class UnstartedEndpoints {

    private UnstartedEndpoints() {
    }

    static <T extends Endpoint> T of(CamelContext camel, String uri, Class<T> type) throws Exception {
        Endpoint endpoint = camel.getComponent(StringHelper.before(uri, ":"), true).createEndpoint(uri);
        if (!type.isInstance(endpoint)) {
            throw new IllegalStateException(uri + " is no " + type.getSimpleName());
        }
        return type.cast(endpoint);
    }
}
