-- Addresses each user has signed in from successfully: while an account is locked after failed
-- sign-ins, the right password from one of these still signs in, so a stranger's five wrong
-- passwords cannot shut the owner out (docs/security.md, "Lockout").
CREATE TABLE sign_in_addresses (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address     TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 64),
    last_seen   TEXT NOT NULL,
    PRIMARY KEY (user_id, address)
) STRICT, WITHOUT ROWID;
