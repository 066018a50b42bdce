-- Checkout for real (issue "Sell for real"): addresses, shipping zones, tax rates, discounts,
-- invoice numbers, and the money of each order split into discount, shipping and tax.
-- Orders placed before this migration keep total = subtotal: discount, shipping and tax are 0.

-- 1. Products weigh something (grams), for weight-band shipping rates.
ALTER TABLE products ADD COLUMN weight_grams INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams BETWEEN 0 AND 1000000000);

-- 2. A customer's address book.
CREATE TABLE addresses (
    id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address     TEXT NOT NULL CHECK (json_valid(address) AND json_type(address) = 'object'),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX addresses_user ON addresses (user_id, created_at);

-- 3. Shipping zones; a zone's methods (with their rates) are edited with it, as one JSON array.
CREATE TABLE shipping_zones (
    id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    methods     TEXT NOT NULL CHECK (json_valid(methods) AND json_type(methods) = 'array'),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
-- A country is in at most one zone: an address always has one answer.
CREATE TABLE shipping_zone_countries (
    country     TEXT PRIMARY KEY NOT NULL CHECK (length(country) = 2),
    zone_id     TEXT NOT NULL REFERENCES shipping_zones (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX shipping_zone_countries_zone ON shipping_zone_countries (zone_id);

-- 4. Tax rates by country, optionally by region; rate in parts per million.
CREATE TABLE tax_rates (
    id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    country     TEXT NOT NULL CHECK (length(country) = 2),
    region      TEXT CHECK (region IS NULL OR length(region) BETWEEN 1 AND 100),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    rate_ppm    INTEGER NOT NULL CHECK (rate_ppm BETWEEN 0 AND 1000000),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX tax_rates_place ON tax_rates (country, coalesce(region, ''));

-- 5. Coupon codes (code set) and automatic promotions (code NULL).
CREATE TABLE discounts (
    id                      TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    code                    TEXT CHECK (code IS NULL OR length(code) BETWEEN 1 AND 64),
    name                    TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind                    TEXT NOT NULL CHECK (kind IN ('percentage', 'fixed')),
    amount                  INTEGER NOT NULL CHECK ((kind = 'percentage' AND amount BETWEEN 1 AND 1000000) OR (kind = 'fixed' AND amount >= 1)),
    target                  TEXT NOT NULL CHECK (target IN ('order', 'products', 'categories')),
    target_ids              TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(target_ids) AND json_type(target_ids) = 'array'),
    minimum_subtotal_minor  INTEGER NOT NULL DEFAULT 0 CHECK (minimum_subtotal_minor >= 0),
    starts_at               TEXT,
    ends_at                 TEXT,
    usage_limit             INTEGER CHECK (usage_limit IS NULL OR usage_limit >= 1),
    per_customer_limit      INTEGER CHECK (per_customer_limit IS NULL OR per_customer_limit >= 1),
    used_count              INTEGER NOT NULL DEFAULT 0 CHECK (used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit)),
    active                  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX discounts_code ON discounts (code) WHERE code IS NOT NULL;
CREATE INDEX discounts_automatic ON discounts (active) WHERE code IS NULL;

-- Who used which discount on which order: per-customer limits, and the use given back when an
-- unpaid order is cancelled or expires.
CREATE TABLE discount_redemptions (
    discount_id  TEXT NOT NULL REFERENCES discounts (id) ON DELETE CASCADE,
    order_id     TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    customer_id  TEXT,
    at           TEXT NOT NULL,
    PRIMARY KEY (discount_id, order_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX discount_redemptions_customer ON discount_redemptions (discount_id, customer_id);
CREATE INDEX discount_redemptions_order ON discount_redemptions (order_id);

-- 6. Orders: the money split, what checkout froze, and the invoice number given at payment.
ALTER TABLE orders ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0 CHECK (discount_minor >= 0);
ALTER TABLE orders ADD COLUMN shipping_minor INTEGER NOT NULL DEFAULT 0 CHECK (shipping_minor >= 0);
ALTER TABLE orders ADD COLUMN tax_minor INTEGER NOT NULL DEFAULT 0 CHECK (tax_minor >= 0);
ALTER TABLE orders ADD COLUMN prices_include_tax INTEGER NOT NULL DEFAULT 0 CHECK (prices_include_tax IN (0, 1));
ALTER TABLE orders ADD COLUMN checkout TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(checkout) AND json_type(checkout) = 'object');
ALTER TABLE orders ADD COLUMN invoice_number INTEGER CHECK (invoice_number IS NULL OR invoice_number >= 1);
CREATE UNIQUE INDEX orders_invoice_number ON orders (invoice_number) WHERE invoice_number IS NOT NULL;

-- Orders already paid get their invoice numbers now, in the order they were paid.
UPDATE orders SET invoice_number = (
    SELECT numbered.n FROM (
        SELECT o.id, row_number() OVER (ORDER BY h.at, o.number) AS n
        FROM orders o JOIN order_status_history h ON h.order_id = o.id AND h.status = 'paid'
    ) AS numbered WHERE numbered.id = orders.id
) WHERE id IN (SELECT order_id FROM order_status_history WHERE status = 'paid');

ALTER TABLE order_items ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0 CHECK (discount_minor >= 0);
ALTER TABLE order_items ADD COLUMN tax_minor INTEGER NOT NULL DEFAULT 0 CHECK (tax_minor >= 0);
