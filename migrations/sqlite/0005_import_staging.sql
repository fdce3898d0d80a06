-- A clean upload's checked rows, kept from preview to commit (JSON written by the server), so
-- the commit writes exactly what the clerk saw without reading the workbook again. Cleared at
-- commit; NULL for an upload with errors.
ALTER TABLE imports ADD COLUMN staged TEXT;
