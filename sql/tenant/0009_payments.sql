-- Payments through a provider (issue "Sell for real", item 7): which provider an order's payment
-- was started with and the provider's id for it (a Stripe PaymentIntent), and every webhook event
-- already handled, so a replayed or retried event never moves an order twice.
-- Orders placed before this migration have neither: they are manual, as they always were.

ALTER TABLE orders ADD COLUMN payment_provider TEXT CHECK (payment_provider IS NULL OR payment_provider IN ('manual', 'stripe'));
ALTER TABLE orders ADD COLUMN payment_reference TEXT CHECK (payment_reference IS NULL OR length(payment_reference) BETWEEN 1 AND 255);
-- A webhook names the payment, not the order: found through this index. One payment, one order.
CREATE UNIQUE INDEX orders_payment_reference ON orders (payment_reference) WHERE payment_reference IS NOT NULL;

CREATE TABLE payment_events (
    provider     TEXT NOT NULL CHECK (provider IN ('stripe')),
    event_id     TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 255),
    type         TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 255),
    order_id     TEXT REFERENCES orders (id) ON DELETE SET NULL,
    -- What handling it did: paid, refunded, ignored, mismatch, late-refund, failed.
    outcome      TEXT NOT NULL CHECK (length(outcome) BETWEEN 1 AND 40),
    received_at  TEXT NOT NULL,
    PRIMARY KEY (provider, event_id)
) STRICT, WITHOUT ROWID;
