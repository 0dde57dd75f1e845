-- 012_rollback.sql: undo 012_remove_unused_features.sql (seed 001).
--
-- Recreates the 9 unused tables exactly as fixture.sql defines them (columns, defaults,
-- constraint and index names), with their 2 foreign keys (quest_moves, quest_milestones ->
-- quests), RLS enabled on quests and notifications, and their 2 policies.
-- Counts: 43 -> 52 tables, +2 foreign keys, +2 RLS policies.
--
-- Schema only: the tables come back EMPTY. They were empty when 012 ran (the runbook's
-- preflight checks that); if they were not, restore their rows from the pre-migration backup.
-- Idempotent: IF NOT EXISTS, and DROP POLICY IF EXISTS before each CREATE POLICY.
-- Copied from fixture.sql (CREATE ... IF NOT EXISTS); keep the two in sync.

BEGIN;

-- Gamification
CREATE TABLE IF NOT EXISTS public.quests (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL,
    title         text NOT NULL,
    description   text,
    xp_reward     integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.quest_moves (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    quest_id  uuid NOT NULL CONSTRAINT quest_moves_quest_id_fkey
                  REFERENCES public.quests (id) ON DELETE CASCADE,
    move_id   uuid NOT NULL,
    position  integer NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS public.quest_milestones (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    quest_id    uuid NOT NULL CONSTRAINT quest_milestones_quest_id_fkey
                    REFERENCES public.quests (id) ON DELETE CASCADE,
    title       text NOT NULL,
    xp_reward   integer NOT NULL DEFAULT 0,
    reached_at  timestamptz
);

CREATE TABLE IF NOT EXISTS public.quick_wins (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id   uuid NOT NULL,
    title          text NOT NULL,
    impact_score   integer,
    effort_score   integer,
    completed_at   timestamptz
);

-- Tech tree
CREATE TABLE IF NOT EXISTS public.capability_nodes (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL,
    key           text NOT NULL,
    name          text NOT NULL,
    tier          integer NOT NULL DEFAULT 1,
    unlocked      boolean NOT NULL DEFAULT false,
    CONSTRAINT capability_nodes_workspace_id_key_key UNIQUE (workspace_id, key)
);

CREATE TABLE IF NOT EXISTS public.maneuver_prerequisites (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    maneuver_type_id    uuid NOT NULL,
    capability_node_id  uuid NOT NULL,
    min_tier            integer NOT NULL DEFAULT 1
);

-- Partial features
CREATE TABLE IF NOT EXISTS public.cohort_relations (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    cohort_a_id    uuid NOT NULL,
    cohort_b_id    uuid NOT NULL,
    relation_type  text NOT NULL,
    overlap_pct    numeric(5, 2)
);

CREATE TABLE IF NOT EXISTS public.move_decisions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    move_id     uuid NOT NULL,
    decision    text NOT NULL,
    rationale   text,
    decided_by  uuid,
    decided_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.notifications (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL,
    type        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}'::jsonb,
    read_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_notifications_user_id ON public.notifications (user_id);

-- Row level security on the recreated tables
ALTER TABLE public.quests ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS quests_member_select ON public.quests;
CREATE POLICY quests_member_select ON public.quests FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));

ALTER TABLE public.notifications ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS notifications_own_select ON public.notifications;
CREATE POLICY notifications_own_select ON public.notifications FOR SELECT
    USING (user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);

COMMIT;
