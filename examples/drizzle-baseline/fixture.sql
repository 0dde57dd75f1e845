-- EduPath production schema BEFORE the Drizzle baseline (seed 004, "Transitioning from
-- db:push to Migration-Based Version Control").
--
-- What `drizzle-kit push` left in production: tables, enums and constraints named the way
-- Drizzle names them (users_email_unique, student_profiles_user_id_users_id_fk, ...), and NO
-- migration tracking at all: no schema drizzle, no __drizzle_migrations table.
-- A cut-down copy: production has 31 tables and 15 enums; the 10 tables and 7 enums here are
-- the ones the first migrations touch and the ones they reference.
--
-- Load into an empty database:
--   createdb -h 127.0.0.1 -U postgres edupath
--   psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d edupath -f examples/drizzle-baseline/fixture.sql
--
-- Resulting state (schema public): 10 tables, 7 enums, 12 foreign keys (all valid), no functions
-- or triggers; student_status = inquiry, converted, visa_applied, visa_approved, departed (used
-- by student_profiles.status, student_timeline.status and student_timeline.previous_status);
-- the admin user and the 5 security settings of the initialization flow.

BEGIN;

SET client_min_messages = warning;

-- ---------------------------------------------------------------------------
-- Enums
-- ---------------------------------------------------------------------------

CREATE TYPE public.user_type AS ENUM ('customer', 'team_member', 'company_profile');
CREATE TYPE public.team_role AS ENUM ('admin', 'counselor', 'marketing', 'support');
CREATE TYPE public.account_status AS ENUM ('active', 'inactive', 'pending_approval', 'suspended');
CREATE TYPE public.application_status AS ENUM ('draft', 'submitted', 'under_review', 'accepted', 'rejected', 'waitlisted');
CREATE TYPE public.student_status AS ENUM ('inquiry', 'converted', 'visa_applied', 'visa_approved', 'departed');
CREATE TYPE public.document_type AS ENUM ('transcript', 'test_score', 'essay', 'recommendation', 'resume', 'passport', 'other');
CREATE TYPE public.notification_type AS ENUM ('application_update', 'document_reminder', 'message', 'system');

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------

-- Polymorphic: customers (students), team members, company profiles.
CREATE TABLE public.users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email           text NOT NULL CONSTRAINT users_email_unique UNIQUE,
    password        text,
    first_name      text,
    last_name       text,
    user_type       public.user_type NOT NULL DEFAULT 'customer',
    team_role       public.team_role,
    account_status  public.account_status DEFAULT 'active',
    company_name    text,
    created_at      timestamp DEFAULT now(),
    updated_at      timestamp DEFAULT now()
);

CREATE TABLE public.student_profiles (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                uuid NOT NULL CONSTRAINT student_profiles_user_id_unique UNIQUE,
    phone                  text,
    date_of_birth          date,
    nationality            text,
    status                 public.student_status NOT NULL DEFAULT 'inquiry',
    assigned_counselor_id  uuid,
    academic_background    jsonb,
    preferences            jsonb,
    test_scores            jsonb,
    created_at             timestamp DEFAULT now(),
    updated_at             timestamp DEFAULT now()
);
CREATE INDEX student_profiles_status_idx ON public.student_profiles USING btree (status);

CREATE TABLE public.universities (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text NOT NULL,
    country        text NOT NULL,
    city           text,
    world_ranking  integer,
    tuition_fee    integer,
    website        text,
    description    text,
    created_at     timestamp DEFAULT now(),
    updated_at     timestamp DEFAULT now()
);
CREATE INDEX universities_country_idx ON public.universities USING btree (country);

CREATE TABLE public.courses (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    university_id  uuid NOT NULL,
    name           text NOT NULL,
    degree         text NOT NULL,
    field          text,
    duration       text,
    tuition_fee    integer,
    created_at     timestamp DEFAULT now()
);

CREATE TABLE public.applications (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL,
    university_id  uuid NOT NULL,
    course_id      uuid,
    status         public.application_status DEFAULT 'draft',
    notes          text,
    submitted_at   timestamp,
    created_at     timestamp DEFAULT now(),
    updated_at     timestamp DEFAULT now()
);
CREATE INDEX applications_user_id_idx ON public.applications USING btree (user_id);

CREATE TABLE public.documents (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL,
    application_id  uuid,
    type            public.document_type NOT NULL,
    name            text NOT NULL,
    file_path       text NOT NULL,
    is_verified     boolean DEFAULT false,
    uploaded_at     timestamp DEFAULT now()
);

