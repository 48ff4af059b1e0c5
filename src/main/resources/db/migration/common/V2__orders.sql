CREATE TABLE orders (
    id         UUID PRIMARY KEY,
    user_id    VARCHAR(255)   NOT NULL,
    total      NUMERIC(14, 2) NOT NULL,
    status     VARCHAR(32)    NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE order_item (
    order_id   UUID         NOT NULL REFERENCES orders (id),
    line_no    INTEGER      NOT NULL,
    product_id VARCHAR(255) NOT NULL,
    quantity   INTEGER      NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
