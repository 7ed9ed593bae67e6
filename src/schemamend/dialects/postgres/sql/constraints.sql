-- Primary keys and foreign keys (unique constraints are read as indexes).
-- Column lists are attribute numbers, resolved against the columns query;
-- a foreign key to a table outside the namespaces read ($1, $2: their names)
-- gets the referenced column names here instead.
SELECT con.conrelid, con.conname, con.contype, con.conkey,
       con.confrelid, rn.nspname AS referenced_namespace, rc.relname AS referenced_table,
       con.confkey, con.confupdtype, con.confdeltype, con.condeferrable, con.condeferred,
       CASE WHEN con.contype = 'f' AND rn.nspname <> ALL(%s) THEN
         ARRAY(SELECT a.attname::text
               FROM unnest(con.confkey) WITH ORDINALITY AS k(num, position)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
               ORDER BY k.position)
       END AS outside_columns
FROM pg_constraint con
JOIN pg_namespace n ON n.oid = con.connamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE n.nspname = ANY(%s)
  AND con.contype IN ('p', 'f')
  AND con.conrelid <> 0
