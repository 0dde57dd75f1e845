-- 0002_rollback.sql: undo migrations/0002_add_application_reviewer.sql (seed 004, Task 3.2
-- "Create rollback migration": Drizzle generates none).
-- Drops the index, the foreign key and the column, in that order. DATA: which counselor reviews
-- which application is lost. Idempotent (IF EXISTS), one transaction.

BEGIN;

DROP INDEX IF EXISTS public.applications_reviewer_id_idx;
ALTER TABLE public.applications DROP CONSTRAINT IF EXISTS applications_reviewer_id_users_id_fk;
ALTER TABLE public.applications DROP COLUMN IF EXISTS reviewer_id;

COMMIT;
