-- Made cards on their way to the union (送卡上门) and the deadline to hand them out.
-- A delivery takes the union's made cards (待送卡) that no other delivery holds: the bank opens
-- it by proposing a time. Either side may propose a time and the other confirms it; the bank
-- records the delivery and the union signs for the cards (签收), which moves them to 待发放 and
-- starts the five working days to hand them out, counted from signed_on with the calendar as it
-- stands. `outstanding` is kept by the card writer's callers in the same transaction as the
-- cards it counts: the delivery's signed-for cards not yet handed out (or recalled), so the
-- union's due list never counts members. members.delivery_id names the delivery holding a
-- card, members.card_tail the card number's last four digits; a recalled card loses both.
CREATE TABLE card_deliveries (
    id            INTEGER PRIMARY KEY,
    union_id      BIGINT NOT NULL REFERENCES unions(id),
    bank_id       BIGINT NOT NULL REFERENCES banks(id),
    stage         TEXT NOT NULL CHECK (stage IN ('proposed', 'confirmed', 'delivered', 'signed')),
    proposed_by   TEXT CHECK (proposed_by IN ('bank', 'union')),
    scheduled_at  BIGINT NOT NULL,
    cards         BIGINT NOT NULL CHECK (cards > 0),
    outstanding   BIGINT NOT NULL DEFAULT 0 CHECK (outstanding >= 0 AND outstanding <= cards),
    delivered_at  BIGINT,
    signed_on     TEXT,
    signed_at     BIGINT,
    signed_by     BIGINT REFERENCES users(id),
    created_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX card_deliveries_union ON card_deliveries(union_id, stage, id);
CREATE INDEX card_deliveries_bank ON card_deliveries(bank_id, stage, id);

-- Each step of a delivery's appointment: who proposed or confirmed which time, the delivery.
CREATE TABLE delivery_events (
    id            INTEGER PRIMARY KEY,
    delivery_id   BIGINT NOT NULL REFERENCES card_deliveries(id),
    action        TEXT NOT NULL CHECK (action IN ('propose_time', 'confirm_time', 'record_delivered', 'sign_for')),
    role          TEXT NOT NULL,
    actor_id      BIGINT REFERENCES users(id),
    scheduled_at  BIGINT,
    at            BIGINT NOT NULL
);
CREATE INDEX delivery_events_delivery ON delivery_events(delivery_id, id);

ALTER TABLE members ADD COLUMN delivery_id BIGINT REFERENCES card_deliveries(id);
ALTER TABLE members ADD COLUMN card_tail TEXT;
CREATE INDEX members_delivery ON members(delivery_id, card_state, id) WHERE delivery_id IS NOT NULL;
ALTER TABLE card_events ADD COLUMN delivery_id BIGINT;
