-- The catalog: categories and products with their inventory and counters.
-- Money is integer minor units (cents); never REAL.

CREATE TABLE categories (
    id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    slug        TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 120),
    parent_id   TEXT REFERENCES categories (id) ON DELETE SET NULL CHECK (parent_id IS NULL OR parent_id <> id),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;

CREATE TABLE products (
    id                  TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    sku                 TEXT NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug                TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 220),
    description         TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    price_minor         INTEGER NOT NULL CHECK (price_minor >= 0),
    status              TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('active', 'inactive', 'draft')),
    category_id         TEXT REFERENCES categories (id) ON DELETE SET NULL,
    images              TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(images) AND json_type(images) = 'array'),
    attributes          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes) AND json_type(attributes) = 'object'),
    stock               INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    reserved            INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= stock),
    low_stock_threshold INTEGER NOT NULL DEFAULT 10 CHECK (low_stock_threshold >= 0),
    views               INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0),
    sales               INTEGER NOT NULL DEFAULT 0 CHECK (sales >= 0),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;

CREATE INDEX products_status_created ON products (status, created_at);
CREATE INDEX products_category ON products (category_id);
CREATE INDEX products_price ON products (price_minor);
