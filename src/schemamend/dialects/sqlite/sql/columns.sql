-- Every column of every table, in declaration order (hidden: 2 and 3 are
-- generated columns, virtual and stored).
SELECT m.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden
FROM sqlite_master m
JOIN pragma_table_xinfo(m.name) p
WHERE m.type = 'table'
  AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, p.cid
