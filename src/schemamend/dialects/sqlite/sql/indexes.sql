-- Every index's key columns (the primary key's own index excluded), with
-- the index's CREATE statement for predicates and expressions. Indexes in
-- `PRAGMA index_list` order (the newest first), as Prisma reads them.
SELECT m.name, il.name, il."unique", il.partial, ic.seqno, ic.name, ic."desc", im.sql
FROM sqlite_master m
JOIN pragma_index_list(m.name) il
JOIN pragma_index_xinfo(il.name) ic
LEFT JOIN sqlite_master im ON im.type = 'index' AND im.name = il.name
WHERE m.type = 'table'
  AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND il.origin <> 'pk'
  AND ic.key = 1
ORDER BY m.name, il.seq, ic.seqno
