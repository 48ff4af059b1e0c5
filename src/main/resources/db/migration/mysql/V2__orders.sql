-- db/migration/common/V2__orders.sql for MySQL and MariaDB (UUIDs as CHAR(36), see V1)
CREATE TABLE orders (
    id         CHAR(36)       NOT NULL PRIMARY KEY,
    user_id    VARCHAR(255)   NOT NULL,
    total      NUMERIC(14, 2) NOT NULL,
    status     VARCHAR(32)    NOT NULL,
    created_at TIMESTAMP(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE order_item (
    order_id   CHAR(36)     NOT NULL,
    line_no    INTEGER      NOT NULL,
    product_id VARCHAR(255) NOT NULL,
    quantity   INTEGER      NOT NULL,
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_item_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