CREATE TABLE public.notifications (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL,
    type        public.notification_type NOT NULL,
    title       text NOT NULL,
    message     text NOT NULL,
    is_read     boolean DEFAULT false,
    created_at  timestamp DEFAULT now()
);

CREATE TABLE public.security_settings (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    setting_key    varchar(100) NOT NULL CONSTRAINT security_settings_setting_key_unique UNIQUE,
    setting_value  text NOT NULL,
    description    text,
    updated_by     uuid,
    updated_at     timestamp DEFAULT now()
);

-- Student status history: two columns of type student_status.
CREATE TABLE public.student_timeline (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_id       uuid NOT NULL,
    status           public.student_status NOT NULL,
    previous_status  public.student_status,
    note             text,
    changed_by       uuid,
    created_at       timestamp DEFAULT now()
);

CREATE TABLE public.subscription_plans (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text NOT NULL,
    price          numeric(10, 2) NOT NULL,
    features       jsonb,
    is_active      boolean DEFAULT true,
    display_order  integer DEFAULT 0,
    created_at     timestamp DEFAULT now()
);

-- ---------------------------------------------------------------------------
-- Foreign keys (12), as drizzle-kit push adds them
-- ---------------------------------------------------------------------------

ALTER TABLE public.student_profiles ADD CONSTRAINT student_profiles_user_id_users_id_fk
    FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE cascade ON UPDATE no action;
ALTER TABLE public.student_profiles ADD CONSTRAINT student_profiles_assigned_counselor_id_users_id_fk
    FOREIGN KEY (assigned_counselor_id) REFERENCES public.users (id) ON DELETE no action ON UPDATE no action;
ALTER TABLE public.courses ADD CONSTRAINT courses_university_id_universities_id_fk
    FOREIGN KEY (university_id) REFERENCES public.universities (id) ON DELETE cascade ON UPDATE no action;
ALTER TABLE public.applications ADD CONSTRAINT applications_user_id_users_id_fk
    FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE cascade ON UPDATE no action;
ALTER TABLE public.applications ADD CONSTRAINT applications_university_id_universities_id_fk
    FOREIGN KEY (university_id) REFERENCES public.universities (id) ON DELETE no action ON UPDATE no action;
ALTER TABLE public.applications ADD CONSTRAINT applications_course_id_courses_id_fk
    FOREIGN KEY (course_id) REFERENCES public.courses (id) ON DELETE no action ON UPDATE no action;
ALTER TABLE public.documents ADD CONSTRAINT documents_user_id_users_id_fk
    FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE cascade ON UPDATE no action;
ALTER TABLE public.documents ADD CONSTRAINT documents_application_id_applications_id_fk
    FOREIGN KEY (application_id) REFERENCES public.applications (id) ON DELETE no action ON UPDATE no action;
ALTER TABLE public.notifications ADD CONSTRAINT notifications_user_id_users_id_fk
    FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE cascade ON UPDATE no action;
ALTER TABLE public.security_settings ADD CONSTRAINT security_settings_updated_by_users_id_fk
    FOREIGN KEY (updated_by) REFERENCES public.users (id) ON DELETE no action ON UPDATE no action;
ALTER TABLE public.student_timeline ADD CONSTRAINT student_timeline_student_id_student_profiles_id_fk
    FOREIGN KEY (student_id) REFERENCES public.student_profiles (id) ON DELETE cascade ON UPDATE no action;
ALTER TABLE public.student_timeline ADD CONSTRAINT student_timeline_changed_by_users_id_fk
    FOREIGN KEY (changed_by) REFERENCES public.users (id) ON DELETE no action ON UPDATE no action;

-- ---------------------------------------------------------------------------
-- Rows
-- ---------------------------------------------------------------------------

INSERT INTO public.users (id, email, password, first_name, last_name, user_type, team_role, account_status) VALUES
    ('e1000000-0000-4000-8000-000000000001', 'admin@edupath.com', '$2b$10$adminhash', 'EduPath', 'Admin', 'team_member', 'admin', 'active'),
    ('e1000000-0000-4000-8000-000000000002', 'priya.counselor@edupath.com', '$2b$10$counselorhash', 'Priya', 'Sharma', 'team_member', 'counselor', 'active'),
    ('e1000000-0000-4000-8000-000000000003', 'arjun.mehta@example.com', '$2b$10$arjunhash', 'Arjun', 'Mehta', 'customer', NULL, 'active'),
    ('e1000000-0000-4000-8000-000000000004', 'sara.okafor@example.com', '$2b$10$sarahash', 'Sara', 'Okafor', 'customer', NULL, 'active');

