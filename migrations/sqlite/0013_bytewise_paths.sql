-- SQLite compares text bytewise (BINARY) unless told otherwise: paths already order as the
-- subtree ranges need. PostgreSQL's column gains COLLATE "C" in its 0013.
SELECT 1;
