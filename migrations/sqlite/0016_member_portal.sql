-- The member's own portal (会员服务平台): sign-in by SMS code, the member's answer to a card
-- recorded as handed out, and reports of wrong information.
--
-- member_codes: one row per 短信验证码 asked for. id_key is a hash of the ID number as typed
-- (after the template's normalisation), so a request for someone who is not a member is stored
-- and throttled like a member's without keeping their ID number. member_id is NULL then, and
-- such a code never signs anyone in. The code itself is kept hashed (Argon2id); it is valid
-- five minutes (expires_at), once (used_at), for five tries.
CREATE TABLE member_codes (
    id          INTEGER PRIMARY KEY,
    id_key      TEXT NOT NULL,
    member_id   BIGINT REFERENCES members(id) ON DELETE CASCADE,
    address     TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    tries       BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX member_codes_key ON member_codes(id_key, created_at);
CREATE INDEX member_codes_address ON member_codes(address, created_at);

-- A member's answer once the union has recorded their card as handed out (已发放): received
-- (我已领到卡) or not_received (未收到). The latest answer per member counts; each answer is a
-- row, shown in the card's timeline with its moves. receipt_counts keeps, per union, the cards
-- whose latest answer is each answer, written with the answers (app/src/server/receipts.rs), so
-- the union's 待办 and the supervisor's figures never count answers.
CREATE TABLE card_receipts (
    id         INTEGER PRIMARY KEY,
    member_id  BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    union_id   BIGINT NOT NULL REFERENCES unions(id),
    answer     TEXT NOT NULL CHECK (answer IN ('received', 'not_received')),
    latest     BIGINT NOT NULL DEFAULT 1,
    at         BIGINT NOT NULL
);
CREATE INDEX card_receipts_member ON card_receipts(member_id, id);
CREATE INDEX card_receipts_union ON card_receipts(union_id, answer, latest);

CREATE TABLE receipt_counts (
    union_id  BIGINT NOT NULL REFERENCES unions(id),
    answer    TEXT NOT NULL CHECK (answer IN ('received', 'not_received')),
    n         BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (union_id, answer)
);

-- 会员反馈: a member reports a field of their record as wrong and writes what is right. The
-- union resolves it by editing the record (fixed) or answering in words (answered). One open
-- report per member and field.
CREATE TABLE member_reports (
    id           INTEGER PRIMARY KEY,
    member_id    BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    union_id     BIGINT NOT NULL REFERENCES unions(id),
    field        TEXT NOT NULL,
    proposed     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'fixed', 'answered')),
    answer       TEXT,
    created_at   BIGINT NOT NULL,
    resolved_at  BIGINT,
    resolved_by  BIGINT REFERENCES users(id)
);
CREATE UNIQUE INDEX member_reports_open ON member_reports(member_id, field) WHERE status = 'open';
CREATE INDEX member_reports_union ON member_reports(union_id, status, id);
CREATE INDEX member_reports_member ON member_reports(member_id, id);
