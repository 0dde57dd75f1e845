-- ExamGenie production schema, BEFORE the staging alignment (seed 000).
--
-- Two exam systems live side by side: the modern examgenie_exams / examgenie_questions
-- and the legacy exams / grading / answers tables (plus the exam_status enum that only
-- the legacy exams table uses). students has no language support yet.
--
-- Load into an empty database:
--   createdb -h 127.0.0.1 -U postgres examgenie
--   psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d examgenie -f examples/examgenie/fixture.sql
--
-- Resulting state: 6 base tables in public, 5 foreign keys (all valid), type exam_status.

BEGIN;

SET client_min_messages = warning;

-- ---------------------------------------------------------------------------
-- Modern system (kept)
-- ---------------------------------------------------------------------------

CREATE TABLE public.students (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL,
    name        text NOT NULL,
    grade       integer CONSTRAINT students_grade_check CHECK (grade BETWEEN 1 AND 12),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_students_user_id ON public.students (user_id);

CREATE TABLE public.examgenie_exams (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL,
    student_id      uuid CONSTRAINT examgenie_exams_student_id_fkey
                        REFERENCES public.students (id) ON DELETE SET NULL,
    subject         text NOT NULL,
    grade           text,
    status          text NOT NULL DEFAULT 'DRAFT'
                        CONSTRAINT examgenie_exams_status_check
                        CHECK (status IN ('DRAFT', 'PROCESSING', 'READY', 'FAILED')),
    processed_text  text,
    raw_ai_response text,
    share_id        varchar(50) CONSTRAINT examgenie_exams_share_id_key UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz
);
CREATE INDEX idx_examgenie_exams_user_id ON public.examgenie_exams (user_id);
CREATE INDEX idx_examgenie_exams_student_id ON public.examgenie_exams (student_id);

CREATE TABLE public.examgenie_questions (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    exam_id          uuid NOT NULL CONSTRAINT examgenie_questions_exam_id_fkey
                         REFERENCES public.examgenie_exams (id) ON DELETE CASCADE,
    question_number  integer NOT NULL,
    question_text    text NOT NULL,
    question_type    text NOT NULL
                         CONSTRAINT examgenie_questions_question_type_check
                         CHECK (question_type IN ('multiple_choice', 'true_false', 'short_answer', 'fill_in_the_blank')),
    options          jsonb,
    correct_answer   text,
    explanation      text,
    max_points       integer NOT NULL DEFAULT 2,
    is_selected      boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT examgenie_questions_exam_id_question_number_key UNIQUE (exam_id, question_number)
);
CREATE INDEX idx_examgenie_questions_exam_id ON public.examgenie_questions (exam_id);

-- ---------------------------------------------------------------------------
-- Legacy system (dropped by 02_main_migration.sql, recreated by 02_rollback.sql)
-- Keep these definitions identical to the ones in sql/02_rollback.sql.
-- ---------------------------------------------------------------------------

CREATE TYPE public.exam_status AS ENUM ('created', 'in_progress', 'submitted', 'graded');

CREATE TABLE public.exams (
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
CREATE INDEX idx_exams_student_id ON public.exams (student_id);

CREATE TABLE public.grading (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    exam_id    uuid NOT NULL CONSTRAINT grading_exam_id_fkey
                   REFERENCES public.exams (id) ON DELETE CASCADE,
    grade      integer NOT NULL CONSTRAINT grading_grade_check CHECK (grade BETWEEN 1 AND 10),
    feedback   text,
    graded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_grading_exam_id ON public.grading (exam_id);

CREATE TABLE public.answers (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    exam_id         uuid NOT NULL CONSTRAINT answers_exam_id_fkey
                        REFERENCES public.exams (id) ON DELETE CASCADE,
    question_number integer NOT NULL,
    student_answer  text,
    is_correct      boolean,
    points_awarded  integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_answers_exam_id ON public.answers (exam_id);

-- ---------------------------------------------------------------------------
-- Seed rows
-- ---------------------------------------------------------------------------

INSERT INTO public.students (id, user_id, name, grade) VALUES
    ('a1000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001', 'Aino Virtanen', 5),
    ('a1000000-0000-4000-8000-000000000002', 'f0000000-0000-4000-8000-000000000001', 'Eero Virtanen', 8),
    ('a1000000-0000-4000-8000-000000000003', 'f0000000-0000-4000-8000-000000000002', 'Sofia Korhonen', 9);

INSERT INTO public.examgenie_exams (id, user_id, student_id, subject, grade, status, processed_text, share_id, completed_at) VALUES
    ('b2000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000001',
     'Mathematics', '5', 'READY', 'Fractions and decimals, chapter 3', 'mth-5-aino', now()),
    ('b2000000-0000-4000-8000-000000000002', 'f0000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000002',
     'History', '8', 'READY', 'The Finnish Civil War, 1918', 'his-8-eero', now()),
    ('b2000000-0000-4000-8000-000000000003', 'f0000000-0000-4000-8000-000000000002', 'a1000000-0000-4000-8000-000000000003',
     'Biology', '9', 'PROCESSING', NULL, NULL, NULL);

INSERT INTO public.examgenie_questions (exam_id, question_number, question_text, question_type, options, correct_answer, explanation) VALUES
    ('b2000000-0000-4000-8000-000000000001', 1, 'What is 1/4 as a decimal?', 'multiple_choice',
     '["0.14", "0.25", "0.4", "0.75"]', '0.25', '1 divided by 4 is 0.25.'),
    ('b2000000-0000-4000-8000-000000000001', 2, '0.5 is greater than 1/3.', 'true_false',
     '["true", "false"]', 'true', '1/3 is about 0.33.'),
    ('b2000000-0000-4000-8000-000000000002', 1, 'In which year did the Finnish Civil War take place?', 'short_answer',
     NULL, '1918', 'January to May 1918.'),
    ('b2000000-0000-4000-8000-000000000002', 2, 'Name the two sides of the war.', 'short_answer',
     NULL, 'The Reds and the Whites', NULL);

INSERT INTO public.exams (id, student_id, subject, status, ocr_text, submitted_at) VALUES
    ('c3000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000001', 'Mathematics', 'graded', 'legacy OCR text', now() - interval '90 days'),
    ('c3000000-0000-4000-8000-000000000002', 'a1000000-0000-4000-8000-000000000002', 'History', 'submitted', 'legacy OCR text', now() - interval '60 days'),
    ('c3000000-0000-4000-8000-000000000003', 'a1000000-0000-4000-8000-000000000003', 'Biology', 'created', NULL, NULL);

INSERT INTO public.grading (exam_id, grade, feedback) VALUES
    ('c3000000-0000-4000-8000-000000000001', 8, 'Good work on fractions.');

INSERT INTO public.answers (exam_id, question_number, student_answer, is_correct, points_awarded) VALUES
    ('c3000000-0000-4000-8000-000000000001', 1, '0.25', true, 2),
    ('c3000000-0000-4000-8000-000000000001', 2, 'false', false, 0),
    ('c3000000-0000-4000-8000-000000000002', 1, '1918', true, 2);

COMMIT;
