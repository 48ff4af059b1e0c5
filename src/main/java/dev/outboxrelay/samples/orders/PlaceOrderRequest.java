package dev.outboxrelay.samples.orders;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /orders}, with bounds that keep every value within what the tables and the receivers hold:
 * 100 lines of at most 1,000,000 units stay far below an int, also when they all name one product.
 */
record PlaceOrderRequest(@NotBlank @Size(max = 255) @Pattern(regexp = PLAIN_TEXT, message = PLAIN_TEXT_MESSAGE)
                         String userId,
                         @NotEmpty @Size(max = 100) List<@Valid @NotNull Item> items,
                         @NotNull @PositiveOrZero @Digits(integer = 12, fraction = 2) BigDecimal total) {

    // no control characters (PostgreSQL refuses NUL in text: a 500 before) and no lone UTF-16 surrogate (stored as ?)
    static final String PLAIN_TEXT = "[^\\p{Cc}\\p{Cs}]*";
    static final String PLAIN_TEXT_MESSAGE = "must not contain control characters";

    record Item(@NotBlank @Size(max = 255) @Pattern(regexp = PLAIN_TEXT, message = PLAIN_TEXT_MESSAGE)
                String productId,
                @NotNull @Min(1) @Max(1_000_000) Integer quantity) {
    }
}
