-- The member list filters by department: each union's departments, in id order, from one index.
CREATE INDEX members_union_department ON members(union_id, department, id);
