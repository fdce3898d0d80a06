-- Batch applications for the member service card (批量办卡) and the bank's review of them.
-- A batch is one click of 发起批量办卡 or 全部批量办卡: the union's pending members it took, routed
-- to the bank of the union's pickup branch. request_key is the browser's key for that click, so
-- the same click sent twice (a double click, a reload that resends it) finds its batch instead of
-- making a second one. members.batch_id names the batch of a card's current application, and
-- card_events.batch_id the batch a move belonged to. A rejection keeps each reason the bank gave
-- (domain.md's codes, with the bank's text) until the union sends the member again. `reviewed`
-- counts the batch's cards the bank has approved or rejected, so the review queue knows what is
-- left without counting members.
CREATE TABLE card_batches (
    id           BIGSERIAL PRIMARY KEY,
    batch_no     TEXT NOT NULL UNIQUE,
    union_id     BIGINT NOT NULL REFERENCES unions(id),
    bank_id      BIGINT NOT NULL REFERENCES banks(id),
    branch_code  TEXT NOT NULL REFERENCES bank_branches(code),
    request_key  TEXT NOT NULL,
    members      BIGINT NOT NULL CHECK (members >= 0),
    reviewed     BIGINT NOT NULL DEFAULT 0 CHECK (reviewed >= 0 AND reviewed <= members),
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    UNIQUE (union_id, request_key)
);
CREATE INDEX card_batches_bank ON card_batches(bank_id, id);
CREATE INDEX card_batches_union ON card_batches(union_id, id);

ALTER TABLE members ADD COLUMN batch_id BIGINT REFERENCES card_batches(id);
CREATE INDEX members_batch ON members(batch_id, card_state, id);
ALTER TABLE card_events ADD COLUMN batch_id BIGINT;

CREATE TABLE card_rejections (
    id         BIGSERIAL PRIMARY KEY,
    member_id  BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    batch_id   BIGINT NOT NULL REFERENCES card_batches(id),
    reason     TEXT NOT NULL CHECK (reason IN ('id_not_verified', 'name_id_mismatch', 'phone_invalid',
                   'already_holder', 'id_expired', 'other')),
    text       TEXT,
    at         BIGINT NOT NULL
);
CREATE INDEX card_rejections_member ON card_rejections(member_id, id);
