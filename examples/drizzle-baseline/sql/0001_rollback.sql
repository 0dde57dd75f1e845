-- 0001_rollback.sql: undo migrations/0001_add_enrolled_student_status.sql (seed 004, Task 3.3).
--
-- PostgreSQL has ALTER TYPE ... ADD VALUE but no DROP VALUE: the type is recreated without
-- 'enrolled' (seed: "Cannot remove values without recreating enum"):
--   1. rename student_status to student_status_old,
--   2. create student_status with the 5 original values, in their original order,
--   3. move every column to the new type (USING col::text::student_status), dropping and
--      restoring the one default around it (a default of the old type would block the change),
--   4. drop student_status_old.
-- Only safe when no row uses 'enrolled' (step 3 would fail on such a row anyway): the block
-- refuses first, with a clear message. The runbook checks the same before it runs this file.
-- The columns of type student_status: student_profiles.status (NOT NULL DEFAULT 'inquiry',
-- indexed), student_timeline.status, student_timeline.previous_status. A view, rule or function
-- using the type would block the change; the fixture has none (the preflight checks).
--
-- Idempotent: does nothing when student_status has no 'enrolled'. One transaction.
-- ALTER TABLE ... ALTER COLUMN TYPE rewrites the two tables and their indexes under an
-- ACCESS EXCLUSIVE lock: seconds on production-sized tables, not milliseconds.

BEGIN;

-- runbook:allow alter-column-type removing an enum value means recreating the type: the rewrite of student_profiles and student_timeline under ACCESS EXCLUSIVE is accepted for a rollback (thousands of rows)
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_enum
                   WHERE enumtypid = 'public.student_status'::regtype AND enumlabel = 'enrolled') THEN
        RAISE NOTICE 'student_status has no value ''enrolled'': nothing to undo';
        RETURN;
    END IF;

    IF EXISTS (SELECT 1 FROM public.student_profiles WHERE status::text = 'enrolled')
       OR EXISTS (SELECT 1 FROM public.student_timeline
                  WHERE status::text = 'enrolled' OR previous_status::text = 'enrolled') THEN
        RAISE EXCEPTION 'student_status ''enrolled'' is still used: move those rows to another status first';
    END IF;

    ALTER TYPE public.student_status RENAME TO student_status_old;
    CREATE TYPE public.student_status AS ENUM ('inquiry', 'converted', 'visa_applied', 'visa_approved', 'departed');

    ALTER TABLE public.student_profiles ALTER COLUMN status DROP DEFAULT;
    ALTER TABLE public.student_profiles
        ALTER COLUMN status TYPE public.student_status USING status::text::public.student_status;
    ALTER TABLE public.student_profiles ALTER COLUMN status SET DEFAULT 'inquiry';

    ALTER TABLE public.student_timeline
        ALTER COLUMN status TYPE public.student_status USING status::text::public.student_status,
        ALTER COLUMN previous_status TYPE public.student_status USING previous_status::text::public.student_status;

    DROP TYPE public.student_status_old;
END
$$;

COMMIT;
