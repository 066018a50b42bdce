-- System database: the shops of this installation and the people who run the platform.
-- Adapted from the original spec's tenants table: UUID as TEXT, JSONB as JSON text checked by
-- json_valid, enums as TEXT with CHECK constraints.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    subdomain   TEXT NOT NULL UNIQUE CHECK (length(subdomain) BETWEEN 1 AND 63 AND subdomain = lower(subdomain)),
    domain      TEXT UNIQUE CHECK (domain IS NULL OR (length(domain) BETWEEN 3 AND 253 AND domain = lower(domain))),
    plan        TEXT NOT NULL DEFAULT 'basic' CHECK (length(plan) BETWEEN 1 AND 50),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    settings    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings) AND json_type(settings) = 'object'),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;

CREATE INDEX tenants_status_created ON tenants (status, created_at);

CREATE TABLE platform_operators (
    id              TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 255),
    password_hash   TEXT NOT NULL CHECK (length(password_hash) BETWEEN 20 AND 255),
    first_name      TEXT NOT NULL CHECK (length(first_name) <= 100),
    last_name       TEXT NOT NULL CHECK (length(last_name) <= 100),
    last_login      TEXT,
    login_attempts  INTEGER NOT NULL DEFAULT 0 CHECK (login_attempts >= 0),
    locked_until    TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;
