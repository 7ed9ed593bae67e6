-- Tables and views of the namespaces read ($1: their names), with the
-- planner's row estimate (-1: never analysed) and each view's definition.
SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples::float8,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS view_definition
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%s)
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND NOT c.relispartition
