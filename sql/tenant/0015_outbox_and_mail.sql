-- Mail and, later, webhooks (issue 37). What must leave the box because of a change is a row of
-- the outbox, written in the same transaction as the change: committed with it or not at all. A
-- delivery worker sends the rows outside any request, in order per recipient, with retries, and
-- records every attempt. The outbox is in the shop's own file, so it travels with every backup,
-- export and move.

CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Stable across retries: the mail's Message-ID, the webhook's id. A resend makes a new row.
    id              TEXT    NOT NULL UNIQUE,
    channel         TEXT    NOT NULL CHECK (channel IN ('mail', 'webhook')),
    -- What happened, e.g. order.received: picks the template (mail) or the event type (webhook).
    topic           TEXT    NOT NULL CHECK (length(topic) BETWEEN 1 AND 100),
    -- An e-mail address or an endpoint id; messages to one recipient go out in order.
    recipient       TEXT    NOT NULL CHECK (length(recipient) BETWEEN 1 AND 320),
    -- The facts the message is made from, frozen at commit (JSON object).
    payload         TEXT    NOT NULL CHECK (json_valid(payload) AND length(payload) <= 262144),
    status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT    NOT NULL,
    last_error      TEXT    CHECK (last_error IS NULL OR length(last_error) <= 2000),
    created_at      TEXT    NOT NULL,
    sent_at         TEXT
);

-- The worker's question: the queued messages in the order they were written.
CREATE INDEX outbox_queue ON outbox (channel, seq) WHERE status = 'queued';
-- Order per recipient: a later message waits while an earlier one to the same recipient is queued.
CREATE INDEX outbox_recipient_queue ON outbox (recipient, seq) WHERE status = 'queued';
-- Messages given up on: the metrics' gauge and the alert read their number often.
CREATE INDEX outbox_dead ON outbox (channel) WHERE status = 'dead';
-- The admin panel's list, newest first.
CREATE INDEX outbox_recent ON outbox (created_at DESC, seq DESC);

CREATE TABLE outbox_attempts (
    message_seq INTEGER NOT NULL REFERENCES outbox (seq) ON DELETE CASCADE,
    number      INTEGER NOT NULL CHECK (number >= 1),
    at          TEXT    NOT NULL,
    outcome     TEXT    NOT NULL CHECK (outcome IN ('sent', 'failed', 'dead')),
    error       TEXT    CHECK (error IS NULL OR length(error) <= 2000),
    PRIMARY KEY (message_seq, number)
) WITHOUT ROWID;

-- Single-use links sent by mail: a password reset (30 minutes) or an address to verify (7 days).
-- Only the token's SHA-256 is kept, so a copy of the file cannot take an account over.
CREATE TABLE account_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_verification')),
    -- The address the link was sent to: a verification counts for that address only.
    email      TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose, created_at);

ALTER TABLE users ADD COLUMN email_verified_at TEXT;

-- A shop's own version of a message; without a row the built-in default is sent.
CREATE TABLE mail_templates (
    topic      TEXT NOT NULL PRIMARY KEY,
    subject    TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    text_body  TEXT NOT NULL CHECK (length(text_body) <= 65536),
    html_body  TEXT NOT NULL CHECK (length(html_body) <= 65536),
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
