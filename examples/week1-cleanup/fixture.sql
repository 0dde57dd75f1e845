-- Week 1 production database, BEFORE migrations 011 and 012 (seed 001).
--
-- Load into an empty database:
--   createdb -h 127.0.0.1 -U postgres week1
--   psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d week1 -f examples/week1-cleanup/fixture.sql
--
-- Resulting state (schema public), as in the seed's "System Status Before Migration":
--   52 base tables
--      40 healthy tables (29 of them carry the 36 foreign keys below, 11 have none)
--       3 tables with schema conflicts: agent_recommendations, agent_trust_scores, competitors
--         (an earlier migration's CREATE TABLE IF NOT EXISTS was skipped, so they kept an older
--          shape: no workspace_id / outcome columns, competitors.url instead of website,
--          no foreign keys, RLS disabled)
--       9 unused tables (gamification, tech tree, partial features), all empty:
--         quests, quest_moves, quest_milestones, capability_nodes, maneuver_prerequisites,
--         quick_wins, cohort_relations, move_decisions, notifications
--   38 foreign keys: 36 on healthy tables + 2 on unused tables (quest_moves, quest_milestones -> quests)
--   16 RLS policies: 14 on healthy tables + 2 on unused tables (quests, notifications)
--
-- After 011 (+6 FKs, +4 policies): 52 tables, 44 FKs, 20 policies.
-- After 012 (-9 tables, with their 2 FKs and 2 policies): 43 tables, 42 FKs, 18 policies.
--
-- Policies read the caller's user id the way Supabase's auth.uid() does, from the
-- request.jwt.claim.sub setting, so this file needs no Supabase-specific objects.
-- The unused tables are defined again, identically, in sql/012_rollback.sql; the conflict
-- tables' "before" shape is what sql/011_rollback.sql restores. Keep them in sync.

BEGIN;

SET client_min_messages = warning;

-- ===========================================================================
-- Accounts and workspaces
-- ===========================================================================

