-- Banks, the union tree, members, accounts, sessions, login throttling and the audit log.

CREATE TABLE banks (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE
);

CREATE TABLE bank_branches (
    code        TEXT PRIMARY KEY,
    bank_id     BIGINT NOT NULL REFERENCES banks(id),
    name        TEXT NOT NULL
);

CREATE TABLE unions (
    id              INTEGER PRIMARY KEY,
    parent_id       BIGINT REFERENCES unions(id),
    level           TEXT NOT NULL CHECK (level IN ('city', 'district', 'street', 'grassroots')),
    name            TEXT NOT NULL UNIQUE,
    path            TEXT NOT NULL,
    unit_name       TEXT,
    credit_code     TEXT,
    address         TEXT,
    contact_person  TEXT,
    contact_phone   TEXT,
    pickup_branch   TEXT REFERENCES bank_branches(code),
    created_at      BIGINT NOT NULL
);
CREATE INDEX unions_path ON unions(path);
CREATE INDEX unions_parent ON unions(parent_id);

CREATE TABLE members (
    id              INTEGER PRIMARY KEY,
    union_id        BIGINT NOT NULL REFERENCES unions(id),
    name            TEXT NOT NULL,
    id_type         TEXT NOT NULL,
    id_number       TEXT NOT NULL UNIQUE,
    country         TEXT,
    sex             TEXT,
    birth_date      TEXT,
    phone           TEXT NOT NULL,
    ethnicity       TEXT,
    education       TEXT,
    migrant_worker  TEXT,
    department      TEXT,
    remark          TEXT,
    card_state      TEXT NOT NULL DEFAULT 'pending',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX members_union_state ON members(union_id, card_state);
CREATE INDEX members_union_name ON members(union_id, name);

CREATE TABLE card_events (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    actor_id    BIGINT,
    reason      TEXT,
    at          BIGINT NOT NULL
);
CREATE INDEX card_events_member ON card_events(member_id, at);

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    username              TEXT NOT NULL UNIQUE,
    display_name          TEXT NOT NULL,
    role                  TEXT NOT NULL CHECK (role IN ('supervisor', 'union', 'bank', 'member')),
    union_id              BIGINT REFERENCES unions(id),
    bank_id               BIGINT REFERENCES banks(id),
    member_id             BIGINT REFERENCES members(id),
    password_hash         TEXT NOT NULL,
    must_change_password  BIGINT NOT NULL,
    disabled              BIGINT NOT NULL DEFAULT 0,
    auth_version          BIGINT NOT NULL DEFAULT 1,
    created_by            BIGINT REFERENCES users(id),
    created_at            BIGINT NOT NULL,
    last_login_at         BIGINT
);
CREATE INDEX users_union ON users(union_id);

CREATE TABLE login_failures (
    id          INTEGER PRIMARY KEY,
    username    TEXT NOT NULL,
    address     TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);
CREATE INDEX login_failures_address ON login_failures(address, at);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    data         BLOB NOT NULL,
    expiry_date  BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry_date);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    action      TEXT NOT NULL,
    target      TEXT,
    detail      TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
