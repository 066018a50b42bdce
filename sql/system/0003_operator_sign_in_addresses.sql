-- The platform operators' counterpart of the shops' sign_in_addresses: addresses an operator has
-- signed in from successfully, which still pass while the operator's account is locked.
CREATE TABLE operator_sign_in_addresses (
    operator_id TEXT NOT NULL REFERENCES platform_operators (id) ON DELETE CASCADE,
    address     TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 64),
    last_seen   TEXT NOT NULL,
    PRIMARY KEY (operator_id, address)
) STRICT, WITHOUT ROWID;
