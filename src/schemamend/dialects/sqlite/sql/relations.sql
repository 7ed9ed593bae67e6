-- Tables and views, with the statement that created each (constraint names
-- and partial-index predicates are only found there).
SELECT m.name, m.type, m.sql
FROM sqlite_master m
WHERE m.type IN ('table', 'view')
  AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
