package io.runbook.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.ast.Step;
import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `batch over T by K [size N]`: key ranges in order, each in its own transaction with its journal row, resumable. */
class KeysetBatchTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(KeysetBatchTest.class);

    @TempDir
    Path dir;

    /** The backfill runbook; size "" leaves the ranges to size themselves. */
    private static String backfill(String size, String options) {
        return """
                runbook "keyset" {
                  phase "backfill" no transaction {
                    batch over public.accounts by id %s $$
                      update accounts set y = aid, touched = touched + 1 where id >= :batch_from and id < :batch_to
                    $$ %s
                    verify { expect count $$ select 1 from accounts where y is distinct from aid $$ == 0 }
                  }
                }
                """.formatted(size.isEmpty() ? "" : "size " + size, options);
    }

    private Cli run(String runbook, String... extra) {
        return Cli.runFile(null, Files.write(dir, "t.runbook", runbook), db.uri(), extra);
    }

    @Test
    void everyRowOnceInKeyOrderSkippingGapsUpToABigintKey() {
        db.execute("create table accounts (id bigint primary key, aid int, y int, touched int not null default 0);"
                + " insert into accounts (id, aid) select g, g from generate_series(1, 2500) g;"
                + " insert into accounts (id, aid) select g, 7 from generate_series(1000000, 1000099) g;"
                + " insert into accounts (id, aid) values (5000000000, 9), (9223372036854775807, 10)");
        Cli r = run(backfill("1000", ""));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.scalar("select count(*) from accounts where touched <> 1"))
                .isEqualTo("0");
        assertThat(db.column("select label || ' ' || affected from runbook.steps where kind = 'batch' order by id"))
                .as("gaps cost one empty range each, then the next range starts at the next key")
                .containsExactly(
                        "batch over public.accounts by id [1, 1001) 1000",
                        "batch over public.accounts by id [1001, 2001) 1000",
                        "batch over public.accounts by id [2001, 3001) 500",
                        "batch over public.accounts by id [3001, 4001) 0",
                        "batch over public.accounts by id [1000000, 1001000) 100",
                        "batch over public.accounts by id [1001000, 1002000) 0",
                        "batch over public.accounts by id [5000000000, 5000001000) 1",
                        "batch over public.accounts by id [5000001000, 5000002000) 0",
                        "batch over public.accounts by id [9223372036854775807, 9223372036854775808) 1");
        assertThat(db.scalar("select count(distinct xmin::text) from accounts"))
                .as("one transaction per range that touched rows")
                .isEqualTo("6");
        assertThat(db.scalar("select bool_and(started <= finished) and count(distinct started) = count(*)"
                        + " from runbook.steps where kind = 'batch'"))
                .as("each range's row has its own start and end")
                .isEqualTo("t");
        assertThat(r.out).contains("batch  9 batches, 2602 rows");
    }

    @Test
    void anEmptyTableIsNothingToDo() {
        db.execute("create table accounts (id int primary key, aid int, y int, touched int not null default 0)");
        Cli r = run(backfill("100", "pause 10ms"));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.err).contains("public.accounts has no rows with a id: nothing to do");
        assertThat(db.scalar("select count(*) from runbook.steps where kind = 'batch'"))
                .isEqualTo("0");
    }

    @Test
    void theKeyMustBeAnIntegerColumnOfAnExistingTable() {
        db.execute("create table accounts (id text primary key, aid int, y int, touched int not null default 0)");
        Cli text = run(backfill("100", ""));
        assertThat(text.exit).as(text.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(text.err)
                .contains("t.runbook:3:16: ERROR: batch over public.accounts by id: the key is text,"
                        + " a keyset batch walks an integer key (smallint, integer or bigint)");

        db.reset();
        Cli missing = run(backfill("100", ""));
        assertThat(missing.exit).as(missing.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(missing.err).contains("3:16: ERROR: batch over public.accounts: there is no table public.accounts");
    }

    @Test
    void aTransactionalPhaseRefusesIt() {
        Cli refused = run("""
                runbook "t" {
                  phase "p" { batch over t by id $$ delete from t where id >= :batch_from and id < :batch_to $$ }
                }
                """);
        assertThat(refused.exit).as(refused.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(refused.err).contains("it needs a `no transaction` phase");
    }

    @Test
    void rangesCommitWithoutWaitingForTheDiskUnlessTheRunbookSetsSynchronousCommit() {
        String runbook = """
                runbook "s" {
                  %s
                  phase "p" no transaction {
                    batch over s by id size 5 $$
                      update s set sc = current_setting('synchronous_commit') where id >= :batch_from and id < :batch_to
                    $$
                    sql $$ insert into s values (0, current_setting('synchronous_commit')) $$
                  }
                }
                """;
        String table = "create table s (id int primary key, sc text); insert into s select generate_series(1, 10)";
        db.execute(table);
        Cli off = run(runbook.formatted(""));
        assertThat(off.exit).as(off.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.column("select distinct sc from s where id > 0")).containsExactly("off");
        assertThat(db.scalar("select sc from s where id = 0"))
                .as("the steps after the batch commit as before it")
                .isEqualTo(db.scalar("show synchronous_commit"));

        db.reset();
        db.execute(table);
        Cli own = run(runbook.formatted("set synchronous_commit = \"local\""));
        assertThat(own.exit).as(own.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.column("select distinct sc from s")).containsExactly("local");
        assertThat(db.scalar("select count(*) from s")).isEqualTo("11");
    }

    // ------------------------------------------------------------------ parallel

    /** Each range sleeps 30 ms once (an InitPlan), so that every session has taken a range before any ends. */
    private static String parallelBackfill(String table, String parallel) {
        return """
                runbook "keyset %s" {
                  phase "backfill" no transaction {
                    batch over %s by id size 500 %s $$
                      update %s set y = aid, touched = touched + 1, pid = pg_backend_pid()
                      where id >= :batch_from and id < :batch_to and (select pg_sleep(0.03)) is not null
                    $$
                  }
                }
                """.formatted(table, table, parallel, table);
    }

    @Test
    void rangesRunAtOnceOnTheirOwnSessionsAndLeaveWhatTheSerialWalkLeaves() {
        String fill = " (id bigint primary key, aid int, y int, touched int not null default 0, pid int);"
                + " insert into %s (id, aid) select g, g from generate_series(1, 6000) g where mod(g, 7) <> 0;"
                + " insert into %s (id, aid) select g, 3 from generate_series(50000, 50400) g;";
        db.execute("create table serial" + fill.formatted("serial", "serial") + "create table para"
                + fill.formatted("para", "para"));
        Cli serial = run(parallelBackfill("serial", ""));
        assertThat(serial.exit).as(serial.toString()).isEqualTo(ExitCode.OK);
        Cli para = run(parallelBackfill("para", "parallel 3"));
        assertThat(para.exit).as(para.toString()).isEqualTo(ExitCode.OK);

        assertThat(db.scalar("select count(*) from serial s full join para p using (id)"
                        + " where p.touched <> 1 or s.y is distinct from p.y or s.aid is distinct from p.aid"))
                .as("every row once, with the serial walk's values")
                .isEqualTo("0");
        assertThat(db.scalar("select count(distinct pid) from para"))
                .as("three sessions")
                .isEqualTo("3");
        List<String> ranges = db.column("select substring(label from '\\[(.*)\\)') from runbook.steps"
                + " where kind = 'batch' and label like '%para%' order by substring(label from '\\[(\\d+)')::bigint");
        long at = 1;
        for (String r : ranges) {
            String[] ends = r.split(", ");
            assertThat(Long.parseLong(ends[0]))
                    .as("no range overlaps another: %s", ranges)
                    .isGreaterThanOrEqualTo(at);
            at = Long.parseLong(ends[1]);
        }
        assertThat(at).as("the last range reaches the last key").isEqualTo(50401);
        assertThat(db.scalar("select sum(affected) from runbook.steps where kind = 'batch' and label like '%para%'"))
                .as("the journal's rows add up to the table's")
                .isEqualTo(db.scalar("select count(*) from para"));
        assertThat(para.out).contains(" batches, " + db.scalar("select count(*) from para") + " rows");
    }

    @Test
    void aFailedRangeStopsTheOtherSessionsAndWhatCommittedIsJournaled() {
        db.execute("create table accounts (id int primary key, aid int, y int, touched int not null default 0,"
                + " pid int); insert into accounts (id, aid) select g, g from generate_series(1, 30000) g");
        Cli r = run(parallelBackfill("accounts", "parallel 3")
                .replace("set y = aid,", "set y = aid / (case when id = 4321 then 0 else 1 end),"));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(r.err).contains("division by zero");
        assertThat(db.scalar("select count(*) from accounts where touched = 1"))
                .as("what committed is exactly what the journal says")
                .isEqualTo(db.scalar("select coalesce(sum(affected), 0) from runbook.steps where kind = 'batch'"));
        assertThat(db.scalar("select count(*) from accounts where id between 4001 and 4500 and touched <> 0"))
                .isEqualTo("0");
        assertThat(Integer.parseInt(db.scalar("select count(*) from accounts where touched = 0")))
                .as("the other sessions stopped after their range under way")
                .isGreaterThan(20000);
        assertThat(db.scalar("select count(*) from accounts where touched > 1")).isEqualTo("0");
    }

    @Test
    void killedWhileOneSessionWaitsTheRerunRunsOnlyTheRangesNotJournaled() throws Exception {
        db.execute("create table accounts (id int primary key, aid int, y int, touched int not null default 0,"
                + " pid int); insert into accounts (id, aid) select g, g * 2 from generate_series(1, 20000) g");
        Path file = Files.write(
                dir,
                "keyset.runbook",
                parallelBackfill("accounts", "parallel 3")
                        .replace("  phase", "  set lock_timeout = \"2min\"\n  phase"));
        Process runner;
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("select 1 from accounts where id = 1 for update");
            runner = start(file);
            waitUntil("6 ranges journaled while the first waits for its lock", () -> rangesJournaled() >= 6, runner);
            runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            holder.rollback();
        }
        waitForTheKilledRunnersSessionsToEnd();
        assertThat(db.scalar("select count(*) from accounts where touched = 1"))
                .as("exactly the journaled ranges committed")
                .isEqualTo(db.scalar("select sum(affected) from runbook.steps where kind = 'batch'"));
        assertThat(db.scalar("select count(*) from accounts where id < 501 and touched <> 0"))
                .as("the waiting range did not commit")
                .isEqualTo("0");

        Process again = start(file, "--rerun", "backfill");
        assertThat(again.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(log()).isEqualTo(ExitCode.OK);
        assertThat(log())
                .contains(
                        "resuming batch over accounts by id: ",
                        " committed in an earlier run (journaled)" + " are skipped");
        assertThat(db.scalar("select count(*) from accounts where touched <> 1 or y <> aid"))
                .as("every row exactly once")
                .isEqualTo("0");
        assertThat(db.column("select substring(label from '\\[.*\\)') from runbook.steps where kind = 'batch'"
                        + " and run_id = (select max(run_id) from runbook.steps) order by id"))
                .as("the re-run ran the range that waited, and no range of the earlier run")
                .contains("[1, 501)")
                .doesNotContainAnyElementsOf(db.column("select substring(label from '\\[.*\\)') from runbook.steps"
                        + " where kind = 'batch' and run_id < (select max(run_id) from runbook.steps)"));
    }

    // ------------------------------------------------------------------ kill -9 and resume

    @Test
    void withoutASizeTheRangesFollowOnEachOtherAndCoverEveryKeyOnce() {
        db.execute("create table accounts (id int primary key, aid int, y int, touched int not null default 0);"
                + " insert into accounts (id, aid) select g, g from generate_series(1, 100000) g");
        Cli r = run(backfill("", ""));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.scalar("select count(*) from accounts where touched <> 1"))
                .isEqualTo("0");
        List<String> ranges = db.column(
                "select substring(label from '\\[.*\\)') from runbook.steps" + " where kind = 'batch' order by id");
        assertThat(ranges.get(0)).as("the first range is the default size").isEqualTo("[1, 10001)");
        assertThat(ranges.get(ranges.size() - 1)).endsWith(", 100001)");
        for (int i = 1; i < ranges.size(); i++)
            assertThat(ranges.get(i))
                    .as("each range starts where the one before ended: %s", ranges)
                    .startsWith(ranges.get(i - 1).replaceAll(".*, (\\d+)\\)", "[$1, "));
    }

    @Test
    void theRangeSizeFollowsTheRangeDurationGrowingCautiouslyAndShrinkingAtOnce() {
        long target = RangeSize.TARGET_NANOS;
        assertThat(RangeSize.next(10_000, target)).isEqualTo(10_000);
        assertThat(RangeSize.next(10_000, target / 2))
                .as("growing by the root of the shortfall")
                .isEqualTo(14_142);
        assertThat(RangeSize.next(10_000, target / 4)).isEqualTo(20_000);
        assertThat(RangeSize.next(10_000, 0))
                .as("an instant range doubles, no more")
                .isEqualTo(20_000);
        assertThat(RangeSize.next(10_000, target * 2)).isEqualTo(5_000);
        assertThat(RangeSize.next(10_000, target * 100))
                .as("a range stuck on a lock quarters, no less")
                .isEqualTo(2_500);
        assertThat(RangeSize.next(1, target * 100)).isEqualTo(1);
    }

    @Test
    void killedMidwayTheRerunStartsAtTheFirstUnfinishedRangeAndTouchesEveryRowOnce() throws Exception {
        killedMidway("500", 20_000, 500);
    }

    @Test
    void killedMidwayWithRangesSizedByTheirDurationTheRerunIsExactToo() throws Exception {
        killedMidway("", 300_000, Step.Keyset.DEFAULT_SIZE);
    }

    /** Kills a runner after 3 ranges, re-runs the phase: every row is touched exactly once. */
    private void killedMidway(String size, int rows, long firstSpan) throws Exception {
        db.execute("create table accounts (id int primary key, aid int, y int, touched int not null default 0);"
                + " insert into accounts (id, aid) select g, g * 2 from generate_series(1, " + rows + ") g");
        Path file = Files.write(dir, "keyset.runbook", backfill(size, "pause 100ms"));
        Process runner = start(file);
        waitUntil("3 ranges journaled", () -> rangesJournaled() >= 3, runner);
        runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        waitForTheKilledRunnersSessionsToEnd();
        String next = db.scalar("select actual from runbook.steps where kind = 'batch' order by id desc limit 1");
        assertThat(db.scalar("select count(*) from accounts where touched = 1"))
                .as("exactly the journaled ranges committed")
                .isEqualTo(String.valueOf(Integer.parseInt(next) - 1));
        assertThat(Integer.parseInt(next)).isLessThan(rows + 1);

        // status says interrupted, with no duration: the row holds only when the phase started
        io.runbook.testing.Cli status =
                io.runbook.testing.Cli.run("status", file.toString(), "--db", db.uri(), "--format", "json");
        assertThat(status.out).as(status.toString()).contains("\"state\" : \"interrupted\"");
        assertThat(status.out).contains("\"durationMs\" : null");

        // A plain re-run is refused, and says what committed: the ranges, not "no statement".
        Process refused = start(file);
        assertThat(refused.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).as(log()).isEqualTo(ExitCode.INTERRUPTED);
        long ranges = Long.parseLong(db.scalar("select count(*) from runbook.steps where kind = 'batch'"));
        assertThat(log())
                .contains("the journal records " + ranges
                        + " batches of batch over public.accounts by id as committed (" + (Integer.parseInt(next) - 1)
                        + " rows): --rerun skips those key ranges and does only the rest")
                .doesNotContain("records no statement of it as committed");

        Process again = start(file, "--rerun", "backfill");
        assertThat(again.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(log()).isEqualTo(ExitCode.OK);
        assertThat(log()).contains("resuming batch over public.accounts by id at id >= " + next);
        assertThat(db.scalar("select count(*) from accounts where touched <> 1 or y <> aid"))
                .isEqualTo("0");
        assertThat(db.scalar("select label from runbook.steps where kind = 'batch'"
                        + " and run_id = (select max(run_id) from runbook.steps) order by id limit 1"))
                .as("the re-run's first range is the first unfinished one")
                .isEqualTo("batch over public.accounts by id [" + next + ", " + (Integer.parseInt(next) + firstSpan)
                        + ")");
    }

    /** Batch ranges in the journal so far (0 before the journal exists). */
    private int rangesJournaled() {
        if (!"t".equals(db.scalar("select to_regclass('runbook.steps') is not null"))) return 0;
        return Integer.parseInt(db.scalar("select count(*) from runbook.steps where kind = 'batch'"));
    }

    /** A killed runner's backends linger a moment after the process is gone. */
    private void waitForTheKilledRunnersSessionsToEnd() {
        waitUntil(
                "the killed runner's sessions to end",
                () -> "0"
                        .equals(db.scalar("select count(*) from pg_stat_activity where datname = current_database()"
                                + " and application_name like 'runbook%'")),
                null);
    }

    private Process start(Path file, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.runbook.cli.Main",
                "run",
                file.toString(),
                "--db",
                db.uri(),
                "--yes"));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("runner.log").toFile())
                .start();
    }

    private void waitUntil(String what, BooleanSupplier condition, Process runner) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (runner != null && !runner.isAlive())
                throw new AssertionError("the runner ended before " + what + ": " + log());
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private String log() {
        try {
            return java.nio.file.Files.readString(dir.resolve("runner.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
