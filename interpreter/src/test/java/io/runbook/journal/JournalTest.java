package io.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Resume, drift, locking, connection loss and interrupted phases, against a real database. */
class JournalTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(JournalTest.class);

    @TempDir
    Path dir;

    private Cli run(String runbook, String... extra) {
        return Cli.runFile(null, Files.write(dir, "t.runbook", runbook), db.uri(), extra);
    }

    private Cli runAgain(String... extra) {
        return Cli.runFile(null, dir.resolve("t.runbook"), db.uri(), extra);
    }

    private static final String TWO_PHASES = """
            runbook "t" {
              param limit int = 1
              preflight { expect scalar $$ select 1 $$ == 1 }
              phase "one" { sql $$ create table a (x int); insert into a values (1) $$ }
              phase "two" { sql $$ insert into a values (2) $$ expect affected <= limit
                            sql $$ insert into a values (3) $$ expect affected <= limit - 1 }
            }
            """;

    @Test
    void resumeSkipsAppliedPhasesAndACompletedRunbookIsANoOp() {
        Cli first = run(TWO_PHASES);
        assertThat(first.exit).as(first.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        Cli second = runAgain("--param", "limit=2");
        assertThat(second.exit).as(second.toString()).isEqualTo(ExitCode.OK);
        assertThat(second.out).contains("phase 1/2 \"one\"  skipped: applied in run #1");
        assertThat(db.column("select x from a order by x")).containsExactly("1", "2", "3");
        Cli third = runAgain("--param", "limit=2");
        assertThat(third.exit).isEqualTo(ExitCode.OK);
        assertThat(third.err).contains("nothing to do");
        assertThat(db.column("select x from a order by x")).containsExactly("1", "2", "3");
        assertThat(db.column("select phase || ':' || status from runbook.phases order by id"))
                .containsExactly("one:applied", "two:applied");
        assertThat(db.column("select exit_code from runbook.runs order by id")).containsExactly("1", "0", "0");
    }

    @Test
    void aChangedSqlFileOfAnAppliedPhaseIsRefusedUnlessAllowed() {
        Files.write(dir, "one.sql", "create table a (x int);\n");
        String rb = """
                runbook "t" {
                  phase "one" { sql file "one.sql" }
                  phase "two" { expect false }
                }
                """;
        assertThat(run(rb).exit).isEqualTo(ExitCode.GUARD_FAILED);
        Files.write(dir, "one.sql", "create table a (x int, y int);\n");
        Cli refused = runAgain();
        assertThat(refused.exit).as(refused.toString()).isEqualTo(ExitCode.CHANGED);
        assertThat(refused.err)
                .contains("phase \"one\" changed since it was applied in run #1")
                .contains("-create table a (x int);")
                .contains("+create table a (x int, y int);")
                .contains("--allow-changed");
        assertThat(db.scalar("select count(*) from runbook.runs"))
                .as("a refused run starts nothing")
                .isEqualTo("1");

        Cli allowed = runAgain("--allow-changed");
        assertThat(allowed.exit).as(allowed.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(allowed.err).contains("running although phase \"one\" changed");
        assertThat(db.scalar("select allow_changed from runbook.runs order by id desc limit 1"))
                .isEqualTo("t");
    }

    @Test
    void twoRunnersStartedTogetherExactlyOneProceeds() throws Exception {
        db.execute("create table gate (x int)");
        String rb =
                "runbook \"t\" { phase \"p\" { sql $$ select count(*) from gate $$ sql $$ create table done (x int) $$ } }";
        Files.write(dir, "t.runbook", rb);
        CompletableFuture<Cli> a;
        CompletableFuture<Cli> b;
        try (Connection gate = db.connect();
                Statement s = gate.createStatement()) {
            gate.setAutoCommit(false);
            s.execute("lock table gate in access exclusive mode");
            a = CompletableFuture.supplyAsync(() -> runAgain());
            b = CompletableFuture.supplyAsync(() -> runAgain());
            // The one that lost the lock returns while the other waits at the gate.
            Cli refused = (Cli) CompletableFuture.anyOf(a, b).get(60, TimeUnit.SECONDS);
            assertThat(refused.exit).as(refused.toString()).isEqualTo(ExitCode.LOCKED);
            assertThat(refused.err)
                    .contains("already running: runbook \"t\" is being run by tester on")
                    .contains("server pid");
            gate.rollback();
        }
        List<Integer> exits = List.of(a.get(60, TimeUnit.SECONDS).exit, b.get(60, TimeUnit.SECONDS).exit);
        assertThat(exits).containsExactlyInAnyOrder(ExitCode.OK, ExitCode.LOCKED);
        assertThat(db.tableExists("done")).isTrue();
        assertThat(db.column("select exit_code from runbook.runs"))
                .as("the refused runner never started a run")
                .containsExactly("0");
    }

    private static String waitForBlocked(String query) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            String pid = db.scalar("select pid from pg_stat_activity where query = '" + query
                    + "' and wait_event_type = 'Lock' and datname = current_database()");
            if (pid != null) return pid;
            assertThat(System.nanoTime())
                    .as("the runner never reached " + query)
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aDroppedConnectionRollsThePhaseBackAndARerunCompletes() throws Exception {
        db.execute("create table gate (x int)");
        String rb = """
                runbook "t" {
                  phase "one" { sql $$ create table a (x int) $$ }
                  phase "two" { sql $$ insert into a values (1) $$ sql $$ select count(*) from gate $$ sql $$ insert into a values (2) $$ }
                }
                """;
        Files.write(dir, "t.runbook", rb);
        CompletableFuture<Cli> runner;
        try (Connection gate = db.connect();
                Statement s = gate.createStatement()) {
            gate.setAutoCommit(false);
            s.execute("lock table gate in access exclusive mode");
            runner = CompletableFuture.supplyAsync(() -> runAgain());
            String pid = waitForBlocked("select count(*) from gate");
            db.execute("select pg_terminate_backend(" + pid + ")");
            gate.rollback();
        }
        Cli lost = runner.get(60, TimeUnit.SECONDS);
        assertThat(lost.exit).as(lost.toString()).isEqualTo(ExitCode.CONNECTION);
        assertThat(lost.err).contains("terminating connection due to administrator command");
        assertThat(db.scalar("select count(*) from a"))
                .as("phase two rolled back")
                .isEqualTo("0");
        assertThat(db.column("select phase || ':' || status from runbook.phases order by id"))
                .containsExactly("one:applied");

        Cli rerun = runAgain();
        assertThat(rerun.exit).as(rerun.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.column("select x from a order by x")).containsExactly("1", "2");
    }

    @Test
    void anInterruptedNoTransactionPhaseNeedsADecision() throws Exception {
        db.execute("create table gate (x int)");
        String rb = """
                runbook "t" {
                  phase "fill" no transaction {
                    sql $$ create table if not exists a (x int) $$
                    sql $$ insert into a select 1 where not exists (select 1 from a where x = 1) $$
                    sql $$ select count(*) from gate $$
                    sql $$ insert into a select 2 where not exists (select 1 from a where x = 2) $$
                    verify { expect count $$ select * from a $$ == 2 }
                  }
                }
                """;
        Files.write(dir, "t.runbook", rb);
        try (Connection gate = db.connect();
                Statement s = gate.createStatement()) {
            gate.setAutoCommit(false);
            s.execute("lock table gate in access exclusive mode");
            CompletableFuture<Cli> runner = CompletableFuture.supplyAsync(() -> runAgain());
            db.execute("select pg_terminate_backend(" + waitForBlocked("select count(*) from gate") + ")");
            gate.rollback();
            assertThat(runner.get(60, TimeUnit.SECONDS).exit).isEqualTo(ExitCode.CONNECTION);
        }
        Cli refused = runAgain();
        assertThat(refused.exit).as(refused.toString()).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(refused.err)
                .contains("interrupted in phase \"fill\"")
                .contains("--rerun \"fill\"")
                .contains("--mark-done \"fill\"");
        assertThat(refused.out).contains("evidence").contains("expected count $$ select * from a $$ == 2, actual 1");

        Cli rerun = runAgain("--rerun", "fill");
        assertThat(rerun.exit).as(rerun.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.column("select x from a order by x")).containsExactly("1", "2");
        assertThat(runAgain().err).contains("nothing to do");
    }

    @Test
    void markDoneRecordsAnInterruptedPhaseWithoutRunningIt() throws Exception {
        String rb = """
                runbook "t" {
                  phase "fill" no transaction { sql $$ create table a (x int) $$ sql $$ select 1/0 $$ }
                  phase "after" { sql $$ create table b (x int) $$ }
                }
                """;
        assertThat(run(rb).exit).isEqualTo(ExitCode.SQL_ERROR);
        Cli refused = runAgain();
        assertThat(refused.exit).as(refused.toString()).isEqualTo(ExitCode.INTERRUPTED);
        // the failure was seen: the journal knows exactly what committed and what failed
        assertThat(refused.err)
                .contains("phase \"fill\" failed in run #1")
                .contains("already committed: ")
                .contains("t.runbook:2 create table a (x int)")
                .contains("division by zero")
                .contains("--rerun \"fill\"");
        Cli marked = runAgain("--mark-done", "fill");
        assertThat(marked.exit).as(marked.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.tableExists("b")).isTrue();
        assertThat(db.column("select phase || ':' || status from runbook.phases order by id"))
                .containsExactly("fill:started", "fill:partial", "fill:marked_done", "after:applied");
    }

    @Test
    void createIndexConcurrentlyIsNotBlockedByTheJournalOrTheLock() {
        Cli r = run("""
                runbook "t" {
                  set statement_timeout = 30s
                  phase "table" { sql $$ create table a (x int); insert into a select generate_series(1, 1000) $$ }
                  phase "index" no transaction {
                    sql $$ create index concurrently a_x on a (x) $$
                    verify { expect scalar $$ select count(*) from pg_stat_activity
                                              where datname = current_database() and application_name like 'runbook%'
                                                and state like 'idle in transaction%' $$ == 0 }
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.scalar("select indisvalid from pg_index where indexrelid = 'a_x'::regclass"))
                .isEqualTo("t");
    }

    private static final String BASELINED = """
            runbook "t" {
              phase "create zz" {
                sql $$ create table zz (x int) $$
                verify {
                  expect scalar $$ select count(*) from pg_tables where tablename = 'zz' $$ == 1
                }
              }
              phase "seed" { sql $$ insert into zz values (1) $$ }
            }
            """;

    @Test
    void baselineBindsParamsAsRunDoes() {
        Files.write(dir, "p.runbook", """
                runbook "p" {
                  param table text
                  phase "create" {
                    sql $$ create table zz (x int) $$
                    verify { expect scalar $$ select count(*) from pg_tables where tablename = :'table' $$ == 1 }
                  }
                }
                """);
        db.execute("create table zz (x int)");
        String file = dir.resolve("p.runbook").toString();
        // before: baseline had no -p, so the verify block's param was missing and nothing could be proven
        Cli proven = Cli.run("baseline", file, "--db", db.uri(), "--through", "create", "-p", "table=zz");
        assertThat(proven.exit).as(proven.toString()).isEqualTo(ExitCode.OK);
        assertThat(proven.out).contains("create: marked applied (baseline, verified)");
        assertThat(db.scalar("select params::text from runbook.runs")).isEqualTo("{\"table\" : \"zz\"}");

        Cli typo = Cli.run("baseline", file, "--db", db.uri(), "--through", "create", "-p", "tabel=zz");
        Cli typoRun = Cli.runFile(null, dir.resolve("p.runbook"), db.uri(), "-p", "tabel=zz");
        assertThat(typo.exit).isEqualTo(typoRun.exit).isEqualTo(ExitCode.INVALID);
        assertThat(typo.err).isEqualTo(typoRun.err);
    }

    @Test
    void baselineOfAPhaseWhoseVerifyFailsIsRefusedAndRecordsNothing() {
        Files.write(dir, "t.runbook", BASELINED);
        Cli refused =
                Cli.run("baseline", dir.resolve("t.runbook").toString(), "--db", db.uri(), "--through", "create zz");
        assertThat(refused.exit).as(refused.toString()).isEqualTo(ExitCode.UNPROVEN);
        assertThat(refused.err)
                .contains("t.runbook:5:7: ERROR: expectation failed")
                .contains("baseline refused: 1 of 1 phase(s) not proven on this database; nothing was recorded")
                .contains("--force records them anyway");
        assertThat(db.scalar("select count(*) from runbook.runs")).isEqualTo("0");
        assertThat(db.scalar("select count(*) from runbook.phases")).isEqualTo("0");

        db.execute("create table zz (x int)");
        Cli proven =
                Cli.run("baseline", dir.resolve("t.runbook").toString(), "--db", db.uri(), "--through", "create zz");
        assertThat(proven.exit).as(proven.toString()).isEqualTo(ExitCode.OK);
        assertThat(proven.out).contains("create zz: marked applied (baseline, verified)");
        assertThat(db.column("select block || ' ' || kind || ' ' || status from runbook.steps order by id"))
                .as("the proof is journaled")
                .containsExactly("verify expect passed");
    }

    @Test
    void baselineOfAPhaseWithoutVerifyNeedsForceAndTheJournalSaysForced() {
        Files.write(dir, "t.runbook", BASELINED);
        db.execute("create table zz (x int)");
        Cli refused = Cli.run("baseline", dir.resolve("t.runbook").toString(), "--db", db.uri(), "--through", "seed");
        assertThat(refused.exit).as(refused.toString()).isEqualTo(ExitCode.UNPROVEN);
        assertThat(refused.out).contains("seed: no verify block to prove it is there");
        assertThat(refused.err).contains("t.runbook:8:3: \"seed\" has no verify block");
        assertThat(db.scalar("select count(*) from runbook.phases")).isEqualTo("0");

        Cli forced = Cli.run(
                "baseline", dir.resolve("t.runbook").toString(), "--db", db.uri(), "--through", "seed", "--force");
        assertThat(forced.exit).as(forced.toString()).isEqualTo(ExitCode.OK);
        assertThat(forced.out).contains("seed: marked applied (baseline, forced: has no verify block)");
        assertThat(db.column("select phase || ' ' || status from runbook.phases order by id"))
                .containsExactly("create zz baseline", "seed baseline");
        assertThat(db.column("select message from runbook.steps where status = 'forced'"))
                .containsExactly("recorded with --force: has no verify block");
        assertThat(db.scalar("select outcome from runbook.runs"))
                .isEqualTo("baseline through \"seed\": 2 phase(s) marked, 1 forced (--force)");
    }

    @Test
    void statusBaselineAndRollbackFollowTheJournal() {
        String rb = """
                runbook "t" {
                  phase "one" {
                    sql $$ create table a (x int) $$
                    verify { expect scalar $$ select count(*) from pg_tables where tablename = 'a' $$ == 1 }
                    rollback { sql $$ drop table a $$ }
                  }
                  phase "two" { sql $$ create table b (x int) $$ rollback { sql $$ drop table b $$ } }
                  phase "three" { sql $$ create table c (x int) $$ rollback { sql $$ drop table c $$ } }
                }
                """;
        Files.write(dir, "t.runbook", rb);
        db.execute("create table a (x int)");
        Cli baseline = Cli.run("baseline", dir.resolve("t.runbook").toString(), "--db", db.uri(), "--through", "one");
        assertThat(baseline.exit).as(baseline.toString()).isEqualTo(ExitCode.OK);
        assertThat(runAgain("--only", "two").exit).isEqualTo(ExitCode.OK);

        Cli status = Cli.run("status", dir.resolve("t.runbook").toString(), "--db", db.uri());
        assertThat(status.exit).isEqualTo(ExitCode.OK);
        assertThat(status.out)
                .containsPattern("one\\s+baseline\\s+\\S+\\s+tester\\s+#1\\s+matches")
                .containsPattern("two\\s+applied\\s+\\S+\\s+tester\\s+\\S+\\s+#2\\s+matches")
                .containsPattern("three\\s+pending");

        Cli undo = Cli.run("rollback", dir.resolve("t.runbook").toString(), "--db", db.uri(), "--yes");
        assertThat(undo.exit).as(undo.toString()).isEqualTo(ExitCode.OK);
        assertThat(undo.err).contains("phase \"three\" is not applied (journal: never ran): nothing to undo");
        assertThat(db.tableExists("a")).isFalse();
        assertThat(db.tableExists("b")).isFalse();
        assertThat(Cli.run("status", dir.resolve("t.runbook").toString(), "--db", db.uri()).out)
                .containsPattern("two\\s+rolled back");
        assertThat(runAgain().exit).as("rolled-back phases run again").isEqualTo(ExitCode.OK);
        assertThat(db.tableExists("c")).isTrue();
    }

    @Test
    void secretParamsNeverReachTheJournalOrReports() {
        Path report = dir.resolve("r.md");
        Path json = dir.resolve("r.json");
        Cli r = run("""
                runbook "t" {
                  param token secret text = "none"
                  phase "p" { sql $$ select length(:'token') $$ }
                }
                """, "--param", "token=hunter2-xyz", "--report", report.toString(), "--json", json.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.all()).doesNotContain("hunter2-xyz");
        assertThat(db.scalar("select params::text from runbook.runs"))
                .contains("(secret)")
                .doesNotContain("hunter2");
        assertThat(read(report)).contains("| token | `(secret)` |").doesNotContain("hunter2");
        assertThat(read(json)).doesNotContain("hunter2");
    }

    private static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
