-- Tables and views of the database ($1), with InnoDB's row estimate and
-- each view's definition.
SELECT t.TABLE_NAME, t.TABLE_TYPE, t.TABLE_ROWS, v.VIEW_DEFINITION
FROM information_schema.TABLES t
LEFT JOIN information_schema.VIEWS v
  ON v.TABLE_SCHEMA = t.TABLE_SCHEMA AND v.TABLE_NAME = t.TABLE_NAME
WHERE t.TABLE_SCHEMA = %s
