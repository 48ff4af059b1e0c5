package dev.outboxrelay.samples.orders;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    /**
     * A caller's W3C trace context travels with the event, so consumers join the same trace; with tracing on, the
     * request's span, which continues the caller's, takes its place (OutboxWriter).
     */
    @PostMapping
    ResponseEntity<OrderService.PlacedOrder> place(@Valid @RequestBody PlaceOrderRequest request,
                                                   @RequestHeader(name = "traceparent", required = false)
                                                   String traceparent) {
        Map<String, String> headers = traceparent == null ? Map.of() : Map.of("traceparent", traceparent);
        OrderService.PlacedOrder placed = orders.place(request, headers);
        return ResponseEntity.created(URI.create("/orders/" + placed.orderId())).body(placed);
    }

    @GetMapping("/{id}")
    ResponseEntity<OrderService.OrderView> find(@PathVariable UUID id) {
        return ResponseEntity.of(orders.find(id));
    }
}
