-- Primary keys and foreign keys (unique constraints are read as indexes).
-- Column lists are attribute numbers, resolved against the columns query.
SELECT con.conrelid, con.conname, con.contype, con.conkey,
       con.confrelid, rn.nspname AS referenced_namespace, rc.relname AS referenced_table,
       con.confkey, con.confupdtype, con.confdeltype, con.condeferrable, con.condeferred
FROM pg_constraint con
JOIN pg_namespace n ON n.oid = con.connamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE n.nspname = ANY(%s)
  AND con.contype IN ('p', 'f')
  AND con.conrelid <> 0
