-- Secondary indexes (unique constraints included, primary keys excluded).
-- Key columns are attribute numbers (0: an expression, whose text is fetched
-- only for indexes that have expressions), with sort options and operator classes.
SELECT i.indrelid, ic.relname, i.indisunique, i.indnkeyatts,
       i.indkey::int2[], i.indoption::int2[], i.indclass::oid[],
       am.amname,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       CASE WHEN i.indexprs IS NOT NULL THEN
         ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k)
       END AS key_texts
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname = ANY(%s)
  AND NOT i.indisprimary
