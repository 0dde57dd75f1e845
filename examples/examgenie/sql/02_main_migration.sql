-- 02_main_migration.sql: align ExamGenie production with staging (seed 000).
--
-- PHASE 1: add new structures
--   * examgenie_grading (replaces the legacy grading table): attempt tracking,
--     grade scale 4-10, indexes, FKs to examgenie_exams and students
--   * students.language ('en') and students.language_name ('English')
-- PHASE 2: remove legacy structures
--   * answers, grading, exams (legacy exam system), type exam_status
--
-- Wrapped in one transaction: if ANY statement fails, nothing is changed.
-- The drops are deliberately strict (no IF EXISTS): a production database that is not
-- in the expected "before" state must stop the migration, not be silently "fixed".
-- Undo: 02_rollback.sql.

BEGIN;

-- ===========================================================================
-- PHASE 1: ADD NEW STRUCTURES
-- ===========================================================================

CREATE TABLE public.examgenie_grading (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    exam_id            uuid NOT NULL CONSTRAINT examgenie_grading_exam_id_fkey
                           REFERENCES public.examgenie_exams (id) ON DELETE CASCADE,
    student_id         uuid CONSTRAINT examgenie_grading_student_id_fkey
                           REFERENCES public.students (id) ON DELETE SET NULL,
    attempt_number     integer NOT NULL DEFAULT 1
                           CONSTRAINT examgenie_grading_attempt_number_check CHECK (attempt_number >= 1),
    grade_scale        text NOT NULL DEFAULT '4-10',
    final_grade        numeric(3, 1) NOT NULL
                           CONSTRAINT examgenie_grading_grade_check CHECK (final_grade >= 4 AND final_grade <= 10),
    total_points       integer NOT NULL DEFAULT 0,
    max_total_points   integer NOT NULL DEFAULT 0,
    questions_count    integer NOT NULL DEFAULT 0,
    questions_correct  integer NOT NULL DEFAULT 0,
    grading_json       jsonb,
    graded_at          timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT examgenie_grading_exam_id_attempt_number_key UNIQUE (exam_id, attempt_number)
);

COMMENT ON TABLE public.examgenie_grading IS 'Grading results per exam attempt (replaces legacy grading table)';

CREATE INDEX idx_examgenie_grading_exam_id    ON public.examgenie_grading (exam_id);
CREATE INDEX idx_examgenie_grading_student_id ON public.examgenie_grading (student_id);
CREATE INDEX idx_examgenie_grading_graded_at  ON public.examgenie_grading (graded_at DESC);

ALTER TABLE public.students
    ADD COLUMN language      varchar(10) NOT NULL DEFAULT 'en',
    ADD COLUMN language_name varchar(50) NOT NULL DEFAULT 'English';

-- ===========================================================================
-- PHASE 2: REMOVE LEGACY STRUCTURES (children first)
-- ===========================================================================

DROP TABLE public.answers;
DROP TABLE public.grading;
DROP TABLE public.exams;
DROP TYPE public.exam_status;

COMMIT;
