-- 011_rollback.sql: undo 011_fix_migration_conflicts.sql (seed 001).
--
-- Puts agent_recommendations, agent_trust_scores and competitors back in the shape of
-- fixture.sql: drops the 4 policies and disables RLS, drops the 6 foreign keys and the
-- unique constraint, renames competitors.website back to url, drops the added columns.
-- Counts: 44 -> 38 foreign keys, 20 -> 16 RLS policies (with the 9 unused tables present;
-- run 012_rollback.sql first when undoing both).
--
-- The values of the dropped columns (workspace_id, outcome_*) are lost; they can be derived
-- again by re-running 011. Idempotent: IF EXISTS everywhere, guarded DO block otherwise.

BEGIN;

-- Row level security
DROP POLICY IF EXISTS competitors_member_write ON public.competitors;
DROP POLICY IF EXISTS competitors_member_select ON public.competitors;
DROP POLICY IF EXISTS agent_trust_scores_member_select ON public.agent_trust_scores;
DROP POLICY IF EXISTS agent_recommendations_member_select ON public.agent_recommendations;

ALTER TABLE public.competitors DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.agent_trust_scores DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.agent_recommendations DISABLE ROW LEVEL SECURITY;

-- Foreign keys and the unique constraint
ALTER TABLE public.competitors
    DROP CONSTRAINT IF EXISTS competitors_campaign_id_fkey,
    DROP CONSTRAINT IF EXISTS competitors_workspace_id_fkey,
    DROP CONSTRAINT IF EXISTS competitors_workspace_id_name_key;

ALTER TABLE public.agent_trust_scores
    DROP CONSTRAINT IF EXISTS agent_trust_scores_workspace_id_fkey,
    DROP CONSTRAINT IF EXISTS agent_trust_scores_agent_id_fkey;

ALTER TABLE public.agent_recommendations
    DROP CONSTRAINT IF EXISTS agent_recommendations_workspace_id_fkey,
    DROP CONSTRAINT IF EXISTS agent_recommendations_agent_id_fkey;

-- competitors: back to url, workspace_id nullable
ALTER TABLE public.competitors
    ALTER COLUMN workspace_id DROP NOT NULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = 'public' AND table_name = 'competitors' AND column_name = 'website')
       AND NOT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = 'public' AND table_name = 'competitors' AND column_name = 'url')
    THEN
        ALTER TABLE public.competitors RENAME COLUMN website TO url;
    END IF;
END
$$;

-- Added columns (their indexes and check constraints go with them)
DROP INDEX IF EXISTS public.idx_agent_trust_scores_workspace_id;
ALTER TABLE public.agent_trust_scores
    DROP COLUMN IF EXISTS workspace_id;

DROP INDEX IF EXISTS public.idx_agent_recommendations_workspace_id;
ALTER TABLE public.agent_recommendations
    DROP COLUMN IF EXISTS outcome_quality_score,
    DROP COLUMN IF EXISTS outcome_status,
    DROP COLUMN IF EXISTS workspace_id;

COMMIT;
