package dev.outboxrelay.receive;

import org.apache.camel.builder.RouteBuilder;

/**
 * Instantiates the route templates of routes/receivers/receiver.camel.yaml once per catalogue entry, with the values
 * the catalogue derived for it. Camel adds templated routes after every route file is loaded, so the templates are
 * there by then.
 */
class ReceiverRoutes extends RouteBuilder {

    private final ReceiverCatalogue catalogue;

    ReceiverRoutes(ReceiverCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public void configure() {
        for (ReceiverCatalogue.ReceivingService service : catalogue.services()) {
            templatedRoute("receive").routeId(ReceivingRoute.PREFIX + service.name())
                    .parameter("service", service.name())
                    .parameter("endpoint", service.endpoint())
                    .parameter("events", String.join(",", service.events()));
            templatedRoute("apply").routeId("apply-" + service.name())
                    .parameter("service", service.name())
                    .parameter("bean", service.bean())
                    .parameter("method", service.method());
        }
    }
}
