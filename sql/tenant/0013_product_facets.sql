-- Search facets (issue "Speed at scale", item 2). A listing's count, category names and price range
-- look at every product it selects: for a search of 1,000,000 products with 125,000 hits that meant
-- 125,000 lookups in the products table, the widest in the file (~500 ms of a cold search). These are
-- the five columns the facets filter and group on, kept in step with `products` by triggers, so the
-- same lookups touch tens of MB instead of hundreds. `product_facets_listing` lets an unsearched
-- listing's facets read an index instead of sorting every product by category.

CREATE TABLE product_facets (
    seq         INTEGER PRIMARY KEY,
    category_id TEXT,
    price_minor INTEGER NOT NULL,
    status      TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;

INSERT INTO product_facets (seq, category_id, price_minor, status, deleted_at)
SELECT seq, category_id, price_minor, status, deleted_at FROM products;

CREATE INDEX product_facets_listing ON product_facets (status, category_id, price_minor) WHERE deleted_at IS NULL;

CREATE TRIGGER product_facets_insert AFTER INSERT ON products BEGIN
    INSERT INTO product_facets (seq, category_id, price_minor, status, deleted_at)
    VALUES (new.seq, new.category_id, new.price_minor, new.status, new.deleted_at);
END;

-- Also fires for `ON DELETE SET NULL` when a category is deleted. Only for a change of value: every
-- order sets the product's price again from its variants (0010's rollup), and rewriting the row and
-- its index entries each time cost ~50 pages per 200 orders.
CREATE TRIGGER product_facets_update AFTER UPDATE OF seq, category_id, price_minor, status, deleted_at ON products
WHEN old.seq IS NOT new.seq OR old.category_id IS NOT new.category_id OR old.price_minor IS NOT new.price_minor
  OR old.status IS NOT new.status OR old.deleted_at IS NOT new.deleted_at
BEGIN
    DELETE FROM product_facets WHERE seq = old.seq;
    INSERT INTO product_facets (seq, category_id, price_minor, status, deleted_at)
    VALUES (new.seq, new.category_id, new.price_minor, new.status, new.deleted_at);
END;

CREATE TRIGGER product_facets_delete AFTER DELETE ON products BEGIN
    DELETE FROM product_facets WHERE seq = old.seq;
END;
