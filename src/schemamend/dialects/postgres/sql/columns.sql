-- Columns of every table in the namespaces read, in table order. The type is
-- described by its element type (arrays are flagged), so enum and extension
-- types are recognised by name and namespace rather than by format_type's text.
SELECT a.attrelid, a.attnum, a.attname,
       format_type(et.oid, a.atttypmod) AS type_text,
       t.typcategory = 'A' AS is_array,
       et.typtype, et.typname, etn.nspname AS type_namespace,
       a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       a.attidentity, a.attgenerated
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
JOIN pg_namespace etn ON etn.oid = et.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = ANY(%s)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
