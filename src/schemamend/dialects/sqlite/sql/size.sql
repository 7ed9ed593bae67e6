-- The database's size in bytes (small databases are counted exactly), and
-- whether ANALYZE has left statistics to read instead.
SELECT p.page_count * s.page_size,
       EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1')
FROM pragma_page_count() p, pragma_page_size() s
