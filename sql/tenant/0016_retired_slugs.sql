-- The storefront's addresses outlive their products (issue 38). A product's or category's slug
-- that it no longer answers to is kept here: while what it named still lives, the old address
-- answers 301 to the new one (links shared on chats and indexed by search engines keep working);
-- once it is deleted, 410 Gone (a search engine drops the page at once instead of retrying a 404).
-- A slug taken again by a living product or category answers for that one: it is looked up first.

CREATE TABLE retired_slugs (
    kind       TEXT NOT NULL CHECK (kind IN ('product', 'category')),
    slug       TEXT NOT NULL CHECK (length(slug) BETWEEN 1 AND 220),
    -- The product or category the slug named; it may be deleted since.
    target_id  TEXT NOT NULL,
    retired_at TEXT NOT NULL,
    PRIMARY KEY (kind, slug)
) WITHOUT ROWID;
