-- up.sql: consolidated initial schema of the Kedge Self-Practice platform (seed 003).
-- schema/migrations/main_db/consolidated_initial_schema/up.sql: replaces the 17 sequential
-- migrations with one script that creates the complete schema kedge_practice.
--
--   2 enum types        quiz_type, session_status
--   2 trigger functions update_updated_at_column(), update_weakness_timestamps()
--  10 tables            users, knowledge_points, quizzes, practice_strategies, practice_sessions,
--                       practice_answers, student_weaknesses, student_mistakes,
--                       knowledge_points_metadata, attachments
--  41 indexes           (35+; primary keys and unique constraints included)
--  10 triggers          one per table, keeping updated_at current
--   1 view              practice_statistics
--   default data        4 practice strategies, the anonymous user
--
-- Atomic: one transaction, all or nothing. Strict on purpose: CREATE SCHEMA without IF NOT
-- EXISTS, so "apply" fails when the schema exists (seed: "Apply migration (fails if schema
-- exists)"). Undo: down.sql.

BEGIN;

CREATE SCHEMA kedge_practice;
COMMENT ON SCHEMA kedge_practice IS 'Kedge Self-Practice platform (consolidated initial schema)';

-- ===========================================================================
-- Types and trigger functions
-- ===========================================================================

CREATE TYPE kedge_practice.quiz_type AS ENUM
    ('single-choice', 'multiple-choice', 'fill-in-the-blank', 'subjective', 'other');
CREATE TYPE kedge_practice.session_status AS ENUM
    ('pending', 'in_progress', 'completed', 'abandoned');

CREATE FUNCTION kedge_practice.update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END
$$;

-- student_weaknesses also records when a knowledge point was last practised.
CREATE FUNCTION kedge_practice.update_weakness_timestamps() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at = now();
    IF NEW.practice_count IS DISTINCT FROM OLD.practice_count THEN
        NEW.last_practiced_at = now();
    END IF;
    RETURN NEW;
END
$$;

-- ===========================================================================
-- Tables (parents first) and their indexes
-- ===========================================================================

