-- A member's record carries its own creation: created_at, and for an imported member the
-- upload it came from (imports.id: who committed it, when, from which file). card_events keeps
-- the card's transitions from then on, so a 100,000-member import writes no per-member event
-- row. The creation events written before are that same fact twice: they go.
-- import_id is not a foreign key: a bulk import pays no per-row check, and an upload's record
-- is never deleted.
-- (PostgreSQL also drops members_union_name, which it never used for a name search; SQLite
-- scans that covering index for one, so it stays here.)
ALTER TABLE members ADD COLUMN import_id TEXT;
DELETE FROM card_events WHERE from_state IS NULL AND to_state = 'pending';
