package io.runbook.stdlib;

import static io.runbook.stdlib.Stdlib.expectAll;
import static io.runbook.stdlib.Stdlib.expectFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.PgServer;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operational checks (stdlib/ops) against real concurrent sessions: idle, idle in transaction, busy,
 * waiting on a lock, in another database; the runner's own session never counts.
 */
class OpsTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    private final List<Connection> sessions = new ArrayList<>();
    private final ExecutorService background = Executors.newCachedThreadPool();
    private Connection monitor;

    @BeforeAll
    static void create() {
        db = new TestDatabase(OpsTest.class);
        db.execute("create table t (x int); insert into t values (1)");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @BeforeEach
    void openMonitor() throws SQLException {
        monitor = db.connect();
    }

    @AfterEach
    void endSessions() throws SQLException {
        query("select count(pg_terminate_backend(pid)) from pg_stat_activity where pid <> pg_backend_pid()"
                + " and application_name = 'ops-test'");
        background.shutdownNow();
        for (Connection c : sessions) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // terminated above
            }
        }
        monitor.close();
    }

    /** Another client session in the test database (or in {@code database}), idle. */
    private Connection session(String database) throws SQLException {
        Connection c = database == null ? db.connect() : PgServer.connect(database);
        try (Statement s = c.createStatement()) {
            s.execute("set application_name = 'ops-test'");
        }
        sessions.add(c);
        return c;
    }

    /** A session with an open transaction that did something: "idle in transaction". */
    private Connection idleInTransaction(String database) throws SQLException {
        Connection c = session(database);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("select 1");
        }
        return c;
    }

    /** Runs the statement on its own session in the background (it may block). */
    private Future<?> inBackground(String sql) throws SQLException {
        Connection c = session(null);
        return background.submit(() -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }

    private String query(String sql) throws SQLException {
        try (Statement s = monitor.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Waits until the query (on the monitor session) returns the value. */
    private void await(String sql, String value) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        String last = null;
        while (System.nanoTime() < deadline) {
            last = query(sql);
            if (value.equals(last)) return;
            Thread.sleep(20);
        }
        throw new AssertionError("waited in vain for " + sql + " to return " + value + ", last " + last);
    }

    /** pg_locks rows of the test database (other tests may share the server). */
    private static final String THIS_DATABASE =
            "database = (select oid from pg_database where datname = current_database())";

    private static final String TEST_SESSIONS =
            "select count(*) from pg_stat_activity where datname = current_database() and application_name = 'ops-test'";

    @Test
    void activeConnectionsCountsBusyAndIdleInTransactionSessionsOfThisDatabase() throws Exception {
        expectAll(db, dir, "active_connections() == 0"); // the runner itself and the idle monitor do not count

        idleInTransaction(null);
        session(null); // idle: not counted
        idleInTransaction("postgres"); // another database: not counted
        inBackground("select pg_sleep(60)");
        await(
                "select count(*) from pg_stat_activity where datname = current_database() and state = 'active'"
                        + " and query = 'select pg_sleep(60)'",
                "1");

        expectAll(db, dir, "active_connections() == 2");
    }

    @Test
    void longRunningTransactionsTakesADuration() throws Exception {
        Connection c = idleInTransaction(null);
        session(null);
        Thread.sleep(1500);
        expectAll(
                db,
                dir,
                "long_running_transactions(1s) == 1",
                "long_running_transactions(1000ms) == 1",
                "long_running_transactions(\"1 second\") == 1",
                "long_running_transactions(1h) == 0",
                "long_running_transactions() == 0"); // default: older than 5min
        c.commit();
        expectAll(db, dir, "long_running_transactions(1s) == 0");
    }

    @Test
    void theRunnersOwnLongTransactionDoesNotCount() {
        Cli r = Stdlib.run(db, dir, """
                import "stdlib/ops"
                runbook "own transaction" {
                  phase "slow" {
                    sql $$ select pg_sleep(1.2) $$
                    verify {
                      expect scalar $$ select now() < clock_timestamp() - '1s'::interval $$
                      expect long_running_transactions(1s) == 0
                      expect active_connections() == 0
                    }
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void waitingAndBlockingSessions() throws Exception {
        expectAll(db, dir, "sessions_waiting_on_locks() == 0", "blocking_sessions() == 0");

        Connection holder = session(null);
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
            s.execute("lock table t in access exclusive mode");
        }
        Future<?> reader = inBackground("select * from t");
        Future<?> writer = inBackground("insert into t values (2)");
        await("select count(*) from pg_locks where not granted and " + THIS_DATABASE, "2");

        expectAll(db, dir, "sessions_waiting_on_locks() == 2", "blocking_sessions() == 1", "active_connections() == 3");

        holder.rollback();
        reader.get();
        writer.get();
        expectAll(db, dir, "sessions_waiting_on_locks() == 0", "blocking_sessions() == 0");
    }

    @Test
    void theRunnerBlockingOthersIsNotABlockingSession() throws Exception {
        // as soon as the runner holds its lock, another session queues behind it
        Future<?> waiter = background.submit(() -> {
            await(
                    "select count(*) from pg_locks where locktype = 'relation' and relation = 't'::regclass"
                            + " and mode = 'AccessExclusiveLock' and granted and " + THIS_DATABASE,
                    "1");
            Connection c = session(null);
            try (Statement s = c.createStatement()) {
                s.execute("select * from t");
            }
            return null;
        });
        Cli r = Stdlib.run(db, dir, """
                import "stdlib/ops"
                runbook "runner holds a lock" {
                  phase "hold" {
                    sql $$ lock table t in access exclusive mode $$
                    sql $$ select pg_sleep(2) $$
                    verify {
                      expect sessions_waiting_on_locks() == 1
                      expect blocking_sessions() == 0
                    }
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        waiter.get();
    }

    @Test
    void onAPrimaryThereIsNoReplicationLag() {
        expectAll(db, dir, "not is_replica()", "replication_lag_seconds() == null");
    }

    @Test
    void pgStatStatementsNeedsTheExtensionAndTheLoadedLibrary() {
        // this server does not preload pg_stat_statements (shared_preload_libraries is empty in the tests)
        expectAll(db, dir, "not pg_stat_statements_available()", "not extension_exists(\"pg_stat_statements\")");
        db.execute("create extension pg_stat_statements");
        try {
            expectAll(db, dir, "extension_exists(\"pg_stat_statements\")", "not pg_stat_statements_available()");
            // neither a placeholder setting nor LOAD in the session makes the view usable
            Cli r = Stdlib.run(db, dir, """
                    import "stdlib/catalog"
                    import "stdlib/ops"
                    runbook "pg_stat_statements" {
                      phase "pretend" {
                        sql $$ select set_config('pg_stat_statements.max', '100', false) $$
                        sql $$ load 'pg_stat_statements' $$
                        verify {
                          expect scalar $$ select current_setting('pg_stat_statements.max', true) $$ == "100"
                          expect not pg_stat_statements_available()
                        }
                      }
                    }
                    """);
            assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        } finally {
            db.execute("drop extension pg_stat_statements");
        }
    }

    @Test
    void aBusySessionFailsTheCheck() throws Exception {
        idleInTransaction(null);
        await(TEST_SESSIONS, "1");
        Cli r = expectFails(db, dir, "active_connections() == 0");
        assertThat(r.err).contains("expected: active_connections() == 0").contains("actual:   1");
    }
}
