-- Uploaded workbooks hold full ID numbers. A committed upload's file is kept for a set time
-- (UNIONCARD_UPLOAD_RETENTION_DAYS, 90 by default), a never-committed one for a day with its
-- staged rows; after that only the record stays (who, when, counts, fingerprint): the file is
-- emptied and the time it was dropped noted here.
ALTER TABLE imports ADD COLUMN file_dropped_at BIGINT;
-- Uploads and edits that reported IDs held by other unions or under other names are counted per
-- union and day from the audit log: by action, then time.
CREATE INDEX audit_log_action ON audit_log(action, at);
