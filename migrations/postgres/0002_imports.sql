-- Uploaded member lists: kept from preview to commit, so the commit re-checks exactly the file
-- the clerk saw and the same upload cannot be committed twice.
CREATE TABLE imports (
    id            TEXT PRIMARY KEY,
    union_id      BIGINT NOT NULL REFERENCES unions(id),
    user_id       BIGINT REFERENCES users(id),
    file_name     TEXT NOT NULL,
    file_sha256   TEXT NOT NULL,
    file          BYTEA NOT NULL,
    rows_read     BIGINT NOT NULL,
    error_count   BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('previewed', 'committed')),
    imported      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    committed_at  BIGINT
);
CREATE INDEX imports_union ON imports(union_id, created_at);
