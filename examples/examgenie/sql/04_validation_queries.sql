-- 04_validation_queries.sql: the 10 read-only validation checks of seed 000.
--
-- For reference and for running by hand (psql -X -f); align.runbook expresses the same
-- checks as guards. Every query is a SELECT; nothing here changes the database.
-- Run before the migration to see the "before" state and after it to confirm the "after" state.

-- 1. Base tables in public (before: 6 = students, examgenie_exams, examgenie_questions,
--    exams, grading, answers; after: 4 = students, examgenie_exams, examgenie_questions,
--    examgenie_grading)
SELECT table_name
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;

-- 2. examgenie_grading exists (after: 1)
SELECT count(*) AS examgenie_grading_exists
FROM information_schema.tables
WHERE table_schema = 'public' AND table_name = 'examgenie_grading';

-- 3. examgenie_grading structure (after: 13 columns incl. attempt_number, final_grade)
SELECT column_name, data_type, is_nullable, column_default
FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = 'examgenie_grading'
ORDER BY ordinal_position;

-- 4. Grade scale 4-10 check constraint (after: 1 row)
SELECT c.conname, pg_get_constraintdef(c.oid) AS definition
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public' AND t.relname = 'examgenie_grading'
  AND c.contype = 'c' AND c.conname = 'examgenie_grading_grade_check';

-- 5. examgenie_grading indexes (after: pkey, unique (exam_id, attempt_number) and 3 idx_*)
SELECT indexname, indexdef
FROM pg_indexes
WHERE schemaname = 'public' AND tablename = 'examgenie_grading'
ORDER BY indexname;

-- 6. students language columns, types and defaults
--    (after: language varchar 'en', language_name varchar 'English')
SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = 'students'
  AND column_name IN ('language', 'language_name')
ORDER BY column_name;

-- 7. Legacy tables gone (after: 0)
SELECT count(*) AS legacy_tables_remaining
FROM information_schema.tables
WHERE table_schema = 'public' AND table_name IN ('exams', 'grading', 'answers');

-- 8. exam_status type gone (after: 0)
SELECT count(*) AS exam_status_type_remaining
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'public' AND t.typname = 'exam_status';

-- 9. Foreign keys and their validity (after: 4 FKs, all convalidated = true)
SELECT conrelid::regclass AS table_name, conname, confrelid::regclass AS references_table, convalidated
FROM pg_constraint
WHERE contype = 'f' AND connamespace = 'public'::regnamespace
ORDER BY 1, 2;

-- 10. No orphaned rows behind the FKs of the kept tables (after: all 0)
SELECT
    (SELECT count(*) FROM public.examgenie_questions q
      WHERE NOT EXISTS (SELECT 1 FROM public.examgenie_exams e WHERE e.id = q.exam_id)) AS orphaned_questions,
    (SELECT count(*) FROM public.examgenie_exams e
      WHERE e.student_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM public.students s WHERE s.id = e.student_id)) AS orphaned_exams;
