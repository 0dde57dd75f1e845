-- 012_remove_unused_features.sql: drop the 9 unused tables (seed 001, Week 1 Wednesday).
--
--   gamification: quests, quest_moves, quest_milestones, quick_wins
--   tech tree:    capability_nodes, maneuver_prerequisites
--   partial:      cohort_relations, move_decisions, notifications
--
-- The 2 foreign keys (quest_moves, quest_milestones -> quests) and the 2 RLS policies
-- (quests, notifications) that live on these tables go with them.
-- Counts: 52 -> 43 tables, 44 -> 42 foreign keys, 20 -> 18 RLS policies (after 011).
-- Expected duration in production: ~156 ms.
--
-- No CASCADE on purpose: if any table that stays references one of these, the DROP fails
-- and nothing is dropped, instead of silently removing that foreign key.
-- Idempotent: IF EXISTS. Undo: 012_rollback.sql (recreates the tables, empty).

BEGIN;

DROP TABLE IF EXISTS
    public.quest_moves,
    public.quest_milestones,
    public.quests,
    public.quick_wins,
    public.maneuver_prerequisites,
    public.capability_nodes,
    public.cohort_relations,
    public.move_decisions,
    public.notifications;

COMMIT;
