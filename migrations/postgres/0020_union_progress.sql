-- union_progress keeps, per grassroots union, 1 or 0 for each facet of its set-up: grassroots
-- (it is one), activated (an account of it past its initial password), info_complete (its unit
-- and union information, with the bank branch and credit code) and agreement_signed (the bank's
-- batch card agreement). Written by app/src/server/unions.rs (refresh_progress) with whatever
-- changes a facet, and rolled up the tree like the other kept counts (subtree_counts), so the
-- supervisor's figures do not scan the unions of a subtree.
CREATE TABLE union_progress (
    union_id    BIGINT NOT NULL REFERENCES unions(id),
    facet       TEXT NOT NULL CHECK (facet IN ('grassroots', 'activated', 'info_complete', 'agreement_signed')),
    n           BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (union_id, facet)
);

INSERT INTO union_progress (union_id, facet, n)
SELECT id, 'grassroots', 1 FROM unions WHERE level = 'grassroots';
INSERT INTO union_progress (union_id, facet, n)
SELECT g.id, 'activated', 1 FROM unions g WHERE g.level = 'grassroots'
AND EXISTS (SELECT 1 FROM users u WHERE u.union_id = g.id AND u.must_change_password = 0);
INSERT INTO union_progress (union_id, facet, n)
SELECT g.id, 'info_complete', 1 FROM unions g WHERE g.level = 'grassroots'
AND g.pickup_branch IS NOT NULL AND g.credit_code IS NOT NULL;
INSERT INTO union_progress (union_id, facet, n)
SELECT g.id, 'agreement_signed', 1 FROM unions g WHERE g.level = 'grassroots' AND g.agreement_signed_on IS NOT NULL;

INSERT INTO subtree_counts (node_id, kind, key, n)
WITH RECURSIVE up(union_id, node_id) AS (
    SELECT id, id FROM unions
    UNION ALL
    SELECT up.union_id, u.parent_id FROM up JOIN unions u ON u.id = up.node_id WHERE u.parent_id IS NOT NULL
)
SELECT up.node_id, 'union_progress', p.facet, SUM(p.n) FROM union_progress p JOIN up ON up.union_id = p.union_id
GROUP BY up.node_id, p.facet HAVING SUM(p.n) <> 0;
