-- The working-day calendar (domain.md "Working days"): the years whose statutory holidays and
-- adjusted working days (调休上班) are kept, and those days. Deadlines are counted from these
-- rows as they stand (domain/calendar.rs), so an edit moves every running deadline; a year
-- with no row here, or one still being filled in (published = 0), is 日历未维护 and nothing in
-- it is counted, never guessed as Monday to Friday.
-- Only app/src/server/calendar.rs writes these tables, each edit with an audit_log row. The
-- State Council's published years are not copied here: the server inserts them from
-- Calendar::state_council_2025_2026() after migrating (seed_if_missing), once per year, so an
-- administrator's later edits stand.
CREATE TABLE calendar_years (
    year        BIGINT PRIMARY KEY CHECK (year BETWEEN 1 AND 9999),
    -- state_council: inserted from the published schedule; manual: added by an administrator
    source      TEXT NOT NULL CHECK (source IN ('state_council', 'manual')),
    published   BIGINT NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    updated_by  BIGINT REFERENCES users(id),
    updated_at  BIGINT NOT NULL
);

CREATE TABLE calendar_days (
    day         TEXT PRIMARY KEY CHECK (length(day) = 10),   -- YYYY-MM-DD
    year        BIGINT NOT NULL REFERENCES calendar_years(year),
    kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'adjusted_workday')),
    name        TEXT NOT NULL,
    updated_by  BIGINT REFERENCES users(id),
    updated_at  BIGINT NOT NULL,
    CHECK (substr(day, 1, 4) = lpad(year::text, 4, '0'))
);
CREATE INDEX calendar_days_year ON calendar_days(year, day);
