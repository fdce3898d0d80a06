-- Kept card counts and a checked card state.
-- card_counts holds how many members of each union are in each card state. It is written only
-- by the card writer (app/src/server/cards.rs), in the same transaction as the members it
-- counts, so no page counts by scanning the members table. `unioncard counts check` compares
-- it with a recount.
-- members.card_state gets the CHECK that role, level and status already have.
ALTER TABLE members ADD CONSTRAINT members_card_state_check CHECK (card_state IN ('pending', 'submitted',
    'rejected', 'in_production', 'awaiting_delivery', 'awaiting_distribution', 'distributed', 'activated'));

CREATE TABLE card_counts (
    union_id  BIGINT NOT NULL REFERENCES unions(id),
    state     TEXT NOT NULL CHECK (state IN ('pending', 'submitted', 'rejected', 'in_production',
                  'awaiting_delivery', 'awaiting_distribution', 'distributed', 'activated')),
    n         BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (union_id, state)
);
INSERT INTO card_counts (union_id, state, n)
SELECT union_id, card_state, COUNT(*) FROM members GROUP BY union_id, card_state;
