-- A member's record carries its own creation: created_at, and for an imported member the
-- upload it came from (imports.id: who committed it, when, from which file). card_events keeps
-- the card's transitions from then on, so a 100,000-member import writes no per-member event
-- row. The creation events written before are that same fact twice: they go.
-- import_id is not a foreign key: a bulk import pays no per-row check, and an upload's record
-- is never deleted.
ALTER TABLE members ADD COLUMN import_id TEXT;
-- Members imported before keep the link their creation event gave: the union's upload committed
-- last before that event (the event was written in the commit's transaction).
UPDATE members SET import_id = (
    SELECT i.id FROM imports i, card_events e
    WHERE e.member_id = members.id AND e.from_state IS NULL AND e.to_state = 'pending'
      AND i.union_id = members.union_id AND i.status = 'committed'
      AND i.committed_at <= e.at AND i.committed_at >= e.at - 3600
    ORDER BY i.committed_at DESC LIMIT 1
)
WHERE union_id IN (SELECT union_id FROM imports WHERE status = 'committed');
DELETE FROM card_events WHERE from_state IS NULL AND to_state = 'pending';
-- Names are searched by any part (LIKE '%…%'), which this index cannot answer; each import
-- paid for it on every row.
DROP INDEX members_union_name;
