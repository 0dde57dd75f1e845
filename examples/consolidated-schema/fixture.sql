-- kedge_db BEFORE the consolidated initial schema (seed 003, "Database Migration Guide").
--
-- A new Kedge Self-Practice database: Hasura (v2) is already connected to it, so its
-- metadata catalog lives in schema hdb_catalog, and schema kedge_practice does not exist
-- yet (sql/up.sql creates it; "apply" fails if it exists). The consolidated migration must
-- not touch hdb_catalog, and its rollback (sql/down.sql) must leave it as it was: rehearsing
-- the runbook compares the whole database with this file.
--
-- Load into an empty database:
--   createdb -h 127.0.0.1 -U postgres kedge_db
--   psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d kedge_db -f examples/consolidated-schema/fixture.sql
--
-- Resulting state: schema hdb_catalog with 8 tables, 2 foreign keys (invocation logs -> events),
-- 1 function, 17 indexes, one hdb_version row, the metadata (version 3) and 2 cron events;
-- schema public empty; no kedge_practice.

BEGIN;

SET client_min_messages = warning;

CREATE SCHEMA hdb_catalog;

CREATE FUNCTION hdb_catalog.gen_hasura_uuid() RETURNS uuid
    LANGUAGE sql
    AS $$ select gen_random_uuid() $$;

CREATE TABLE hdb_catalog.hdb_version (
    hasura_uuid    uuid PRIMARY KEY DEFAULT hdb_catalog.gen_hasura_uuid(),
    version        text NOT NULL,
    upgraded_on    timestamptz NOT NULL,
    cli_state      jsonb NOT NULL DEFAULT '{}'::jsonb,
    console_state  jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE UNIQUE INDEX hdb_version_one_row ON hdb_catalog.hdb_version ((version IS NOT NULL));

CREATE TABLE hdb_catalog.hdb_metadata (
    id                integer PRIMARY KEY,
    metadata          json NOT NULL,
    resource_version  integer NOT NULL DEFAULT 1 UNIQUE
);

CREATE TABLE hdb_catalog.hdb_schema_notifications (
    id                integer PRIMARY KEY CHECK (id = 1),
    notification      json NOT NULL,
    resource_version  integer NOT NULL DEFAULT 1,
    instance_id       uuid NOT NULL,
    updated_at        timestamptz DEFAULT now()
);

CREATE TABLE hdb_catalog.hdb_cron_events (
    id              text PRIMARY KEY DEFAULT hdb_catalog.gen_hasura_uuid(),
    trigger_name    text NOT NULL,
    scheduled_time  timestamptz NOT NULL,
    status          text NOT NULL DEFAULT 'scheduled',
    tries           integer NOT NULL DEFAULT 0,
    created_at      timestamptz DEFAULT now(),
    next_retry_at   timestamptz,
    CONSTRAINT valid_status CHECK (status IN ('scheduled', 'locked', 'delivered', 'error', 'dead'))
);
CREATE UNIQUE INDEX hdb_cron_events_unique_scheduled ON hdb_catalog.hdb_cron_events (trigger_name, scheduled_time)
    WHERE status = 'scheduled';
CREATE INDEX hdb_cron_event_status ON hdb_catalog.hdb_cron_events (status);

CREATE TABLE hdb_catalog.hdb_cron_event_invocation_logs (
    id          text PRIMARY KEY DEFAULT hdb_catalog.gen_hasura_uuid(),
    event_id    text,
    status      integer,
    request     json,
    response    json,
    created_at  timestamptz DEFAULT now(),
    FOREIGN KEY (event_id) REFERENCES hdb_catalog.hdb_cron_events (id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX hdb_cron_event_invocation_event_id ON hdb_catalog.hdb_cron_event_invocation_logs (event_id);

CREATE TABLE hdb_catalog.hdb_scheduled_events (
    id              text PRIMARY KEY DEFAULT hdb_catalog.gen_hasura_uuid(),
    webhook_conf    json NOT NULL,
    scheduled_time  timestamptz NOT NULL,
    retry_conf      json,
    payload         json,
    header_conf     json,
    status          text NOT NULL DEFAULT 'scheduled',
    tries           integer NOT NULL DEFAULT 0,
    created_at      timestamptz DEFAULT now(),
    next_retry_at   timestamptz,
    comment         text,
    CONSTRAINT valid_status CHECK (status IN ('scheduled', 'locked', 'delivered', 'error', 'dead'))
);
CREATE INDEX hdb_scheduled_event_status ON hdb_catalog.hdb_scheduled_events (status);

CREATE TABLE hdb_catalog.hdb_scheduled_event_invocation_logs (
    id          text PRIMARY KEY DEFAULT hdb_catalog.gen_hasura_uuid(),
    event_id    text,
    status      integer,
    request     json,
    response    json,
    created_at  timestamptz DEFAULT now(),
    FOREIGN KEY (event_id) REFERENCES hdb_catalog.hdb_scheduled_events (id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX hdb_scheduled_event_invocation_event_id ON hdb_catalog.hdb_scheduled_event_invocation_logs (event_id);

CREATE TABLE hdb_catalog.hdb_action_log (
    id                 uuid PRIMARY KEY DEFAULT hdb_catalog.gen_hasura_uuid(),
    action_name        text,
    input_payload      jsonb NOT NULL,
    request_headers    jsonb NOT NULL,
    session_variables  jsonb NOT NULL,
    response_payload   jsonb,
    errors             jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    response_received_at timestamptz,
    status             text NOT NULL,
    CHECK (status IN ('created', 'processing', 'completed', 'error'))
);
CREATE INDEX hdb_action_log_created_at ON hdb_catalog.hdb_action_log (created_at);
CREATE INDEX hdb_action_log_status ON hdb_catalog.hdb_action_log (status);

-- ---------------------------------------------------------------------------
-- Rows
-- ---------------------------------------------------------------------------

INSERT INTO hdb_catalog.hdb_version (hasura_uuid, version, upgraded_on, cli_state) VALUES
    ('6f1c2a40-8d3e-4b7a-9c15-2e4d7b9a0c31', '48', '2025-06-02 08:14:00+00',
     '{"settings": {"migrations_mode": "true"}}');

INSERT INTO hdb_catalog.hdb_metadata (id, metadata, resource_version) VALUES
    (1, '{"version": 3, "sources": [{"name": "default", "kind": "postgres", "tables": [],
          "configuration": {"connection_info": {"database_url": {"from_env": "HASURA_GRAPHQL_DATABASE_URL"}}}}]}', 3);

INSERT INTO hdb_catalog.hdb_cron_events (id, trigger_name, scheduled_time, status) VALUES
    ('c9a1e7d2-0001-4000-8000-000000000001', 'nightly_weakness_rollup', '2025-06-03 01:00:00+00', 'delivered'),
    ('c9a1e7d2-0001-4000-8000-000000000002', 'nightly_weakness_rollup', '2025-06-04 01:00:00+00', 'scheduled');

INSERT INTO hdb_catalog.hdb_cron_event_invocation_logs (event_id, status, request, response) VALUES
    ('c9a1e7d2-0001-4000-8000-000000000001', 200, '{"payload": {}}', '{"type": "webhook_response", "data": {"body": "ok"}}');

COMMIT;
