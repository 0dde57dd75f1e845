-- 0000_tracking_table.sql: Drizzle's migration tracking table (seed 004, Task 2.3
-- "Mark Baseline as Applied"), created the way drizzle-orm's migrator creates it.
--
-- drizzle-orm's node-postgres migrator reads and writes drizzle.__drizzle_migrations (schema
-- "drizzle", unless migrationsSchema says otherwise). The seed's hand-written
-- `CREATE TABLE __drizzle_migrations` lands in public, where the migrator never looks: it would
-- create its own empty table and run the baseline again ("type already exists").
--
-- The baseline's row is inserted by the runbook (its hash and created_at are params).
-- Strict on purpose: fails if the schema exists. Undo: 0000_rollback.sql.

BEGIN;

CREATE SCHEMA drizzle;

CREATE TABLE drizzle.__drizzle_migrations (
    id          serial PRIMARY KEY,
    hash        text NOT NULL,
    created_at  bigint
);

COMMIT;
