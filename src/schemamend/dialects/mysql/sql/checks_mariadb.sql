-- MariaDB keeps JSON columns as LONGTEXT with a `json_valid(col)` check:
-- the checks tell which columns are JSON.
SELECT c.TABLE_NAME, c.CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS c
WHERE c.CONSTRAINT_SCHEMA = %s
