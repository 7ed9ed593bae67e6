-- Row counts that ANALYZE recorded: each stat starts with the table's row count.
SELECT tbl, max(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl
