-- Commerce: products get a stable integer key for full-text search and a soft delete; FTS5 search
-- kept in sync by triggers; carts; orders with their lines and status history.

-- 1. Rebuild products with `seq INTEGER PRIMARY KEY`: the FTS rowid must never change, and SQLite
--    may renumber implicit rowids on VACUUM. sku and slug stay unique among undeleted products.
CREATE TABLE products_new (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
    sku                 TEXT NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug                TEXT NOT NULL CHECK (length(slug) BETWEEN 1 AND 220),
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
    deleted_at          TEXT,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;

INSERT INTO products_new (id, sku, name, slug, description, price_minor, status, category_id, images, attributes, stock, reserved,
                          low_stock_threshold, views, sales, created_at, updated_at)
SELECT id, sku, name, slug, description, price_minor, status, category_id, images, attributes, stock, reserved,
       low_stock_threshold, views, sales, created_at, updated_at
FROM products ORDER BY created_at, id;

DROP TABLE products;
ALTER TABLE products_new RENAME TO products;

CREATE UNIQUE INDEX products_sku ON products (sku) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX products_slug ON products (slug) WHERE deleted_at IS NULL;
CREATE INDEX products_status_created ON products (status, created_at) WHERE deleted_at IS NULL;
CREATE INDEX products_category ON products (category_id) WHERE deleted_at IS NULL;
CREATE INDEX products_price ON products (price_minor) WHERE deleted_at IS NULL;
CREATE INDEX products_sales ON products (sales) WHERE deleted_at IS NULL;

-- 2. Full-text search over name, description, sku and category name; rowid = products.seq.
CREATE VIRTUAL TABLE products_fts USING fts5 (
    name, description, sku, category,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

INSERT INTO products_fts (rowid, name, description, sku, category)
SELECT p.seq, p.name, p.description, p.sku, coalesce(c.name, '')
FROM products p LEFT JOIN categories c ON c.id = p.category_id
WHERE p.deleted_at IS NULL;

CREATE TRIGGER products_fts_insert AFTER INSERT ON products WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO products_fts (rowid, name, description, sku, category)
    VALUES (new.seq, new.name, new.description, new.sku, coalesce((SELECT name FROM categories WHERE id = new.category_id), ''));
END;

CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description, sku, category_id, deleted_at ON products BEGIN
    DELETE FROM products_fts WHERE rowid = old.seq;
    INSERT INTO products_fts (rowid, name, description, sku, category)
    SELECT new.seq, new.name, new.description, new.sku, coalesce((SELECT name FROM categories WHERE id = new.category_id), '')
    WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    DELETE FROM products_fts WHERE rowid = old.seq;
END;

CREATE TRIGGER categories_fts_rename AFTER UPDATE OF name ON categories BEGIN
    UPDATE products_fts SET category = new.name
    WHERE rowid IN (SELECT seq FROM products WHERE category_id = new.id AND deleted_at IS NULL);
END;

-- 3. Carts: one per signed-in user.
CREATE TABLE cart_items (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id  TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    added_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (user_id, product_id)
) STRICT, WITHOUT ROWID;

-- 4. Orders. Lines keep the product's sku, name and price at order time.
CREATE TABLE orders (
    id               TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    number           INTEGER NOT NULL UNIQUE CHECK (number > 0),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled', 'refunded')),
    customer_id      TEXT REFERENCES users (id) ON DELETE SET NULL,
    payment_method   TEXT NOT NULL CHECK (length(payment_method) BETWEEN 1 AND 40),
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    subtotal_minor   INTEGER NOT NULL CHECK (subtotal_minor >= 0),
    total_minor      INTEGER NOT NULL CHECK (total_minor >= 0),
    idempotency_key  TEXT CHECK (idempotency_key IS NULL OR length(idempotency_key) <= 255),
    request_hash     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX orders_idempotency ON orders (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE INDEX orders_status_created ON orders (status, created_at);
CREATE INDEX orders_created ON orders (created_at);

CREATE TABLE order_items (
    order_id          TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line              INTEGER NOT NULL CHECK (line >= 1),
    product_id        TEXT NOT NULL CHECK (length(product_id) = 36),
    sku               TEXT NOT NULL,
    name              TEXT NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    unit_price_minor  INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    line_total_minor  INTEGER NOT NULL CHECK (line_total_minor = quantity * unit_price_minor),
    PRIMARY KEY (order_id, line)
) STRICT, WITHOUT ROWID;

CREATE INDEX order_items_product ON order_items (product_id);

CREATE TABLE order_status_history (
    order_id    TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    status      TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled', 'refunded')),
    at          TEXT NOT NULL,
    by_user_id  TEXT,
    PRIMARY KEY (order_id, seq)
) STRICT, WITHOUT ROWID;
