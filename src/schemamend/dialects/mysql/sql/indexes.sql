-- Every index's columns (PRIMARY is the primary key), in key order.
SELECT s.TABLE_NAME, s.INDEX_NAME, s.NON_UNIQUE, s.SEQ_IN_INDEX, s.COLUMN_NAME,
       s.COLLATION, s.SUB_PART, s.INDEX_TYPE
FROM information_schema.STATISTICS s
WHERE s.TABLE_SCHEMA = %s
ORDER BY s.TABLE_NAME, s.INDEX_NAME, s.SEQ_IN_INDEX
