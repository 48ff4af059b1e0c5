-- The shipping service that AddedServiceIT adds through configuration alone: one shipment per placed order. No key
-- on order_id, so that an order shipped twice would show as two rows rather than fail.
CREATE TABLE shipment (
    order_id   UUID         NOT NULL,
    user_id    VARCHAR(255) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