INSERT INTO public.student_profiles (id, user_id, nationality, status, assigned_counselor_id, academic_background) VALUES
    ('e2000000-0000-4000-8000-000000000001', 'e1000000-0000-4000-8000-000000000003', 'India', 'visa_applied',
     'e1000000-0000-4000-8000-000000000002', '{"gpa": 3.6, "degree": "BTech"}'),
    ('e2000000-0000-4000-8000-000000000002', 'e1000000-0000-4000-8000-000000000004', 'Nigeria', 'inquiry',
     'e1000000-0000-4000-8000-000000000002', '{"gpa": 3.8, "degree": "BSc"}');

INSERT INTO public.student_timeline (student_id, status, previous_status, note, changed_by) VALUES
    ('e2000000-0000-4000-8000-000000000001', 'converted', 'inquiry', 'Signed up for the Achiever plan', 'e1000000-0000-4000-8000-000000000002'),
    ('e2000000-0000-4000-8000-000000000001', 'visa_applied', 'converted', 'Visa application filed', 'e1000000-0000-4000-8000-000000000002');

INSERT INTO public.universities (id, name, country, city, world_ranking, tuition_fee) VALUES
    ('e3000000-0000-4000-8000-000000000001', 'University of Toronto', 'Canada', 'Toronto', 21, 45000),
    ('e3000000-0000-4000-8000-000000000002', 'University of Melbourne', 'Australia', 'Melbourne', 14, 42000);

INSERT INTO public.courses (id, university_id, name, degree, field, duration, tuition_fee) VALUES
    ('e4000000-0000-4000-8000-000000000001', 'e3000000-0000-4000-8000-000000000001', 'MEng Computer Engineering', 'Masters', 'Engineering', '2 years', 48000),
    ('e4000000-0000-4000-8000-000000000002', 'e3000000-0000-4000-8000-000000000002', 'Master of Data Science', 'Masters', 'Computing', '2 years', 44000);

INSERT INTO public.applications (id, user_id, university_id, course_id, status, submitted_at) VALUES
    ('e5000000-0000-4000-8000-000000000001', 'e1000000-0000-4000-8000-000000000003', 'e3000000-0000-4000-8000-000000000001',
     'e4000000-0000-4000-8000-000000000001', 'accepted', '2025-09-01 10:00:00'),
    ('e5000000-0000-4000-8000-000000000002', 'e1000000-0000-4000-8000-000000000004', 'e3000000-0000-4000-8000-000000000002',
     'e4000000-0000-4000-8000-000000000002', 'draft', NULL);

INSERT INTO public.documents (user_id, application_id, type, name, file_path, is_verified) VALUES
    ('e1000000-0000-4000-8000-000000000003', 'e5000000-0000-4000-8000-000000000001', 'transcript', 'BTech transcript', 'documents/arjun/transcript.pdf', true);

INSERT INTO public.notifications (user_id, type, title, message) VALUES
    ('e1000000-0000-4000-8000-000000000003', 'application_update', 'Offer received', 'University of Toronto accepted your application.');

-- The initialization flow (setupAfterMigration) creates these 5 settings.
INSERT INTO public.security_settings (setting_key, setting_value, description, updated_by) VALUES
    ('team_login_visible', 'false', 'Show the team login link on the public site', 'e1000000-0000-4000-8000-000000000001'),
    ('max_registrations_per_ip', '3', 'Registrations allowed per IP address per day', 'e1000000-0000-4000-8000-000000000001'),
    ('login_attempt_limit', '5', 'Failed logins before a temporary lockout', 'e1000000-0000-4000-8000-000000000001'),
    ('lockout_minutes', '15', 'Length of the lockout', 'e1000000-0000-4000-8000-000000000001'),
    ('require_email_verification', 'true', 'New customers must verify their email', 'e1000000-0000-4000-8000-000000000001');

INSERT INTO public.subscription_plans (name, price, features, display_order) VALUES
    ('Explorer', 0.00, '["university search", "forum access"]', 1),
    ('Achiever', 49.00, '["counselor chat", "document review"]', 2),
    ('Champion', 149.00, '["application support", "visa guidance"]', 3),
    ('Legend', 299.00, '["dedicated counselor", "pre-departure support"]', 4);

COMMIT;
