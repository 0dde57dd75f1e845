package io.runbook.journal;

import io.runbook.run.Liveness;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The journal's own tables, versioned: each release brings the migrations from the version it finds
 * to the one it knows, so a later release can change the journal without losing history.
 */
final class JournalSchema {
    /** Serialises journal creation and migration between runners of different runbooks. */
    private static final long SETUP_LOCK = 0x72756e626f6f6bL; // "runbook"

    static final int VERSION = 3;

    private static final List<String> V1 = List.of(
            "create table if not exists %s.journal_version (version int primary key, applied timestamptz not null default now())",
            """
            create table if not exists %s.runs (
              id bigserial primary key,
              command text not null,
              runbook text not null,
              file text not null,
              checksum text not null,
              params json not null,
              os_user text not null,
              db_user text not null,
              client_host text not null,
              client_version text not null,
              backend_pid int not null,
              allow_changed boolean not null default false,
              target text,
              started timestamptz not null default clock_timestamp(),
              finished timestamptz,
              outcome text,
              exit_code int)""",
            """
            create table if not exists %s.phases (
              id bigserial primary key,
              run_id bigint not null references %1$s.runs (id),
              runbook text not null,
              phase text not null,
              status text not null check (status in ('started', 'applied', 'baseline', 'marked_done', 'rolled_back')),
              transactional boolean not null,
              checksum text not null,
              source text not null,
              started timestamptz,
              finished timestamptz not null default clock_timestamp())""",
            "create index if not exists phases_runbook_phase on %s.phases (runbook, phase, id)",
            """
            create table if not exists %s.steps (
              id bigserial primary key,
              run_id bigint not null references %1$s.runs (id),
              phase text,
              block text not null,
              step_index int not null,
              kind text not null,
              label text,
              started timestamptz not null,
              finished timestamptz not null,
              status text not null,
              affected bigint,
              statements int,
              expected text,
              actual text,
              answer text,
              answered_by text,
              sqlstate text,
              message text)""",
            "create index if not exists steps_run on %s.steps (run_id, id)");

    /** Version 2: schema snapshots taken by `snapshot` steps. */
    private static final List<String> V2 =
            List.of("""
            create table if not exists %s.snapshots (
              id bigserial primary key,
              run_id bigint not null references %1$s.runs (id),
              runbook text not null,
              name text not null,
              schema json not null,
              taken timestamptz not null default clock_timestamp())""", "create index if not exists snapshots_runbook_name on %s.snapshots (runbook, name, id)");

    /**
     * Version 3: a `no transaction` phase that stopped at a known failure is recorded as `failed` (nothing of it
     * committed: the next run runs it) or `partial` (some statements committed: the operator decides), with a
     * detail saying what is known (what committed, what a failed index build left).
     */
    private static final List<String> V3 = List.of(
            "alter table %s.phases drop constraint if exists phases_status_check",
            "alter table %s.phases add constraint phases_status_check check (status in ('started', 'applied', 'baseline',"
                    + " 'marked_done', 'rolled_back', 'failed', 'partial'))",
            "alter table %s.phases add column if not exists detail text");

    private JournalSchema() {}

    /** The journal's version in {@code schema} (0: there is none), read without creating anything. */
    static int found(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "select to_regclass('" + schema.replace("'", "''") + ".journal_version') is not null")) {
            rs.next();
            if (!rs.getBoolean(1)) return 0;
        }
        try (Statement s = c.createStatement();
                ResultSet v = s.executeQuery("select coalesce(max(version), 0) from " + schema + ".journal_version")) {
            v.next();
            return v.getInt(1);
        }
    }

    /**
     * The journal is there at this version: what almost every run finds, answered by one query outside a
     * transaction (so a missing table costs nothing but the answer) instead of locks and DDL. The same query
     * makes the session a runner's ({@link Liveness}): one round trip for both. Failing, it set nothing.
     */
    private static boolean currentAndLive(Connection c, String schema) {
        try {
            if (!c.getAutoCommit() || !Liveness.settable(c)) return false;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "select max(version), " + Liveness.SETTINGS + " from " + schema + ".journal_version")) {
                return rs.next() && rs.getInt(1) == VERSION;
            }
        } catch (SQLException e) {
            return false; // no journal yet (or no access): the full path says why
        }
    }

    /**
     * Creates or migrates the journal in one short transaction, and makes the session a runner's ({@link Liveness});
     * one query when the journal is already current.
     */
    static void ensure(Connection c, String schema) throws SQLException {
        if (currentAndLive(c, schema)) return;
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("select pg_advisory_xact_lock(" + SETUP_LOCK + ")");
            s.execute("create schema if not exists " + schema);
            int found = 0;
            try (ResultSet rs = s.executeQuery(
                    "select to_regclass('" + schema.replace("'", "''") + ".journal_version') is not null")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    try (ResultSet v =
                            s.executeQuery("select coalesce(max(version), 0) from " + schema + ".journal_version")) {
                        v.next();
                        found = v.getInt(1);
                    }
                }
            }
            if (found > VERSION) {
                throw new SQLException(
                        "the journal in schema " + schema + " is version " + found + ", newer than this runbook ("
                                + VERSION + "): upgrade runbook",
                        "55000");
            }
            if (found < 1) {
                for (String ddl : V1) s.execute(ddl.formatted(schema));
                s.execute("insert into " + schema + ".journal_version (version) values (1)");
            }
            if (found < 2) {
                for (String ddl : V2) s.execute(ddl.formatted(schema));
                s.execute("insert into " + schema + ".journal_version (version) values (2)");
            }
            if (found < 3) {
                for (String ddl : V3) s.execute(ddl.formatted(schema));
                s.execute("insert into " + schema + ".journal_version (version) values (3)");
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        Liveness.protect(c);
    }
}