CREATE TABLE public.users (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email       text NOT NULL CONSTRAINT users_email_key UNIQUE,
    full_name   text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.workspaces (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    slug        text NOT NULL CONSTRAINT workspaces_slug_key UNIQUE,
    owner_id    uuid NOT NULL CONSTRAINT workspaces_owner_id_fkey REFERENCES public.users (id),
    plan        text NOT NULL DEFAULT 'free',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.workspace_members (
    workspace_id uuid NOT NULL CONSTRAINT workspace_members_workspace_id_fkey
                     REFERENCES public.workspaces (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL CONSTRAINT workspace_members_user_id_fkey
                     REFERENCES public.users (id) ON DELETE CASCADE,
    role         text NOT NULL DEFAULT 'member'
                     CONSTRAINT workspace_members_role_check CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    joined_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX idx_workspace_members_user_id ON public.workspace_members (user_id);

CREATE TABLE public.profiles (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL CONSTRAINT profiles_user_id_key UNIQUE
                    CONSTRAINT profiles_user_id_fkey REFERENCES public.users (id) ON DELETE CASCADE,
    display_name text,
    avatar_url  text,
    timezone    text NOT NULL DEFAULT 'UTC',
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.settings (
    key         text PRIMARY KEY,
    value       jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.feature_flags (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key         text NOT NULL CONSTRAINT feature_flags_key_key UNIQUE,
    enabled     boolean NOT NULL DEFAULT false,
    rollout_pct integer NOT NULL DEFAULT 0 CONSTRAINT feature_flags_rollout_pct_check CHECK (rollout_pct BETWEEN 0 AND 100),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- ===========================================================================
-- Campaigns and moves
-- ===========================================================================

CREATE TABLE public.campaigns (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL CONSTRAINT campaigns_workspace_id_fkey
                      REFERENCES public.workspaces (id) ON DELETE CASCADE,
    created_by    uuid CONSTRAINT campaigns_created_by_fkey REFERENCES public.users (id) ON DELETE SET NULL,
    name          text NOT NULL,
    goal          text,
    status        text NOT NULL DEFAULT 'draft'
                      CONSTRAINT campaigns_status_check CHECK (status IN ('draft', 'active', 'paused', 'completed')),
    starts_on     date,
    ends_on       date,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_campaigns_workspace_id ON public.campaigns (workspace_id);

CREATE TABLE public.maneuver_types (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key         text NOT NULL CONSTRAINT maneuver_types_key_key UNIQUE,
    name        text NOT NULL,
    category    text NOT NULL,
    description text
);

CREATE TABLE public.moves (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id       uuid NOT NULL CONSTRAINT moves_campaign_id_fkey
                          REFERENCES public.campaigns (id) ON DELETE CASCADE,
    maneuver_type_id  uuid CONSTRAINT moves_maneuver_type_id_fkey REFERENCES public.maneuver_types (id),
    title             text NOT NULL,
    status            text NOT NULL DEFAULT 'planned'
                          CONSTRAINT moves_status_check CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    due_on            date,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_moves_campaign_id ON public.moves (campaign_id);

CREATE TABLE public.tasks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id uuid NOT NULL CONSTRAINT tasks_campaign_id_fkey
                    REFERENCES public.campaigns (id) ON DELETE CASCADE,
    title       text NOT NULL,
    done        boolean NOT NULL DEFAULT false,
    due_on      date,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.experiments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id uuid NOT NULL CONSTRAINT experiments_campaign_id_fkey
                    REFERENCES public.campaigns (id) ON DELETE CASCADE,
    hypothesis  text NOT NULL,
    status      text NOT NULL DEFAULT 'draft',
    started_at  timestamptz,
    ended_at    timestamptz
);

CREATE TABLE public.experiment_variants (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    experiment_id  uuid NOT NULL CONSTRAINT experiment_variants_experiment_id_fkey
                       REFERENCES public.experiments (id) ON DELETE CASCADE,
    name           text NOT NULL,
    traffic_pct    integer NOT NULL DEFAULT 50,
    conversions    integer NOT NULL DEFAULT 0
);

CREATE TABLE public.campaign_metrics (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id  uuid NOT NULL CONSTRAINT campaign_metrics_campaign_id_fkey
                     REFERENCES public.campaigns (id) ON DELETE CASCADE,
    metric       text NOT NULL,
    value        numeric NOT NULL,
    measured_on  date NOT NULL
);

CREATE TABLE public.metrics_daily (
    workspace_id uuid NOT NULL,
    day          date NOT NULL,
    metric       text NOT NULL,
    value        numeric NOT NULL,
    PRIMARY KEY (workspace_id, day, metric)
);

-- ===========================================================================
-- AI agents
-- ===========================================================================

CREATE TABLE public.agents (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL CONSTRAINT agents_workspace_id_fkey
                      REFERENCES public.workspaces (id) ON DELETE CASCADE,
    name          text NOT NULL,
    kind          text NOT NULL,
    model         text NOT NULL DEFAULT 'default',
    enabled       boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_agents_workspace_id ON public.agents (workspace_id);

CREATE TABLE public.agent_runs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id     uuid NOT NULL CONSTRAINT agent_runs_agent_id_fkey
                     REFERENCES public.agents (id) ON DELETE CASCADE,
    move_id      uuid CONSTRAINT agent_runs_move_id_fkey REFERENCES public.moves (id) ON DELETE SET NULL,
    status       text NOT NULL DEFAULT 'queued',
    tokens_used  integer NOT NULL DEFAULT 0,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX idx_agent_runs_agent_id ON public.agent_runs (agent_id);

CREATE TABLE public.agent_feedback (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_run_id  uuid NOT NULL CONSTRAINT agent_feedback_agent_run_id_fkey
                      REFERENCES public.agent_runs (id) ON DELETE CASCADE,
    user_id       uuid CONSTRAINT agent_feedback_user_id_fkey REFERENCES public.users (id) ON DELETE SET NULL,
    rating        integer CONSTRAINT agent_feedback_rating_check CHECK (rating BETWEEN 1 AND 5),
    comment       text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Schema conflict 1/3: created by an older migration. Missing workspace_id, outcome_status,
-- outcome_quality_score; no foreign keys; RLS disabled. Fixed by 011.
CREATE TABLE public.agent_recommendations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id        uuid NOT NULL,
    move_id         uuid,
    recommendation  text NOT NULL,
    confidence      numeric(3, 2),
    status          text NOT NULL DEFAULT 'pending',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_agent_recommendations_agent_id ON public.agent_recommendations (agent_id);

-- Schema conflict 2/3: missing workspace_id (011 adds and backfills it from agents);
-- no foreign keys; RLS disabled.
CREATE TABLE public.agent_trust_scores (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id     uuid NOT NULL,
    trust_score  numeric(4, 3) NOT NULL DEFAULT 0.5,
    sample_size  integer NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_agent_trust_scores_agent_id ON public.agent_trust_scores (agent_id);

-- ===========================================================================
-- Market intelligence
-- ===========================================================================

-- Schema conflict 3/3: column "url" (the application expects "website"), workspace_id
-- nullable and without foreign key, campaign_id without foreign key, no uniqueness per
-- workspace, RLS disabled. Fixed by 011.
CREATE TABLE public.competitors (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id uuid,
    campaign_id  uuid,
    name         text NOT NULL,
    url          text,
    description  text,
    strengths    jsonb NOT NULL DEFAULT '[]'::jsonb,
    weaknesses   jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.competitor_insights (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    competitor_id  uuid NOT NULL CONSTRAINT competitor_insights_competitor_id_fkey
                       REFERENCES public.competitors (id) ON DELETE CASCADE,
    insight        text NOT NULL,
    source_url     text,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.cohorts (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL CONSTRAINT cohorts_workspace_id_fkey
                      REFERENCES public.workspaces (id) ON DELETE CASCADE,
    name          text NOT NULL,
    criteria      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.cohort_members (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    cohort_id   uuid NOT NULL CONSTRAINT cohort_members_cohort_id_fkey
                    REFERENCES public.cohorts (id) ON DELETE CASCADE,
    external_id text NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.icp_profiles (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL CONSTRAINT icp_profiles_workspace_id_fkey
                      REFERENCES public.workspaces (id) ON DELETE CASCADE,
    name          text NOT NULL,
    industry      text,
    company_size  text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.personas (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    icp_profile_id  uuid NOT NULL CONSTRAINT personas_icp_profile_id_fkey
                        REFERENCES public.icp_profiles (id) ON DELETE CASCADE,
    title           text NOT NULL,
    pains           text[] NOT NULL DEFAULT '{}',
    goals           text[] NOT NULL DEFAULT '{}'
);

-- ===========================================================================
-- Content and channels
-- ===========================================================================

CREATE TABLE public.assets (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL CONSTRAINT assets_workspace_id_fkey
                      REFERENCES public.workspaces (id) ON DELETE CASCADE,
    name          text NOT NULL,
    mime_type     text NOT NULL,
    storage_path  text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.asset_versions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    asset_id      uuid NOT NULL CONSTRAINT asset_versions_asset_id_fkey
                      REFERENCES public.assets (id) ON DELETE CASCADE,
    version       integer NOT NULL,
    storage_path  text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asset_versions_asset_id_version_key UNIQUE (asset_id, version)
);

CREATE TABLE public.content_items (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id  uuid NOT NULL CONSTRAINT content_items_campaign_id_fkey
                     REFERENCES public.campaigns (id) ON DELETE CASCADE,
    title        text NOT NULL,
    body         text,
    status       text NOT NULL DEFAULT 'draft',
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.channels (
    id    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key   text NOT NULL CONSTRAINT channels_key_key UNIQUE,
    name  text NOT NULL
);

CREATE TABLE public.content_calendar (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    content_item_id  uuid NOT NULL CONSTRAINT content_calendar_content_item_id_fkey
                         REFERENCES public.content_items (id) ON DELETE CASCADE,
    channel_id       uuid NOT NULL CONSTRAINT content_calendar_channel_id_fkey
                         REFERENCES public.channels (id),
    scheduled_for    timestamptz NOT NULL,
    published_at     timestamptz
);

CREATE TABLE public.channel_accounts (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL CONSTRAINT channel_accounts_workspace_id_fkey
                      REFERENCES public.workspaces (id) ON DELETE CASCADE,
    channel_id    uuid NOT NULL CONSTRAINT channel_accounts_channel_id_fkey
                      REFERENCES public.channels (id),
    handle        text NOT NULL,
    connected_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.templates (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind      text NOT NULL,
    name      text NOT NULL,
    body      text NOT NULL,
    is_public boolean NOT NULL DEFAULT true
);

CREATE TABLE public.comments (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_type  text NOT NULL,
    entity_id    uuid NOT NULL,
    author_id    uuid,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_comments_entity ON public.comments (entity_type, entity_id);

-- ===========================================================================
-- Integrations, billing, operations
-- ===========================================================================

CREATE TABLE public.integrations (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL CONSTRAINT integrations_workspace_id_fkey
                      REFERENCES public.workspaces (id) ON DELETE CASCADE,
    provider      text NOT NULL,
    config        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.webhooks (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL CONSTRAINT webhooks_workspace_id_fkey
                      REFERENCES public.workspaces (id) ON DELETE CASCADE,
    target_url    text NOT NULL,
    events        text[] NOT NULL DEFAULT '{}',
    secret        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.webhook_deliveries (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    webhook_id    uuid NOT NULL CONSTRAINT webhook_deliveries_webhook_id_fkey
                      REFERENCES public.webhooks (id) ON DELETE CASCADE,
    event         text NOT NULL,
    status_code   integer,
    delivered_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.api_keys (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL CONSTRAINT api_keys_workspace_id_fkey
                      REFERENCES public.workspaces (id) ON DELETE CASCADE,
    name          text NOT NULL,
    key_hash      text NOT NULL CONSTRAINT api_keys_key_hash_key UNIQUE,
    last_used_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.billing_customers (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id        uuid NOT NULL CONSTRAINT billing_customers_workspace_id_key UNIQUE
                            CONSTRAINT billing_customers_workspace_id_fkey
                            REFERENCES public.workspaces (id) ON DELETE CASCADE,
    stripe_customer_id  text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.subscriptions (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    billing_customer_id  uuid NOT NULL CONSTRAINT subscriptions_billing_customer_id_fkey
                             REFERENCES public.billing_customers (id) ON DELETE CASCADE,
    plan                 text NOT NULL,
    status               text NOT NULL,
    current_period_end   timestamptz
);

CREATE TABLE public.invoices (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id  uuid NOT NULL CONSTRAINT invoices_subscription_id_fkey
                         REFERENCES public.subscriptions (id) ON DELETE CASCADE,
    amount_cents     integer NOT NULL,
    currency         text NOT NULL DEFAULT 'usd',
    paid_at          timestamptz
);

CREATE TABLE public.usage_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id  uuid NOT NULL,
    event         text NOT NULL,
    quantity      integer NOT NULL DEFAULT 1,
    occurred_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.audit_logs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id    uuid,
    action      text NOT NULL,
    target      text,
    details     jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.job_queue (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue        text NOT NULL DEFAULT 'default',
    payload      jsonb NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    run_after    timestamptz NOT NULL DEFAULT now(),
    locked_at    timestamptz
);

-- ===========================================================================
-- Unused features (dropped by 012; identical definitions in sql/012_rollback.sql)
-- ===========================================================================

-- Gamification
CREATE TABLE public.quests (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL,
    title         text NOT NULL,
    description   text,
    xp_reward     integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.quest_moves (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    quest_id  uuid NOT NULL CONSTRAINT quest_moves_quest_id_fkey
                  REFERENCES public.quests (id) ON DELETE CASCADE,
    move_id   uuid NOT NULL,
    position  integer NOT NULL DEFAULT 0
);

CREATE TABLE public.quest_milestones (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    quest_id    uuid NOT NULL CONSTRAINT quest_milestones_quest_id_fkey
                    REFERENCES public.quests (id) ON DELETE CASCADE,
    title       text NOT NULL,
    xp_reward   integer NOT NULL DEFAULT 0,
    reached_at  timestamptz
);

CREATE TABLE public.quick_wins (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id   uuid NOT NULL,
    title          text NOT NULL,
    impact_score   integer,
    effort_score   integer,
    completed_at   timestamptz
);

-- Tech tree
CREATE TABLE public.capability_nodes (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL,
    key           text NOT NULL,
    name          text NOT NULL,
    tier          integer NOT NULL DEFAULT 1,
    unlocked      boolean NOT NULL DEFAULT false,
    CONSTRAINT capability_nodes_workspace_id_key_key UNIQUE (workspace_id, key)
);

CREATE TABLE public.maneuver_prerequisites (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    maneuver_type_id    uuid NOT NULL,
    capability_node_id  uuid NOT NULL,
    min_tier            integer NOT NULL DEFAULT 1
);

-- Partial features
CREATE TABLE public.cohort_relations (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    cohort_a_id    uuid NOT NULL,
    cohort_b_id    uuid NOT NULL,
    relation_type  text NOT NULL,
    overlap_pct    numeric(5, 2)
);

CREATE TABLE public.move_decisions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    move_id     uuid NOT NULL,
    decision    text NOT NULL,
    rationale   text,
    decided_by  uuid,
    decided_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.notifications (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL,
    type        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}'::jsonb,
    read_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_notifications_user_id ON public.notifications (user_id);

-- ===========================================================================
-- Row level security: 16 policies
-- ===========================================================================

ALTER TABLE public.workspaces ENABLE ROW LEVEL SECURITY;
CREATE POLICY workspaces_member_select ON public.workspaces FOR SELECT
    USING (id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                  WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));

ALTER TABLE public.workspace_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY workspace_members_self_select ON public.workspace_members FOR SELECT
    USING (user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);

ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY profiles_own_select ON public.profiles FOR SELECT
    USING (user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);
CREATE POLICY profiles_own_update ON public.profiles FOR UPDATE
    USING (user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);

ALTER TABLE public.campaigns ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaigns_member_select ON public.campaigns FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));
CREATE POLICY campaigns_member_write ON public.campaigns FOR ALL
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid
                              AND wm.role IN ('owner', 'admin', 'member')));

ALTER TABLE public.moves ENABLE ROW LEVEL SECURITY;
CREATE POLICY moves_member_select ON public.moves FOR SELECT
    USING (campaign_id IN (SELECT c.id FROM public.campaigns c));

ALTER TABLE public.tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_member_select ON public.tasks FOR SELECT
    USING (campaign_id IN (SELECT c.id FROM public.campaigns c));

ALTER TABLE public.agents ENABLE ROW LEVEL SECURITY;
CREATE POLICY agents_member_select ON public.agents FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));

ALTER TABLE public.agent_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY agent_runs_member_select ON public.agent_runs FOR SELECT
    USING (agent_id IN (SELECT a.id FROM public.agents a));

ALTER TABLE public.assets ENABLE ROW LEVEL SECURITY;
CREATE POLICY assets_member_select ON public.assets FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));

ALTER TABLE public.content_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY content_items_member_select ON public.content_items FOR SELECT
    USING (campaign_id IN (SELECT c.id FROM public.campaigns c));

ALTER TABLE public.integrations ENABLE ROW LEVEL SECURITY;
CREATE POLICY integrations_member_select ON public.integrations FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));

ALTER TABLE public.api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY api_keys_admin_select ON public.api_keys FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid
                              AND wm.role IN ('owner', 'admin')));

-- on unused tables (dropped with them by 012)
ALTER TABLE public.quests ENABLE ROW LEVEL SECURITY;
CREATE POLICY quests_member_select ON public.quests FOR SELECT
    USING (workspace_id IN (SELECT wm.workspace_id FROM public.workspace_members wm
                            WHERE wm.user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));

ALTER TABLE public.notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY notifications_own_select ON public.notifications FOR SELECT
    USING (user_id = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);

-- ===========================================================================
-- Seed rows (the unused tables stay empty: dropping them loses no data)
-- ===========================================================================

INSERT INTO public.users (id, email, full_name) VALUES
    ('10000000-0000-4000-8000-000000000001', 'maya@acme.test', 'Maya Chen'),
    ('10000000-0000-4000-8000-000000000002', 'jon@acme.test', 'Jon Ortiz'),
    ('10000000-0000-4000-8000-000000000003', 'ines@globex.test', 'Ines Duarte');

INSERT INTO public.workspaces (id, name, slug, owner_id, plan) VALUES
    ('20000000-0000-4000-8000-000000000001', 'Acme Growth', 'acme', '10000000-0000-4000-8000-000000000001', 'pro'),
    ('20000000-0000-4000-8000-000000000002', 'Globex Marketing', 'globex', '10000000-0000-4000-8000-000000000003', 'free');

INSERT INTO public.workspace_members (workspace_id, user_id, role) VALUES
    ('20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'owner'),
    ('20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', 'member'),
    ('20000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003', 'owner');

INSERT INTO public.profiles (user_id, display_name, timezone) VALUES
    ('10000000-0000-4000-8000-000000000001', 'Maya', 'America/New_York'),
    ('10000000-0000-4000-8000-000000000002', 'Jon', 'Europe/Madrid'),
    ('10000000-0000-4000-8000-000000000003', 'Ines', 'Europe/Lisbon');

INSERT INTO public.settings (key, value) VALUES
    ('default_model', '"gpt-4o-mini"'),
    ('max_agents_per_workspace', '10');

INSERT INTO public.feature_flags (key, enabled, rollout_pct) VALUES
    ('agent_recommendations', true, 100),
    ('gamification', false, 0);

INSERT INTO public.campaigns (id, workspace_id, created_by, name, goal, status, starts_on) VALUES
    ('30000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
     'Q1 launch', 'Grow signups 20%', 'active', '2024-01-08'),
    ('30000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003',
     'Brand refresh', 'Reposition for mid-market', 'draft', NULL);

INSERT INTO public.maneuver_types (id, key, name, category) VALUES
    ('40000000-0000-4000-8000-000000000001', 'flank', 'Flanking move', 'positioning'),
    ('40000000-0000-4000-8000-000000000002', 'blitz', 'Content blitz', 'content');

INSERT INTO public.moves (id, campaign_id, maneuver_type_id, title, status) VALUES
    ('50000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000002', 'Publish 5 launch posts', 'in_progress'),
    ('50000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', 'Comparison page vs. incumbents', 'planned'),
    ('50000000-0000-4000-8000-000000000003', '30000000-0000-4000-8000-000000000002', NULL, 'Audit brand guidelines', 'planned');

INSERT INTO public.tasks (campaign_id, title) VALUES
    ('30000000-0000-4000-8000-000000000001', 'Draft launch email'),
    ('30000000-0000-4000-8000-000000000001', 'Book webinar slot');

INSERT INTO public.agents (id, workspace_id, name, kind) VALUES
    ('60000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 'Strategist', 'strategy'),
    ('60000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', 'Copywriter', 'content'),
    ('60000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000002', 'Analyst', 'research');

INSERT INTO public.agent_runs (id, agent_id, move_id, status, tokens_used, finished_at) VALUES
    ('61000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000002', 'succeeded', 1840, now()),
    ('61000000-0000-4000-8000-000000000002', '60000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001', 'succeeded', 3120, now());

INSERT INTO public.agent_feedback (agent_run_id, user_id, rating, comment) VALUES
    ('61000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002', 4, 'Good drafts, too long');

INSERT INTO public.agent_recommendations (agent_id, move_id, recommendation, confidence, status) VALUES
    ('60000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000002', 'Lead with pricing transparency', 0.82, 'accepted'),
    ('60000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', 'Post on Tuesdays 9am ET', 0.64, 'pending'),
    ('60000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001', 'Shorten intros to 2 sentences', 0.71, 'pending'),
    ('60000000-0000-4000-8000-000000000003', '50000000-0000-4000-8000-000000000003', 'Start from the 2022 brand book', 0.55, 'rejected');

INSERT INTO public.agent_trust_scores (agent_id, trust_score, sample_size) VALUES
    ('60000000-0000-4000-8000-000000000001', 0.780, 41),
    ('60000000-0000-4000-8000-000000000002', 0.655, 23),
    ('60000000-0000-4000-8000-000000000003', 0.500, 0);

INSERT INTO public.competitors (id, workspace_id, campaign_id, name, url, strengths) VALUES
    ('70000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001',
     'Initech', 'https://initech.test', '["brand recognition"]'),
    ('70000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', NULL,
     'Hooli', 'https://hooli.test', '["distribution", "price"]'),
    ('70000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000002',
     'Initech', 'https://initech.test', '[]');

INSERT INTO public.competitor_insights (competitor_id, insight) VALUES
    ('70000000-0000-4000-8000-000000000001', 'Raised prices 15% in December'),
    ('70000000-0000-4000-8000-000000000002', 'Launching a free tier in Q1');

INSERT INTO public.channels (id, key, name) VALUES
    ('80000000-0000-4000-8000-000000000001', 'linkedin', 'LinkedIn'),
    ('80000000-0000-4000-8000-000000000002', 'newsletter', 'Newsletter');

INSERT INTO public.channel_accounts (workspace_id, channel_id, handle) VALUES
    ('20000000-0000-4000-8000-000000000001', '80000000-0000-4000-8000-000000000001', 'acme-growth');

INSERT INTO public.content_items (id, campaign_id, title, status) VALUES
    ('90000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', 'Why we built Acme', 'scheduled');

INSERT INTO public.content_calendar (content_item_id, channel_id, scheduled_for) VALUES
    ('90000000-0000-4000-8000-000000000001', '80000000-0000-4000-8000-000000000001', '2024-01-30 14:00+00');

INSERT INTO public.cohorts (id, workspace_id, name) VALUES
    ('a0000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 'Trial users, week 2');

INSERT INTO public.cohort_members (cohort_id, external_id) VALUES
    ('a0000000-0000-4000-8000-000000000001', 'cus_001'),
    ('a0000000-0000-4000-8000-000000000001', 'cus_002');

INSERT INTO public.billing_customers (id, workspace_id, stripe_customer_id) VALUES
    ('b0000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 'cus_Acme123');

INSERT INTO public.subscriptions (id, billing_customer_id, plan, status, current_period_end) VALUES
    ('b1000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 'pro', 'active', '2024-02-08');

INSERT INTO public.invoices (subscription_id, amount_cents, paid_at) VALUES
    ('b1000000-0000-4000-8000-000000000001', 4900, '2024-01-08');

INSERT INTO public.audit_logs (actor_id, action, target) VALUES
    ('10000000-0000-4000-8000-000000000001', 'campaign.create', 'campaigns/30000000-0000-4000-8000-000000000001');

INSERT INTO public.usage_events (workspace_id, event, quantity) VALUES
    ('20000000-0000-4000-8000-000000000001', 'agent.tokens', 4960);

COMMIT;
