package dev.outboxrelay.receive;

import org.apache.camel.Exchange;

/** Receiving routes are named {@code receive-<service>}; the service is read back from the route id. */
final class ReceivingRoute {

    static final String PREFIX = "receive-";

    private ReceivingRoute() {
    }

    static String service(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        if (routeId == null || !routeId.startsWith(PREFIX)) {
            throw new IllegalStateException("not a receiving route: " + routeId);
        }
        return routeId.substring(PREFIX.length());
    }
}
