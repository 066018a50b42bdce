-- Refresh tokens: only an HMAC of each token is stored. A family is one sign-in; each use rotates
-- to a new member and marks the old one used; reuse of a used member revokes the family.
CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   TEXT NOT NULL CHECK (length(family_id) = 36),
    token_hash  TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    expires_at  TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    used_at     TEXT,
    revoked_at  TEXT
) STRICT;

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Access tokens issued before this instant are refused (password change, deletion, forced sign-out).
ALTER TABLE users ADD COLUMN tokens_valid_after TEXT;
