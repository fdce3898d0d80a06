-- A clean upload's checked rows, kept from preview to commit (JSON written by the server), so
-- the commit writes exactly what the clerk saw without reading the workbook again. Cleared at
-- commit; NULL for an upload with errors.
ALTER TABLE imports ADD COLUMN staged TEXT;
-- Both are stored out of line without compression: an .xlsx is already deflated, and pglz on
-- megabytes of staged JSON costs more time at preview than the disk it saves.
ALTER TABLE imports ALTER COLUMN staged SET STORAGE EXTERNAL;
ALTER TABLE imports ALTER COLUMN file SET STORAGE EXTERNAL;
