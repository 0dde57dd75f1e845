package io.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.LocalServers;
import io.runbook.testing.RunbookProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that ends idle sessions by itself (idle_session_timeout = 3s) must not end a runner's: its journal
 * connection idles while a phase runs, and its phase session idles while an sh step of a `no transaction` phase
 * runs. Losing either mid-run would free the runbook's lock or lose the journal, and a second runner would apply
 * phases again. Runs against a server of its own: the shared one's settings are not ours to change.
 */
class IdleSessionTimeoutTest {
    static LocalServers servers;
    static LocalServers.Server server;
    static final String DB = "idle_t";

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        servers = new LocalServers(1, List.of(List.of(DB)), List.of("idle_session_timeout=3s"));
        server = servers.servers().get(0);
    }

    @AfterAll
    static void stop() {
        if (servers != null) servers.close();
    }

    /** The runbook's own lock, not the journal's set-up lock a runner holds for a moment before it. */
    private static final String RUNBOOK_LOCK =
            "l.locktype = 'advisory' and l.granted and l.objsubid = 1 and l.classid = "
                    + (Journal.lockKey("idle") >>> 32) + "::int8::oid and l.objid = "
                    + (Journal.lockKey("idle") & 0xffffffffL)
                    + "::int8::oid";

    private static final String RUNBOOK = """
            runbook "idle" {
              phase "p1" {
                confirm "Create the table?"
                sql $$ create table effects (phase text) $$
                sql $$ insert into effects values ('p1') $$
              }
              phase "p2" {
                confirm "Go on?"
                sql $$ insert into effects values ('p2') $$
                sql $$ select pg_sleep(3.5), 'kp:p2' $$
              }
              phase "p3" no transaction {
                sql $$ insert into effects values ('p3') $$
                sh $$ sleep 4 $$
              }
              phase "p4" { sql $$ insert into effects values ('p4') $$ }
            }
            """;

    @Test
    void theServerEndsIdleSessionsButNotTheRunnersAndEveryPhaseIsAppliedOnce() throws Exception {
        // The setting bites: a plain session left idle is ended by the server.
        try (Connection idle = LocalServers.connect(server, DB)) {
            String pid = scalar("select pg_backend_pid()", idle);
            waitFor(
                    "the server to end an idle session",
                    () -> "0".equals(one("select count(*) from pg_stat_activity where pid = " + pid)));
        }

        Path file = Files.write(dir, "t.runbook", RUNBOOK);
        String uri = server.uri(DB);
        Process a = RunbookProcess.run(dir.resolve("runner.log"), file, uri);
        waitFor(
                "the first runner to take the runbook's lock",
                () -> !a.isAlive()
                        || "1"
                                .equals(one("select count(*) from pg_locks l join pg_stat_activity a using (pid)"
                                        + " where " + RUNBOOK_LOCK + " and a.datname = current_database()")));
        // A second runner keeps trying while the first runs: each attempt is refused, or (the first one done)
        // finds nothing left to do.
        List<Integer> exits = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (a.isAlive()) {
            assertThat(System.nanoTime())
                    .as("the first runner ends within 3 minutes")
                    .isLessThan(deadline);
            Cli b = Cli.runFile(null, file, uri, "--yes");
            exits.add(b.exit);
            assertThat(b.exit).as(b.toString()).isIn(ExitCode.LOCKED, ExitCode.OK);
            if (b.exit == ExitCode.LOCKED) {
                assertThat(b.err).contains("already running");
            }
        }
        String log = java.nio.file.Files.readString(dir.resolve("runner.log"));
        assertThat(a.exitValue()).as(log).isEqualTo(ExitCode.OK);
        assertThat(exits)
                .as("the second runner was refused while the first ran")
                .startsWith(ExitCode.LOCKED);
        // Step rows are written as steps end: the pg_sleep step's row came more than 3 s after the one before it (the
        // journal connection sat idle that long), and during the sh step the phase session did.
        assertThat(LocalServers.column(
                        server,
                        DB,
                        "select label from runbook.steps where finished - started > interval '3 s' order by id"))
                .as("steps during which a runner's connection sat idle longer than idle_session_timeout")
                .hasSize(2);

        // The first runner's process is gone; its session may take a moment longer to end on the server.
        waitFor(
                "the first runner's session to end on the server",
                () -> "0"
                        .equals(one("select count(*) from pg_locks l join pg_stat_activity a using (pid)" + " where "
                                + RUNBOOK_LOCK + " and a.datname = current_database()")));
        Cli after = Cli.runFile(null, file, uri, "--yes");
        assertThat(after.exit).as(after.toString()).isEqualTo(ExitCode.OK);
        assertThat(LocalServers.column(server, DB, "select phase from effects order by phase"))
                .containsExactly("p1", "p2", "p3", "p4");
        assertThat(
                        LocalServers.column(
                                server,
                                DB,
                                "select phase || ':' || count(*) from runbook.phases where status = 'applied' group by phase order by phase"))
                .as("each phase journaled applied once")
                .containsExactly("p1:1", "p2:1", "p3:1", "p4:1");
        assertThat(
                        LocalServers.column(
                                server,
                                DB,
                                "select distinct run_id = (select min(id) from runbook.runs) from runbook.phases where status = 'applied'"))
                .as("the first runner applied them all")
                .containsExactly("t");
        System.out.println("idle_session_timeout = 3s: second runner exits " + exits);
    }

    private static String one(String sql) {
        List<String> c = LocalServers.column(server, DB, sql);
        return c.isEmpty() ? null : c.get(0);
    }

    private static String scalar(String sql, Connection c) throws Exception {
        try (var st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
