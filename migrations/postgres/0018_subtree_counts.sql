-- handout_counts keeps, per union, the cards handed out (待发放 to 已发放) within the five working
-- days after the union signed for their delivery (on_time), after them (late), or on a day the
-- calendar could not count (undetermined: a year not maintained). Written with the hand-out
-- (app/src/server/deliveries.rs); cards handed out before this migration are not in it.
CREATE TABLE handout_counts (
    union_id    BIGINT NOT NULL REFERENCES unions(id),
    timeliness  TEXT NOT NULL CHECK (timeliness IN ('on_time', 'late', 'undetermined')),
    n           BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (union_id, timeliness)
);

-- the signed-for deliveries with cards still to hand out, for the supervisor's overdue list
CREATE INDEX card_deliveries_to_hand_out ON card_deliveries(signed_on) WHERE stage = 'signed' AND outstanding > 0;

-- tallies keeps, per union, what the supervisor's rankings and weekly series count
-- (app/src/domain/tally.rs): applications and activations per week (applied@2026-11-30, the
-- week's Monday), the bank's rejection reasons (rejection@name_id_mismatch) and the errors of
-- import previews (import@证件号码:id_number_letter_o). Written by the card writer, the bank's
-- review and the preview, with what they count. Applications, activations and rejections
-- before this migration are counted from the card history; earlier previews' errors are not.
CREATE TABLE tallies (
    union_id  BIGINT NOT NULL REFERENCES unions(id),
    tally     TEXT NOT NULL,
    n         BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (union_id, tally)
);
INSERT INTO tallies (union_id, tally, n)
SELECT c.union_id, CASE e.to_state WHEN 'submitted' THEN 'applied@' ELSE 'activated@' END || to_char(date_trunc('week', to_timestamp(e.at) AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD'), COUNT(*)
FROM card_events e JOIN members c ON c.id = e.member_id
WHERE e.to_state IN ('submitted', 'activated')
GROUP BY c.union_id, CASE e.to_state WHEN 'submitted' THEN 'applied@' ELSE 'activated@' END || to_char(date_trunc('week', to_timestamp(e.at) AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD');
INSERT INTO tallies (union_id, tally, n)
SELECT c.union_id, 'rejection@' || r.reason, COUNT(*)
FROM card_rejections r JOIN members c ON c.id = r.member_id
GROUP BY c.union_id, 'rejection@' || r.reason;

-- subtree_counts: the kept counts of a union and of everything below it, for the supervisor's
-- figures at any node of the tree without summing every union of its subtree.
--
-- Each row is a change of a kept count (kind: the kept table, card_counts, receipt_counts, handout_counts or tallies;
-- key: its state or answer) for one node: when a union's count moves by n, the card writer
-- (db::bump_kept, in the same transaction) inserts one row (node, kind, key, n) for the union
-- itself and one for each union above it. The figure of a node is the SUM of its rows. Rows are
-- only ever inserted, never updated, so concurrent moves in different unions of one district
-- never wait for each other or deadlock on a shared row; subtree::compact folds the rows of
-- each figure changed since the last fold into one (the server does it every five minutes),
-- deleting exactly the rows it sums. `unioncard counts check` compares every node with its leaves.
CREATE TABLE subtree_counts (
    id       BIGSERIAL PRIMARY KEY,
    node_id  BIGINT NOT NULL REFERENCES unions(id),
    kind     TEXT NOT NULL,
    key      TEXT NOT NULL,
    n        BIGINT NOT NULL
);
CREATE INDEX subtree_counts_node ON subtree_counts(node_id, kind, key, n);

-- the highest id of subtree_counts the last fold left: rows above it are figures changed since
CREATE TABLE subtree_fold (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_id  BIGINT NOT NULL
);
INSERT INTO subtree_fold (id, last_id) VALUES (1, 0);

-- every union with each union above it (itself included)
INSERT INTO subtree_counts (node_id, kind, key, n)
WITH RECURSIVE up(union_id, node_id) AS (
    SELECT id, id FROM unions
    UNION ALL
    SELECT up.union_id, u.parent_id FROM up JOIN unions u ON u.id = up.node_id WHERE u.parent_id IS NOT NULL
)
SELECT up.node_id, 'card_counts', c.state, SUM(c.n) FROM card_counts c JOIN up ON up.union_id = c.union_id
GROUP BY up.node_id, c.state HAVING SUM(c.n) <> 0;

INSERT INTO subtree_counts (node_id, kind, key, n)
WITH RECURSIVE up(union_id, node_id) AS (
    SELECT id, id FROM unions
    UNION ALL
    SELECT up.union_id, u.parent_id FROM up JOIN unions u ON u.id = up.node_id WHERE u.parent_id IS NOT NULL
)
SELECT up.node_id, 'receipt_counts', r.answer, SUM(r.n) FROM receipt_counts r JOIN up ON up.union_id = r.union_id
GROUP BY up.node_id, r.answer HAVING SUM(r.n) <> 0;

INSERT INTO subtree_counts (node_id, kind, key, n)
WITH RECURSIVE up(union_id, node_id) AS (
    SELECT id, id FROM unions
    UNION ALL
    SELECT up.union_id, u.parent_id FROM up JOIN unions u ON u.id = up.node_id WHERE u.parent_id IS NOT NULL
)
SELECT up.node_id, 'tallies', t.tally, SUM(t.n) FROM tallies t JOIN up ON up.union_id = t.union_id
GROUP BY up.node_id, t.tally HAVING SUM(t.n) <> 0;

UPDATE subtree_fold SET last_id = (SELECT COALESCE(MAX(id), 0) FROM subtree_counts) WHERE id = 1;

-- the audit log searched by account (操作日志), newest first
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