-- User accounts and authentication
CREATE TABLE kedge_practice.users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id     text NOT NULL CONSTRAINT users_account_id_key UNIQUE,
    name           text NOT NULL,
    password_hash  text NOT NULL,
    salt           text NOT NULL,
    role           text NOT NULL DEFAULT 'student'
                       CONSTRAINT users_role_check CHECK (role IN ('student', 'teacher', 'admin')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_users_role ON kedge_practice.users (role);
CREATE INDEX idx_users_created_at ON kedge_practice.users (created_at);

-- Curriculum hierarchy: volume > unit > lesson > sub-topic
CREATE TABLE kedge_practice.knowledge_points (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    topic       text NOT NULL,
    volume      text NOT NULL,
    unit        text NOT NULL,
    lesson      text NOT NULL,
    sub         text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_knowledge_points_topic ON kedge_practice.knowledge_points (topic);
CREATE INDEX idx_knowledge_points_volume_unit ON kedge_practice.knowledge_points (volume, unit);
CREATE INDEX idx_knowledge_points_lesson ON kedge_practice.knowledge_points (lesson);
CREATE INDEX idx_knowledge_points_hierarchy ON kedge_practice.knowledge_points (volume, unit, lesson, sub);

-- Quiz questions and answers
CREATE TABLE kedge_practice.quizzes (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    type                kedge_practice.quiz_type NOT NULL,
    question            text NOT NULL,
    options             jsonb,
    answer              jsonb NOT NULL,
    answer_index        integer[],
    original_paragraph  text,
    knowledge_point_id  uuid CONSTRAINT quizzes_knowledge_point_id_fkey
                            REFERENCES kedge_practice.knowledge_points (id) ON DELETE SET NULL,
    images              jsonb NOT NULL DEFAULT '[]'::jsonb,
    tags                text[] NOT NULL DEFAULT '{}',
    hints               jsonb,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_quizzes_type ON kedge_practice.quizzes (type);
CREATE INDEX idx_quizzes_knowledge_point_id ON kedge_practice.quizzes (knowledge_point_id);
CREATE INDEX idx_quizzes_tags ON kedge_practice.quizzes USING gin (tags);
CREATE INDEX idx_quizzes_created_at ON kedge_practice.quizzes (created_at);

-- Learning strategies
CREATE TABLE kedge_practice.practice_strategies (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code         text NOT NULL CONSTRAINT practice_strategies_code_key UNIQUE,
    name         text NOT NULL,
    description  text,
    config       jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active    boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_practice_strategies_is_active ON kedge_practice.practice_strategies (is_active);

-- Practice session tracking
CREATE TABLE kedge_practice.practice_sessions (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              uuid NOT NULL CONSTRAINT practice_sessions_user_id_fkey
                             REFERENCES kedge_practice.users (id) ON DELETE CASCADE,
    strategy_id          uuid CONSTRAINT practice_sessions_strategy_id_fkey
                             REFERENCES kedge_practice.practice_strategies (id) ON DELETE SET NULL,
    status               kedge_practice.session_status NOT NULL DEFAULT 'pending',
    knowledge_point_ids  uuid[] NOT NULL DEFAULT '{}',
    question_count       integer NOT NULL DEFAULT 0 CONSTRAINT practice_sessions_question_count_check CHECK (question_count >= 0),
    answered_count       integer NOT NULL DEFAULT 0,
    correct_count        integer NOT NULL DEFAULT 0,
    time_limit_minutes   integer,
    started_at           timestamptz,
    completed_at         timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_practice_sessions_user_id ON kedge_practice.practice_sessions (user_id);
CREATE INDEX idx_practice_sessions_status ON kedge_practice.practice_sessions (status);
CREATE INDEX idx_practice_sessions_strategy_id ON kedge_practice.practice_sessions (strategy_id);
CREATE INDEX idx_practice_sessions_user_created ON kedge_practice.practice_sessions (user_id, created_at DESC);

-- Individual answer records
CREATE TABLE kedge_practice.practice_answers (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id          uuid NOT NULL CONSTRAINT practice_answers_session_id_fkey
                            REFERENCES kedge_practice.practice_sessions (id) ON DELETE CASCADE,
    quiz_id             uuid NOT NULL CONSTRAINT practice_answers_quiz_id_fkey
                            REFERENCES kedge_practice.quizzes (id) ON DELETE CASCADE,
    user_answer         text,
    is_correct          boolean NOT NULL,
    time_spent_seconds  integer,
    answered_at         timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT practice_answers_session_id_quiz_id_key UNIQUE (session_id, quiz_id)
);
CREATE INDEX idx_practice_answers_quiz_id ON kedge_practice.practice_answers (quiz_id);
CREATE INDEX idx_practice_answers_is_correct ON kedge_practice.practice_answers (is_correct);
CREATE INDEX idx_practice_answers_answered_at ON kedge_practice.practice_answers (answered_at);

-- Performance tracking per knowledge point
CREATE TABLE kedge_practice.student_weaknesses (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             uuid NOT NULL CONSTRAINT student_weaknesses_user_id_fkey
                            REFERENCES kedge_practice.users (id) ON DELETE CASCADE,
    knowledge_point_id  uuid NOT NULL CONSTRAINT student_weaknesses_knowledge_point_id_fkey
                            REFERENCES kedge_practice.knowledge_points (id) ON DELETE CASCADE,
    weakness_score      numeric(5, 2) NOT NULL DEFAULT 0,
    error_count         integer NOT NULL DEFAULT 0,
    practice_count      integer NOT NULL DEFAULT 0,
    last_practiced_at   timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT student_weaknesses_user_id_knowledge_point_id_key UNIQUE (user_id, knowledge_point_id)
);
CREATE INDEX idx_student_weaknesses_knowledge_point_id ON kedge_practice.student_weaknesses (knowledge_point_id);
CREATE INDEX idx_student_weaknesses_score ON kedge_practice.student_weaknesses (user_id, weakness_score DESC);

-- Error analysis
CREATE TABLE kedge_practice.student_mistakes (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid NOT NULL CONSTRAINT student_mistakes_user_id_fkey
                          REFERENCES kedge_practice.users (id) ON DELETE CASCADE,
    quiz_id           uuid NOT NULL CONSTRAINT student_mistakes_quiz_id_fkey
                          REFERENCES kedge_practice.quizzes (id) ON DELETE CASCADE,
    session_id        uuid CONSTRAINT student_mistakes_session_id_fkey
                          REFERENCES kedge_practice.practice_sessions (id) ON DELETE SET NULL,
    incorrect_answer  text,
    correct_answer    text,
    mistake_count     integer NOT NULL DEFAULT 1,
    is_resolved       boolean NOT NULL DEFAULT false,
    last_mistake_at   timestamptz NOT NULL DEFAULT now(),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_student_mistakes_user_id ON kedge_practice.student_mistakes (user_id);
CREATE INDEX idx_student_mistakes_quiz_id ON kedge_practice.student_mistakes (quiz_id);
CREATE INDEX idx_student_mistakes_unresolved ON kedge_practice.student_mistakes (user_id) WHERE NOT is_resolved;

-- System configuration
CREATE TABLE kedge_practice.knowledge_points_metadata (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key          text NOT NULL CONSTRAINT knowledge_points_metadata_key_key UNIQUE,
    value        jsonb NOT NULL,
    description  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- File storage metadata
CREATE TABLE kedge_practice.attachments (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    original_name  text NOT NULL,
    stored_name    text NOT NULL CONSTRAINT attachments_stored_name_key UNIQUE,
    mime_type      text NOT NULL,
    size           bigint NOT NULL CONSTRAINT attachments_size_check CHECK (size >= 0),
    hash           text NOT NULL,
    relative_path  text NOT NULL,
    uploaded_by    uuid CONSTRAINT attachments_uploaded_by_fkey
                       REFERENCES kedge_practice.users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_attachments_hash ON kedge_practice.attachments (hash);
CREATE INDEX idx_attachments_uploaded_by ON kedge_practice.attachments (uploaded_by);

-- ===========================================================================
-- Triggers: updated_at on every table
-- ===========================================================================

CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON kedge_practice.users
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_updated_at_column();
CREATE TRIGGER update_knowledge_points_updated_at BEFORE UPDATE ON kedge_practice.knowledge_points
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_updated_at_column();
CREATE TRIGGER update_quizzes_updated_at BEFORE UPDATE ON kedge_practice.quizzes
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_updated_at_column();
CREATE TRIGGER update_practice_strategies_updated_at BEFORE UPDATE ON kedge_practice.practice_strategies
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_updated_at_column();
CREATE TRIGGER update_practice_sessions_updated_at BEFORE UPDATE ON kedge_practice.practice_sessions
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_updated_at_column();
CREATE TRIGGER update_practice_answers_updated_at BEFORE UPDATE ON kedge_practice.practice_answers
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_updated_at_column();
CREATE TRIGGER update_student_weaknesses_timestamps BEFORE UPDATE ON kedge_practice.student_weaknesses
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_weakness_timestamps();
CREATE TRIGGER update_student_mistakes_updated_at BEFORE UPDATE ON kedge_practice.student_mistakes
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_updated_at_column();
CREATE TRIGGER update_knowledge_points_metadata_updated_at BEFORE UPDATE ON kedge_practice.knowledge_points_metadata
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_updated_at_column();
CREATE TRIGGER update_attachments_updated_at BEFORE UPDATE ON kedge_practice.attachments
    FOR EACH ROW EXECUTE FUNCTION kedge_practice.update_updated_at_column();

-- ===========================================================================
-- View: practice statistics per user
-- ===========================================================================

CREATE VIEW kedge_practice.practice_statistics AS
SELECT u.id AS user_id,
       u.name,
       count(DISTINCT s.id) AS total_sessions,
       count(DISTINCT s.id) FILTER (WHERE s.status = 'completed') AS completed_sessions,
       count(a.id) AS total_answers,
       count(a.id) FILTER (WHERE a.is_correct) AS correct_answers,
       round(100.0 * count(a.id) FILTER (WHERE a.is_correct) / NULLIF(count(a.id), 0), 2) AS accuracy_percent,
       max(s.completed_at) AS last_completed_at
  FROM kedge_practice.users u
  LEFT JOIN kedge_practice.practice_sessions s ON s.user_id = u.id
  LEFT JOIN kedge_practice.practice_answers a ON a.session_id = s.id
 GROUP BY u.id, u.name;

-- ===========================================================================
-- Default data
-- ===========================================================================

INSERT INTO kedge_practice.practice_strategies (code, name, description, config) VALUES
    ('random',        'Random practice',   'Questions drawn at random from the selected knowledge points',
     '{"shuffle": true}'),
    ('sequential',    'Sequential',        'Questions in curriculum order',
     '{"shuffle": false}'),
    ('weakness',      'Focus on weaknesses', 'Prefers knowledge points with the highest weakness score',
     '{"weakness_weight": 0.7, "min_questions_per_point": 2}'),
    ('mistake_review', 'Mistake review',   'Only questions answered wrongly before and not yet resolved',
     '{"include_resolved": false}');

-- Used for practice without an account; it cannot log in (no password matches '!').
INSERT INTO kedge_practice.users (id, account_id, name, password_hash, salt, role) VALUES
    ('00000000-0000-0000-0000-000000000000', 'anonymous', 'Anonymous', '!', '!', 'student');

COMMIT;
