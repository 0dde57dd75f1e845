package io.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.RunbookProcess;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner killed or cut off mid-run never leaves work running on the server that a second runner could
 * overlap: the session running the phases holds the runbook's lock, and the server ends a dead runner's
 * statement within about a second (client_connection_check_interval).
 */
class OrphanTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(OrphanTest.class);

    @TempDir
    Path dir;

    /** The runner's backend running the statement with this marker, or null. */
    private static String active(String marker) {
        return db.scalar("select pid from pg_stat_activity where datname = current_database()"
                + " and application_name like 'runbook%' and state = 'active' and query like '%" + marker + "%'");
    }

    @Test
    void aKilledRunnersStatementEndsOnTheServerWithinTwoSeconds() throws Exception {
        Path file = Files.write(dir, "t.runbook", """
                runbook "t" { phase "long" { sql $$ select pg_sleep(20), 'kp:long' $$ } }
                """);
        Process runner = start(file);
        String pid = waitFor("the runner's long statement", () -> active("kp:long"), runner);
        runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while ("1".equals(db.scalar("select count(*) from pg_stat_activity where pid = " + pid))) {
            assertThat(System.nanoTime())
                    .as("the killed runner's backend " + pid + " still runs pg_sleep(20) 2 s after the kill")
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
        Cli report = Cli.run("report", file.toString(), "--db", db.uri());
        assertThat(report.out)
                .as(report.toString())
                .contains("unfinished: the runner stopped without recording an outcome");
        Cli again = Cli.runFile(null, file, db.uri(), "--yes", "--only", "long");
        assertThat(again.exit).as("the lock went with the orphan: " + again).isIn(ExitCode.OK);
    }

    @Test
    void anOrphanStillRunningKeepsTheLockAndTheHintNamesIt() throws Exception {
        // The runbook turns the server's check off, as a PostgreSQL 13 server would be: the orphan runs on.
        Path file = Files.write(dir, "t.runbook", """
                runbook "t" {
                  set client_connection_check_interval = 0
                  phase "one" { sql $$ create table effects (phase text) $$ sql $$ insert into effects values ('one') $$
                                sql $$ select pg_sleep(60), 'kp:orphan' $$ }
                }
                """);
        Process runner = start(file);
        String pid = waitFor("the runner's long statement", () -> active("kp:orphan"), runner);
        runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(active("kp:orphan")).as("the orphan runs on").isEqualTo(pid);

        Cli refused = Cli.runFile(null, file, db.uri(), "--yes");
        assertThat(refused.exit).as(refused.toString()).isEqualTo(ExitCode.LOCKED);
        assertThat(refused.err).contains("already running").contains("pg_terminate_backend(" + pid + ")");
        Cli report = Cli.run("report", file.toString(), "--db", db.uri(), "--run", "1");
        assertThat(report.out).as(report.toString()).contains("still running: its session is active on the server");

        db.execute("select pg_terminate_backend(" + pid + ")");
        waitFor(
                "the orphan to end",
                () -> "0".equals(db.scalar("select count(*) from pg_stat_activity where pid = " + pid)) ? "" : null,
                null);
        file = Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "one" { sql $$ create table effects (phase text) $$ sql $$ insert into effects values ('one') $$
                                sql $$ select 1, 'kp:orphan' $$ }
                }
                """);
        Cli done = Cli.runFile(null, file, db.uri(), "--yes");
        assertThat(done.exit).as(done.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.column("select phase from effects")).containsExactly("one");
    }

    private static final String THREE_PHASES = """
            runbook "t" {
              phase "p1" { sql $$ create table effects (phase text) $$ sql $$ insert into effects values ('p1') $$ }
              phase "p2" { sql $$ insert into effects values ('p2') $$ sql $$ select pg_sleep(3), 'kp:p2' $$ }
              phase "p3" { sql $$ insert into effects values ('p3') $$ }
            }
            """;

    /**
     * Every connection the runner has open while a phase runs (found in pg_stat_activity, not assumed), each
     * terminated in its own run while a second runner keeps trying.
     */
    @Test
    void terminatingEachOfTheRunnersConnectionsNeverAppliesAPhaseTwice() throws Exception {
        Path file = Files.write(dir, "t.runbook", THREE_PHASES);
        List<String> seen = new ArrayList<>();
        int connections = -1;
        for (int i = 0; connections < 0 || i < connections; i++) {
            db.reset();
            Process a = start(file);
            String worker = waitFor("phase p2's statement", () -> active("kp:p2"), a);
            List<String> pids = db.column("select pid from pg_stat_activity where datname = current_database()"
                    + " and application_name like 'runbook%' order by backend_start, pid");
            if (connections < 0) {
                connections = pids.size();
                assertThat(pids)
                        .as("the runner's connections: the phase session and the journal's")
                        .hasSizeGreaterThanOrEqualTo(2)
                        .contains(worker);
            }
            assertThat(pids).as("the runner's connections, run " + (i + 1)).hasSize(connections);
            String target = pids.get(i);
            String which = target.equals(worker)
                    ? "the session running the phases"
                    : "connection " + (i + 1) + "/" + connections + " (not the one running the phases)";
            db.execute("select pg_terminate_backend(" + target + ")");
            // A second runner keeps trying while the first lives, then until the work is done.
            // (The first runner releases its lock when its last phase is done, while its JVM may still be exiting:
            // a second runner that then finds every phase applied is no overlap. The tables below are the proof.)
            int refused = 0;
            List<Integer> others = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (true) {
                assertThat(System.nanoTime() < deadline)
                        .as("the work was done within 3 minutes")
                        .isTrue();
                Cli b = Cli.runFile(null, file, db.uri(), "--yes");
                if (b.exit == ExitCode.LOCKED) {
                    refused++;
                    continue;
                }
                others.add(b.exit);
                assertThat(b.exit).as(which + ": the second runner " + b).isIn(ExitCode.OK);
                if (!a.isAlive()) break;
            }
            assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String log = java.nio.file.Files.readString(dir.resolve("runner.log"));
            seen.add(which + ": first runner exit " + a.exitValue() + ", second runner refused " + refused
                    + " time(s), then exit " + others);
            // Its session gone, the first runner stops (the phase rolled back, the connection's exit code); any other
            // connection gone, it carries on (the phases' records commit with them, on the session), records the
            // run's end on a new connection and warns that some step rows are missing.
            if (target.equals(worker)) {
                assertThat(a.exitValue()).as(which + ": " + log).isEqualTo(ExitCode.CONNECTION);
            } else {
                assertThat(a.exitValue()).as(which + ": " + log).isEqualTo(ExitCode.OK);
                assertThat(log).contains("WARNING: some steps of run #1 could not be written to the journal");
            }
            assertThat(log).as(which + ": no stack trace without --debug").doesNotContain("\tat ");
            assertThat(db.column("select id from runbook.runs where finished is null"))
                    .as(which + ": every run's end is journaled")
                    .isEmpty();
            assertThat(db.column("select phase from effects order by phase"))
                    .as(which)
                    .containsExactly("p1", "p2", "p3");
            assertThat(
                            db.column(
                                    "select phase || ':' || count(*) from runbook.phases where status = 'applied' group by phase order by phase"))
                    .as(which + ": each phase journaled applied once")
                    .containsExactly("p1:1", "p2:1", "p3:1");
        }
        System.out.println("terminating a runner's connections:\n  " + String.join("\n  ", seen));
    }

    private Process start(Path file) throws IOException {
        return RunbookProcess.run(dir.resolve("runner.log"), file, db.uri());
    }

    /** Polls until the value is there (not null), with a deadline; fails if the runner ends first. */
    private String waitFor(String what, java.util.function.Supplier<String> value, Process runner) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            String v = value.get();
            if (v != null) return v;
            if (runner != null && !runner.isAlive()) {
                throw new AssertionError(
                        "the runner ended before " + what + ": " + RunbookProcess.log(dir.resolve("runner.log")));
            }
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
