package dev.outboxrelay.orders;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /orders}. */
record PlaceOrderRequest(@NotBlank @Size(max = 255) String userId,
                         @NotEmpty @Size(max = 100) List<@Valid @NotNull Item> items,
                         @NotNull @PositiveOrZero @Digits(integer = 12, fraction = 2) BigDecimal total) {

    record Item(@NotBlank @Size(max = 255) String productId, @NotNull @Min(1) Integer quantity) {
    }
}
