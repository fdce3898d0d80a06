-- A subtree is the path range [path, path-without-slash || '0'), which holds only under byte
-- order. A database created with a glibc locale (zh_CN.UTF-8, en_US.UTF-8) would compare paths
-- ignoring '/', and a supervisor would lose its own unions or see another subtree's: the column
-- compares bytewise whatever the database's collation. The index is rebuilt with it.
ALTER TABLE unions ALTER COLUMN path TYPE TEXT COLLATE "C";
