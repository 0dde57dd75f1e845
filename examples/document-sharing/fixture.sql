-- exam_prep production schema, BEFORE Alembic revision 3295efca321d (seed 002,
-- "add document sharing, user education level").
--
-- The FastAPI/SQLAlchemy backend of the exam-preparation platform: admins upload documents,
-- quizzes are generated from them, students make attempts. Alembic is at revision
-- c7e41a9d2b58 (the one before 3295efca321d). SQLAlchemy's Enum(RoleEnum) is a native
-- PostgreSQL enum named roleenum that stores the member NAMES ('ADMIN', 'STUDENT').
--
-- Load into an empty database:
--   createdb -h 127.0.0.1 -U postgres exam_prep
--   psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d exam_prep -f examples/document-sharing/fixture.sql
--
-- Resulting state (schema public): 5 base tables (alembic_version, users, documents, quizzes,
-- attempts), 1 enum (roleenum), 4 foreign keys (all valid), index ix_documents_is_archived
-- already present (the seed: "ix_documents_is_archived ... - already exists").
-- After 3295efca321d: 6 tables (+ document_shares), 8 foreign keys, 2 more indexes on documents.

BEGIN;

SET client_min_messages = warning;

CREATE TYPE public.roleenum AS ENUM ('ADMIN', 'STUDENT');

-- Alembic's bookkeeping table, exactly as Alembic creates it.
CREATE TABLE public.alembic_version (
    version_num varchar(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE public.users (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email            varchar(255) NOT NULL,
    hashed_password  varchar(255) NOT NULL,
    full_name        varchar(255),
    role             public.roleenum NOT NULL DEFAULT 'STUDENT',
    is_active        boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ix_users_email ON public.users (email);

CREATE TABLE public.documents (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    filename     varchar(255) NOT NULL,
    subject      varchar(100) NOT NULL,
    level        varchar(10),
    file_path    varchar(500) NOT NULL,
    uploaded_by  uuid NOT NULL CONSTRAINT documents_uploaded_by_fkey
                     REFERENCES public.users (id) ON DELETE CASCADE,
    is_archived  boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_documents_is_archived ON public.documents (is_archived);
CREATE INDEX ix_documents_subject ON public.documents (subject);

CREATE TABLE public.quizzes (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject     varchar(100) NOT NULL,
    mode        varchar(30) NOT NULL DEFAULT 'adaptive',
    questions   jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_by  uuid CONSTRAINT quizzes_created_by_fkey
                    REFERENCES public.users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.attempts (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL CONSTRAINT attempts_user_id_fkey
                         REFERENCES public.users (id) ON DELETE CASCADE,
    quiz_id          uuid NOT NULL CONSTRAINT attempts_quiz_id_fkey
                         REFERENCES public.quizzes (id) ON DELETE CASCADE,
    score            numeric(5, 2),
    total_questions  integer NOT NULL,
    started_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz
);
CREATE INDEX ix_attempts_user_id ON public.attempts (user_id);

-- ---------------------------------------------------------------------------
-- Rows
-- ---------------------------------------------------------------------------

INSERT INTO public.alembic_version (version_num) VALUES ('c7e41a9d2b58');

INSERT INTO public.users (id, email, hashed_password, full_name, role) VALUES
    ('d1000000-0000-4000-8000-000000000001', 'admin@examprep.rw', '$2b$12$adminhash', 'Platform Admin', 'ADMIN'),
    ('d1000000-0000-4000-8000-000000000002', 'aline@students.rw', '$2b$12$alinehash', 'Aline Uwase', 'STUDENT'),
    ('d1000000-0000-4000-8000-000000000003', 'eric@students.rw', '$2b$12$erichash', 'Eric Mugisha', 'STUDENT');

INSERT INTO public.documents (id, filename, subject, level, file_path, uploaded_by, is_archived) VALUES
    ('d2000000-0000-4000-8000-000000000001', 'p6_mathematics_2023.pdf', 'Mathematics', 'P6',
     'uploads/admin/p6_mathematics_2023.pdf', 'd1000000-0000-4000-8000-000000000001', false),
    ('d2000000-0000-4000-8000-000000000002', 's3_biology_2022.pdf', 'Biology', 'S3',
     'uploads/admin/s3_biology_2022.pdf', 'd1000000-0000-4000-8000-000000000001', false),
    ('d2000000-0000-4000-8000-000000000003', 's6_physics_2019.pdf', 'Physics', 'S6',
     'uploads/admin/s6_physics_2019.pdf', 'd1000000-0000-4000-8000-000000000001', true);

INSERT INTO public.quizzes (id, subject, mode, questions, created_by) VALUES
    ('d3000000-0000-4000-8000-000000000001', 'Mathematics', 'topic-focused',
     '[{"q": "What is 3/4 of 20?", "a": "15"}]', 'd1000000-0000-4000-8000-000000000001'),
    ('d3000000-0000-4000-8000-000000000002', 'Biology', 'adaptive',
     '[{"q": "Name the powerhouse of the cell.", "a": "Mitochondrion"}]', NULL);

INSERT INTO public.attempts (user_id, quiz_id, score, total_questions, completed_at) VALUES
    ('d1000000-0000-4000-8000-000000000002', 'd3000000-0000-4000-8000-000000000001', 80.00, 10, now()),
    ('d1000000-0000-4000-8000-000000000002', 'd3000000-0000-4000-8000-000000000002', 55.00, 10, now()),
    ('d1000000-0000-4000-8000-000000000003', 'd3000000-0000-4000-8000-000000000001', NULL, 10, NULL);

COMMIT;
