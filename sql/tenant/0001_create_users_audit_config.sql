-- Tenant database: one file per shop, so these tables do not repeat the original spec's tenant_id.
-- users, audit_logs and system_config from the original spec, adapted to SQLite.

CREATE TABLE users (
    id              TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 255),
    password_hash   TEXT NOT NULL CHECK (length(password_hash) BETWEEN 20 AND 255),
    first_name      TEXT NOT NULL CHECK (length(first_name) <= 100),
    last_name       TEXT NOT NULL CHECK (length(last_name) <= 100),
    role            TEXT NOT NULL DEFAULT 'customer'
                    CHECK (role IN ('owner', 'admin', 'manager', 'staff', 'customer')),
    -- Extra permissions on top of the role's set: a JSON array of strings.
    permissions     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(permissions) AND json_type(permissions) = 'array'),
    last_login      TEXT,
    login_attempts  INTEGER NOT NULL DEFAULT 0 CHECK (login_attempts >= 0),
    locked_until    TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;

CREATE INDEX users_role ON users (role);

CREATE TABLE audit_logs (
    id              TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    user_id         TEXT REFERENCES users (id) ON DELETE SET NULL,
    action          TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    resource_type   TEXT NOT NULL CHECK (length(resource_type) BETWEEN 1 AND 50),
    resource_id     TEXT,
    old_values      TEXT CHECK (old_values IS NULL OR json_valid(old_values)),
    new_values      TEXT CHECK (new_values IS NULL OR json_valid(new_values)),
    ip_address      TEXT CHECK (ip_address IS NULL OR length(ip_address) <= 45),
    user_agent      TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;

CREATE INDEX audit_logs_created ON audit_logs (created_at);
CREATE INDEX audit_logs_resource ON audit_logs (resource_type, resource_id);
CREATE INDEX audit_logs_user ON audit_logs (user_id);

CREATE TABLE system_config (
    id              TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    key             TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 100),
    value           TEXT NOT NULL CHECK (json_valid(value)),
    is_encrypted    INTEGER NOT NULL DEFAULT 0 CHECK (is_encrypted IN (0, 1)),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;
