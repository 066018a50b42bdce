-- Product variants (issue "Sell for real", item 1): a product comes in variants, each with its own
-- SKU, price, stock, weight and attributes, told apart by option values (size M, colour red).
-- Stock is held, reserved and sold per variant; the product row keeps the totals (stock, reserved,
-- sales), the lowest price ("from") and the first variant's weight, maintained by the triggers
-- below, so listing, price filters, sorting and the low-stock figures read one row as before.
-- Every product has at least one variant: a product without options has one default variant,
-- created with it by a trigger, and every product of an earlier release gets one here.

CREATE TABLE product_variants (
    id                  TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    product_id          TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku                 TEXT NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
    -- [{"name": "Size", "value": "M"}, …] in the product's option order; [] for a default variant.
    options             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options) AND json_type(options) = 'array'),
    -- The option values lowercased and joined: one variant per combination.
    options_key         TEXT NOT NULL DEFAULT '',
    price_minor         INTEGER NOT NULL CHECK (price_minor >= 0),
    stock               INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    reserved            INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= stock),
    sales               INTEGER NOT NULL DEFAULT 0 CHECK (sales >= 0),
    weight_grams        INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams BETWEEN 0 AND 1000000000),
    attributes          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes) AND json_type(attributes) = 'object'),
    position            INTEGER NOT NULL CHECK (position >= 1),
    deleted_at          TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX product_variants_sku ON product_variants (sku) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX product_variants_combination ON product_variants (product_id, options_key) WHERE deleted_at IS NULL;
CREATE INDEX product_variants_product ON product_variants (product_id, position);

-- Every existing product becomes its own default variant, with its stock, reservations and sales.
INSERT INTO product_variants (id, product_id, sku, price_minor, stock, reserved, sales, weight_grams, attributes, position, deleted_at,
                              created_at, updated_at)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
             || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
       id, sku, price_minor, stock, reserved, sales, weight_grams, '{}', 1, deleted_at, created_at, updated_at
FROM products;

-- A product inserted without variants (the API's single-SKU products, the demo, bulk SQL loads)
-- gets its default variant from its own columns.
CREATE TRIGGER products_default_variant AFTER INSERT ON products BEGIN
    INSERT INTO product_variants (id, product_id, sku, price_minor, stock, reserved, sales, weight_grams, position, created_at, updated_at)
    VALUES (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
                  || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
            new.id, new.sku, new.price_minor, new.stock, new.reserved, new.sales, new.weight_grams, 1, new.created_at, new.updated_at);
END;

-- The product's totals follow its variants. Deleted variants hold no stock; their sales still count.
CREATE VIEW product_variant_totals AS
SELECT v.product_id,
       coalesce(sum(CASE WHEN v.deleted_at IS NULL THEN v.stock END), 0) AS stock,
       coalesce(sum(CASE WHEN v.deleted_at IS NULL THEN v.reserved END), 0) AS reserved,
       coalesce(sum(v.sales), 0) AS sales,
       coalesce(min(CASE WHEN v.deleted_at IS NULL THEN v.price_minor END), 0) AS price_minor,
       coalesce((SELECT f.weight_grams FROM product_variants f WHERE f.product_id = v.product_id AND f.deleted_at IS NULL
                 ORDER BY f.position LIMIT 1), 0) AS weight_grams
FROM product_variants v GROUP BY v.product_id;

CREATE TRIGGER product_variants_rollup_insert AFTER INSERT ON product_variants BEGIN
    UPDATE products SET (stock, reserved, sales, price_minor, weight_grams) =
        (SELECT stock, reserved, sales, price_minor, weight_grams FROM product_variant_totals WHERE product_id = new.product_id)
    WHERE id = new.product_id;
END;

CREATE TRIGGER product_variants_rollup_update AFTER UPDATE OF stock, reserved, sales, price_minor, weight_grams, position, deleted_at
ON product_variants BEGIN
    UPDATE products SET (stock, reserved, sales, price_minor, weight_grams) =
        (SELECT stock, reserved, sales, price_minor, weight_grams FROM product_variant_totals WHERE product_id = new.product_id)
    WHERE id = new.product_id;
END;

-- Search finds a product by any of its variants' SKUs and option values ("red", "XL"): the FTS
-- row's sku column holds the product's SKU, then each variant's own SKU and option values.
CREATE VIEW product_search_codes AS
SELECT p.id AS product_id,
       p.sku || coalesce((SELECT group_concat(CASE WHEN v.sku = p.sku THEN '' ELSE ' ' || v.sku END
                                              || coalesce((SELECT ' ' || group_concat(json_extract(o.value, '$.value'), ' ') FROM json_each(v.options) o), ''), '')
                          FROM product_variants v WHERE v.product_id = p.id AND v.deleted_at IS NULL), '') AS codes
FROM products p;

DROP TRIGGER products_fts_update;
CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description, sku, category_id, deleted_at ON products BEGIN
    DELETE FROM products_fts WHERE rowid = old.seq;
    INSERT INTO products_fts (rowid, name, description, sku, category)
    SELECT new.seq, new.name, new.description, (SELECT codes FROM product_search_codes WHERE product_id = new.id),
           coalesce((SELECT name FROM categories WHERE id = new.category_id), '')
    WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER product_variants_fts_insert AFTER INSERT ON product_variants
WHEN new.options <> '[]' OR new.sku <> (SELECT sku FROM products WHERE id = new.product_id) BEGIN
    UPDATE products_fts SET sku = (SELECT codes FROM product_search_codes WHERE product_id = new.product_id)
    WHERE rowid = (SELECT seq FROM products WHERE id = new.product_id AND deleted_at IS NULL);
END;

CREATE TRIGGER product_variants_fts_update AFTER UPDATE OF sku, options, deleted_at ON product_variants BEGIN
    UPDATE products_fts SET sku = (SELECT codes FROM product_search_codes WHERE product_id = new.product_id)
    WHERE rowid = (SELECT seq FROM products WHERE id = new.product_id AND deleted_at IS NULL);
END;

-- Carts hold variants. Lines of earlier releases move to their product's default variant.
CREATE TABLE cart_items_new (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    variant_id  TEXT NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    product_id  TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    added_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (user_id, variant_id)
) STRICT, WITHOUT ROWID;

INSERT INTO cart_items_new (user_id, variant_id, product_id, quantity, added_at)
SELECT c.user_id, v.id, c.product_id, c.quantity, c.added_at
FROM cart_items c JOIN product_variants v ON v.product_id = c.product_id;

DROP TABLE cart_items;
ALTER TABLE cart_items_new RENAME TO cart_items;
CREATE INDEX cart_items_variant ON cart_items (variant_id);

-- Order lines name the variant bought and freeze its option values; lines of earlier releases
-- point at their product's default variant, so cancelling or refunding them still moves stock.
ALTER TABLE order_items ADD COLUMN variant_id TEXT CHECK (variant_id IS NULL OR length(variant_id) = 36);
ALTER TABLE order_items ADD COLUMN options TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options) AND json_type(options) = 'array');
UPDATE order_items SET variant_id = (SELECT v.id FROM product_variants v WHERE v.product_id = order_items.product_id);
CREATE INDEX order_items_variant ON order_items (variant_id);
