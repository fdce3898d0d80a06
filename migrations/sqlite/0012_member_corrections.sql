-- Personal information the bank corrected at activation, checking the member's papers: the
-- member record changes with the shared validation (audited), and each changed field is kept
-- here, old and new, so the union sees what the bank changed and when.
CREATE TABLE member_corrections (
    id            INTEGER PRIMARY KEY,
    member_id     BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    union_id      BIGINT NOT NULL REFERENCES unions(id),
    field         TEXT NOT NULL,
    old_value     TEXT NOT NULL,
    new_value     TEXT NOT NULL,
    corrected_by  BIGINT REFERENCES users(id),
    at            BIGINT NOT NULL
);
CREATE INDEX member_corrections_union ON member_corrections(union_id, id);
CREATE INDEX member_corrections_member ON member_corrections(member_id, id);
