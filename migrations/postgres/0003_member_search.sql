-- Searching members by the last digits of an ID or phone number: the numbers are also kept
-- reversed, so a tail becomes a prefix that an index can answer. Paging and state filters get
-- indexes that keep each union's members in id order.
ALTER TABLE members ADD COLUMN id_rev TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN phone_rev TEXT NOT NULL DEFAULT '';
UPDATE members SET id_rev = reverse(id_number), phone_rev = reverse(phone);
CREATE INDEX members_union_id_rev ON members(union_id, id_rev text_pattern_ops);
CREATE INDEX members_union_phone_rev ON members(union_id, phone_rev text_pattern_ops);
CREATE INDEX members_union_id ON members(union_id, id);
DROP INDEX members_union_state;
CREATE INDEX members_union_state ON members(union_id, card_state, id);
