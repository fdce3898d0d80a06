-- A card of its own. A member's card state, batch, delivery and card number's last four digits
-- move from the wide members row to a narrow table the card writer (app/src/server/cards.rs)
-- alone changes (PostgreSQL's copy of this migration says why: on that engine a move then
-- rewrites no index). SQLite rewrites a row and its changed index entries in place either way,
-- so here the cards also keep an index by state for the lists.
-- A card is its member's (union_id, member_id): the card writer creates it with the member and
-- removes it with the member. The database does not check that with a foreign key: on
-- PostgreSQL the check is a trigger per row, which made a 100,000-member import's write take
-- half as long again (0.7 s); `unioncard counts check` finds a member without a card.

CREATE TABLE cards (
    union_id     BIGINT NOT NULL,
    member_id    BIGINT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'submitted', 'rejected', 'in_production',
                     'awaiting_delivery', 'awaiting_distribution', 'distributed', 'activated')),
    batch_id     BIGINT,
    delivery_id  BIGINT,
    card_tail    TEXT,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (union_id, member_id)
) WITHOUT ROWID;
CREATE INDEX cards_state ON cards(union_id, state, member_id);

INSERT INTO cards (union_id, member_id, state, batch_id, delivery_id, card_tail, updated_at)
SELECT union_id, id, card_state, batch_id, delivery_id, card_tail, updated_at FROM members;

DROP TRIGGER members_card_state_insert;
DROP TRIGGER members_card_state_update;
DROP INDEX members_union_state;
DROP INDEX members_batch;
DROP INDEX members_delivery;
ALTER TABLE members DROP COLUMN card_state;
ALTER TABLE members DROP COLUMN batch_id;
ALTER TABLE members DROP COLUMN delivery_id;
ALTER TABLE members DROP COLUMN card_tail;
