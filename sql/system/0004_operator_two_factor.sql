-- Platform operators' second factor: the same shape as a shop's user_two_factor.
CREATE TABLE operator_two_factor (
    operator_id     TEXT PRIMARY KEY REFERENCES platform_operators (id) ON DELETE CASCADE,
    sealed_secret   TEXT NOT NULL,
    confirmed_at    TEXT,
    last_used_step  INTEGER,
    recovery_codes  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(recovery_codes)),
    failures        INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT, WITHOUT ROWID;
