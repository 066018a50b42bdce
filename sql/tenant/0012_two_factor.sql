-- Staff members' second factor (docs/security/two-factor.md): the TOTP secret sealed with
-- ENCRYPTION_KEY, the last time step accepted (a code works once), the salted SHA-256 of each unused
-- recovery code (a JSON array), and a failure counter with its own lock. confirmed_at is NULL
-- while enrolment waits for the first code. One row per user, gone with the user.
CREATE TABLE user_two_factor (
    user_id         TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed_secret   TEXT NOT NULL,
    confirmed_at    TEXT,
    last_used_step  INTEGER,
    recovery_codes  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(recovery_codes)),
    failures        INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT, WITHOUT ROWID;
