-- A member's union is no longer checked by a foreign key on PostgreSQL. Its check runs once per
-- inserted row (a look-up of the union, locked FOR KEY SHARE): importing 100,000 members of one
-- union paid about 0.4 s for 100,000 identical look-ups, a fifth of writing the members. Every
-- writer of members takes the union from the caller's own scope, and unions are never deleted,
-- so the check guarded nothing the code does. (SQLite keeps its foreign key: its check is a
-- B-tree look-up of a few microseconds, about 0.04 s for the same import.)
ALTER TABLE members DROP CONSTRAINT members_union_id_fkey;
