-- Which shop a database file belongs to. Written when the file is first opened by this version;
-- a file whose identity names another shop is refused (a file copied into the wrong place), and a
-- restore refuses another shop's backup unless forced. Backups and exports also carry the shop's
-- system record (name, subdomain, domain, plan, settings) in tenant_record, so one file can
-- recreate the shop on another box.
CREATE TABLE shop_identity (
    singleton       INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    tenant_id       TEXT NOT NULL CHECK (length(tenant_id) = 36),
    tenant_record   TEXT CHECK (tenant_record IS NULL OR json_valid(tenant_record))
) STRICT;
