-- db/migration/common/V10__receivers.sql for MySQL and MariaDB (UUIDs as CHAR(36), see V1)

-- inventory: stock per product; reserving moves units from available to reserved
CREATE TABLE product_stock (
    product_id VARCHAR(255) NOT NULL PRIMARY KEY,
    available  BIGINT       NOT NULL,
    reserved   BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT product_stock_available_check CHECK (available >= 0)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
-- p-1 carries enough stock for load tests; p-4 has little, to show the out-of-stock outcome
INSERT INTO product_stock (product_id, available) VALUES ('p-1', 1000000);
INSERT INTO product_stock (product_id, available) VALUES ('p-2', 50000);
INSERT INTO product_stock (product_id, available) VALUES ('p-3', 10000);
INSERT INTO product_stock (product_id, available) VALUES ('p-4', 5);

-- the inventory service's answer, recorded on the order: RESERVED or OUT_OF_STOCK (NULL until it answered)
ALTER TABLE orders ADD COLUMN stock_status VARCHAR(32) NULL;

-- payment: one charge per order.placed
CREATE TABLE payment_charge (
    id         CHAR(36)       NOT NULL PRIMARY KEY,
    order_id   CHAR(36)       NOT NULL,
    user_id    VARCHAR(255)   NOT NULL,
    amount     NUMERIC(14, 2) NOT NULL,
    charged_at TIMESTAMP(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX payment_charge_order_idx ON payment_charge (order_id);

-- email: the confirmation that would be sent (there is no mail server)
CREATE TABLE email_confirmation (
    id         CHAR(36)      NOT NULL PRIMARY KEY,
    order_id   CHAR(36)      NOT NULL,
    recipient  VARCHAR(255)  NOT NULL,
    subject    VARCHAR(255)  NOT NULL,
    body       VARCHAR(4000) NOT NULL,
    created_at TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX email_confirmation_order_idx ON email_confirmation (order_id);

-- analytics: sales per product
CREATE TABLE product_sales (
    product_id VARCHAR(255) NOT NULL PRIMARY KEY,
    units      BIGINT       NOT NULL,
    orders     BIGINT       NOT NULL
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Events each service has applied, for the idempotent consumer (camel-sql's JdbcMessageIdRepository; processorName
-- is the service). Rows older than receivers.idempotency.retention are purged. createdAt is the JVM's time, kept as
-- given (DATETIME, like PostgreSQL's TIMESTAMP without time zone).
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName VARCHAR(255) NOT NULL,
    messageId     VARCHAR(100) NOT NULL,
    createdAt     DATETIME(6)  NOT NULL,
    PRIMARY KEY (processorName, messageId)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX camel_messageprocessed_created_idx ON CAMEL_MESSAGEPROCESSED (createdAt);
