-- 02_rollback.sql: undo 02_main_migration.sql (seed 000).
--
-- Recreates the legacy exam_status type and the exams / grading / answers tables exactly
-- as they are defined in fixture.sql (same columns, defaults, constraint and index names),
-- and removes examgenie_grading and the students language columns.
--
-- Safe to run more than once, and safe to run against a database where the migration only
-- partly happened: every statement is IF EXISTS / IF NOT EXISTS or guarded.
-- Schema only: rows that lived in the legacy tables (and examgenie_grading) are NOT restored;
-- the seed declares that data is not needed. Restore the backup if it is.

BEGIN;

-- ---------------------------------------------------------------------------
-- Remove the new structures
-- ---------------------------------------------------------------------------

DROP TABLE IF EXISTS public.examgenie_grading;

ALTER TABLE public.students
    DROP COLUMN IF EXISTS language_name,
    DROP COLUMN IF EXISTS language;

-- ---------------------------------------------------------------------------
-- Recreate the legacy structures (keep identical to fixture.sql)
-- ---------------------------------------------------------------------------

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typname = 'exam_status'
    ) THEN
        CREATE TYPE public.exam_status AS ENUM ('created', 'in_progress', 'submitted', 'graded');
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS public.exams (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_id   uuid NOT NULL CONSTRAINT exams_student_id_fkey
                     REFERENCES public.students (id) ON DELETE CASCADE,
    subject      text NOT NULL,
    status       public.exam_status NOT NULL DEFAULT 'created',
    image_url    text,
    ocr_text     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    submitted_at timestamptz
);
CREATE INDEX IF NOT EXISTS idx_exams_student_id ON public.exams (student_id);

CREATE TABLE IF NOT EXISTS public.grading (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    exam_id    uuid NOT NULL CONSTRAINT grading_exam_id_fkey
                   REFERENCES public.exams (id) ON DELETE CASCADE,
    grade      integer NOT NULL CONSTRAINT grading_grade_check CHECK (grade BETWEEN 1 AND 10),
    feedback   text,
    graded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_grading_exam_id ON public.grading (exam_id);

CREATE TABLE IF NOT EXISTS public.answers (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    exam_id         uuid NOT NULL CONSTRAINT answers_exam_id_fkey
                        REFERENCES public.exams (id) ON DELETE CASCADE,
    question_number integer NOT NULL,
    student_answer  text,
    is_correct      boolean,
    points_awarded  integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_answers_exam_id ON public.answers (exam_id);

COMMIT;
