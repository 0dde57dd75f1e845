-- down.sql: undo the consolidated initial schema (seed 003).
-- schema/migrations/main_db/consolidated_initial_schema/down.sql ("Drops everything").
--
-- Drops every object up.sql created, then the empty schema. No CASCADE: if anything else
-- was created in kedge_practice since (or outside it depends on it, such as a view in another
-- schema), a statement fails and nothing is dropped, instead of silently dropping more than
-- up.sql made. Everything outside kedge_practice (Hasura's hdb_catalog) is left alone.
--
-- DATA: every row in kedge_practice is lost. Restore the backup (psql < backup.sql) to get it back.
-- Idempotent (IF EXISTS throughout), one transaction.

BEGIN;

DROP VIEW IF EXISTS kedge_practice.practice_statistics;

-- One statement for all ten tables: the foreign keys between them need no particular order.
-- Their indexes, constraints and triggers go with them.
DROP TABLE IF EXISTS
    kedge_practice.attachments,
    kedge_practice.knowledge_points_metadata,
    kedge_practice.student_mistakes,
    kedge_practice.student_weaknesses,
    kedge_practice.practice_answers,
    kedge_practice.practice_sessions,
    kedge_practice.practice_strategies,
    kedge_practice.quizzes,
    kedge_practice.knowledge_points,
    kedge_practice.users;

DROP FUNCTION IF EXISTS kedge_practice.update_weakness_timestamps();
DROP FUNCTION IF EXISTS kedge_practice.update_updated_at_column();

DROP TYPE IF EXISTS kedge_practice.session_status;
DROP TYPE IF EXISTS kedge_practice.quiz_type;

DROP SCHEMA IF EXISTS kedge_practice;

COMMIT;
