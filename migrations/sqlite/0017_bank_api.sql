-- The bank's systems on the card lifecycle through /api/bank/v1.
--
-- bank_tokens: API tokens a bank user makes on the desk (or `unioncard bank-token create`). The
-- token is shown once; only its SHA-256 is kept (a token is 256 random bits, so a fast hash is
-- enough), with its first characters to tell tokens apart. A token acts for its bank, as the
-- user who made it; a revoked token is refused. Each use is audited.
CREATE TABLE bank_tokens (
    id            INTEGER PRIMARY KEY,
    bank_id       BIGINT NOT NULL REFERENCES banks(id),
    user_id       BIGINT NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX bank_tokens_bank ON bank_tokens(bank_id, id);

-- Idempotency-Key: the first answer to a POST, replayed for the same key and body; another body
-- under the same key is refused. Keys are the bank's own (one namespace per bank).
CREATE TABLE api_idempotency (
    bank_id       BIGINT NOT NULL REFERENCES banks(id),
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        BIGINT NOT NULL,
    body          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (bank_id, key)
);
