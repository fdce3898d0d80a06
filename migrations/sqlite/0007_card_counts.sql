-- Kept card counts and a checked card state.
-- card_counts holds how many members of each union are in each card state. It is written only
-- by the card writer (app/src/server/cards.rs), in the same transaction as the members it
-- counts, so no page counts by scanning the members table. `unioncard counts check` compares
-- it with a recount.
-- members.card_state gets the check that role, level and status already have. SQLite adds a
-- CHECK clause only by rebuilding the table, and that cannot be done safely here: sqlx runs a
-- SQLite migration inside a transaction, where foreign keys cannot be switched off, so dropping
-- the old table would cascade into card_events. Two triggers refuse the same values instead,
-- with the same message a CHECK gives.
CREATE TRIGGER members_card_state_insert BEFORE INSERT ON members
WHEN NEW.card_state NOT IN ('pending', 'submitted', 'rejected', 'in_production', 'awaiting_delivery',
                            'awaiting_distribution', 'distributed', 'activated')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: card_state');
END;
CREATE TRIGGER members_card_state_update BEFORE UPDATE OF card_state ON members
WHEN NEW.card_state NOT IN ('pending', 'submitted', 'rejected', 'in_production', 'awaiting_delivery',
                            'awaiting_distribution', 'distributed', 'activated')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: card_state');
END;

CREATE TABLE card_counts (
    union_id  BIGINT NOT NULL REFERENCES unions(id),
    state     TEXT NOT NULL CHECK (state IN ('pending', 'submitted', 'rejected', 'in_production',
                  'awaiting_delivery', 'awaiting_distribution', 'distributed', 'activated')),
    n         BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (union_id, state)
) WITHOUT ROWID;
INSERT INTO card_counts (union_id, state, n)
SELECT union_id, card_state, COUNT(*) FROM members GROUP BY union_id, card_state;
