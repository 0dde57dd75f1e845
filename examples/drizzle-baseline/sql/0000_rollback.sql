-- 0000_rollback.sql: undo 0000_tracking_table.sql (seed 004, Task 2.3: "Keep rollback SQL ready:
-- DROP TABLE __drizzle_migrations;"). The database goes back to db:push state: no migration
-- tracking. The application's tables are not touched.
-- Idempotent (IF EXISTS), one transaction. DROP SCHEMA without CASCADE: fails if anything else
-- was put into schema drizzle.

BEGIN;

DROP TABLE IF EXISTS drizzle.__drizzle_migrations;
DROP SCHEMA IF EXISTS drizzle;

COMMIT;
