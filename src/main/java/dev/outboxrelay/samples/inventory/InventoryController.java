package dev.outboxrelay.samples.inventory;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /inventory/{productId}}: the inventory service's answer to a query on its own state. */
@RestController
class InventoryController {

    private final Inventory inventory;

    InventoryController(Inventory inventory) {
        this.inventory = inventory;
    }

    @GetMapping("/inventory/{productId}")
    ResponseEntity<Inventory.Stock> stock(@PathVariable String productId) {
        return ResponseEntity.of(inventory.stock(productId));
    }
}
