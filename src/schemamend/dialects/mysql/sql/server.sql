-- The database read (when the caller did not name it) and the server's
-- version: MariaDB and MySQL print column defaults differently.
SELECT DATABASE(), VERSION()
