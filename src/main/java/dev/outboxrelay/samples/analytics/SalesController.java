package dev.outboxrelay.samples.analytics;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /analytics/sales/{productId}}: a product nothing was sold of answers zeros. */
@RestController
class SalesController {

    private final Sales sales;

    SalesController(Sales sales) {
        this.sales = sales;
    }

    @GetMapping("/analytics/sales/{productId}")
    Sales.ProductSales sales(@PathVariable String productId) {
        return sales.of(productId);
    }
}
