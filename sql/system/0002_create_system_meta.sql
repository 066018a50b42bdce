-- Facts about the installation itself, e.g. the sealed canary that detects a changed ENCRYPTION_KEY.
CREATE TABLE system_meta (
    key         TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;
