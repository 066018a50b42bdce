-- The shop list (`GET /platform/tenants`, `emporium tenant list`) pages oldest first by
-- (created_at, id). Without an index in that order each page sorted every shop of the
-- installation; with thousands of shops a page now walks an index from its offset.
CREATE INDEX tenants_created ON tenants (created_at, id);
DROP INDEX tenants_status_created;
CREATE INDEX tenants_status_created ON tenants (status, created_at, id);
