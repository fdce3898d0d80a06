-- A card of its own. A member's card state, batch, delivery and card number's last four digits
-- move from the wide members row (fourteen fields, nine indexes) to a narrow table the card
-- writer (app/src/server/cards.rs) alone changes. No index here covers a column a move changes,
-- and each page keeps half its room free, so PostgreSQL updates a card in place on its page
-- (a heap-only tuple update: no index entry written): 100,000 cards move in a fraction of the
-- time the member rows took. A list of the cards in one state reads the union's cards in member
-- order (the primary key); how many are in each state is kept in card_counts.
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
) WITH (fillfactor = 50);

INSERT INTO cards (union_id, member_id, state, batch_id, delivery_id, card_tail, updated_at)
SELECT union_id, id, card_state, batch_id, delivery_id, card_tail, updated_at FROM members;

ALTER TABLE members DROP COLUMN card_state, DROP COLUMN batch_id, DROP COLUMN delivery_id, DROP COLUMN card_tail;

-- A card's history is written a row per card moved, 100,000 at once for a batch. The database
-- checked each row's member by a trigger (as long again as writing the rows); the card writer
-- writes events only for cards it has just moved and removes a member's events with the
-- member, so the check goes. SQLite keeps it: there it costs little.
ALTER TABLE card_events DROP CONSTRAINT card_events_member_id_fkey;
