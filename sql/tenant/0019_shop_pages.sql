-- The shop's own pages (issue 38): about, shipping and returns, privacy, terms, contact, written
-- by the owner in Markdown and linked from every storefront page's footer. At most 20 per shop
-- (ShopPageService); raw HTML in a body is shown as text when the page is drawn (SafeMarkdown).
CREATE TABLE shop_pages (
    slug        TEXT PRIMARY KEY NOT NULL CHECK (length(slug) BETWEEN 1 AND 60 AND slug NOT GLOB '*[^a-z0-9-]*'),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    body        TEXT NOT NULL CHECK (length(body) <= 50000),
    position    INTEGER NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 1000),
    updated_at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
