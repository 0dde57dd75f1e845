package io.runbook.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ALTER TABLE that must wait behind a long transaction, while a loop of short queries touches the
 * same table. With the default lock_timeout and retries, the ALTER gives up early and tries again, so
 * the short queries queued behind it wait no longer than one lock_timeout; without, they wait as long
 * as the long transaction.
 */
class LockSafetyTest {
    private static final long BLOCKER_MILLIS = 3000;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(LockSafetyTest.class);

    @TempDir
    Path dir;

    @BeforeEach
    void clean() {
        db.reset();
        db.execute("create table t (id int); insert into t select generate_series(1, 1000)");
    }

    @Test
    void withTheDefaultRetriesShortQueriesWaitNoLongerThanALockTimeout() throws Exception {
        long worst = worstShortQueryWait("""
                runbook "alter" {
                  phase "add column" { sql $$ alter table t add column c int $$ }
                }
                """, ExitCode.OK);
        System.out.println(
                "lock safety: worst short-query wait with default lock_timeout and retries: " + worst + " ms");
        // Every attempt keeps the first lock_timeout (500 ms); the bound is loose for a loaded machine
        // (bench/lock_wait.sh measures).
        assertThat(worst).isLessThan(1000 + 600);
        assertThat(db.scalar(
                        "select count(*) from information_schema.columns where table_name = 't' and column_name = 'c'"))
                .isEqualTo("1");
    }

    @Test
    void withoutLockTimeoutShortQueriesQueueBehindTheAlterForTheWholeBlocker() throws Exception {
        long worst = worstShortQueryWait("""
                runbook "alter" {
                  set lock_timeout = 0
                  phase "add column" no retry { sql $$ alter table t add column c int $$ }
                }
                """, ExitCode.OK);
        System.out.println("lock safety: worst short-query wait without lock_timeout and retries: " + worst + " ms");
        assertThat(worst).isGreaterThan(BLOCKER_MILLIS / 2);
    }

    @Test
    void aStepThatExhaustsItsRetriesFailsThePhaseCleanlyEveryAttemptAtTheSameLockTimeoutAndJournaled()
            throws Exception {
        try (Connection blocker = db.connect();
                Statement s = blocker.createStatement()) {
            s.execute("set application_name = 'nightly report'");
            blocker.setAutoCommit(false);
            s.execute("select count(*)   from\n t");
            String pid = db.scalar(
                    "select pid from pg_stat_activity where datname = current_database() and state = 'idle in transaction'");
            Cli r = Cli.runFile(null, Files.write(dir, "t.runbook", """
                    runbook "alter" {
                      phase "add column" retry(attempts = 3, lock_timeout = 50ms, sleep = 10ms, max_sleep = 20ms) {
                        sql $$ create table side (x int) $$
                        sql $$ alter table t add column c int $$
                      }
                    }
                    """), db.uri());
            assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
            assertThat(r.err)
                    .contains("lock_timeout (50ms) expired on attempt 1/3")
                    .contains("lock_timeout (50ms) expired on attempt 2/3")
                    .contains("canceling statement due to lock timeout")
                    .contains("SQLSTATE 55P03")
                    // after the last attempt too: who held the lock (the retries' notes say it for the others)
                    .contains("when the lock_timeout expired, these sessions held locks or had a transaction open:")
                    .containsPattern("(?m)^    pid " + pid + " \\(nightly report, postgres, idle in transaction,"
                            + " transaction open \\d\\d:\\d\\d:\\d\\d, last query started \\d\\d:\\d\\d:\\d\\d ago\\)"
                            + " holds ACCESS SHARE on t: select count\\(\\*\\) from t$");
            blocker.rollback();
            assertThat(db.column("select expected from runbook.steps where kind = 'retry' order by id"))
                    .containsExactly("attempt 1/3 with lock_timeout 50ms", "attempt 2/3 with lock_timeout 50ms");
            assertThat(db.column("select actual from runbook.steps where kind = 'retry'"))
                    .allMatch(a -> a.contains("pid " + pid));
            assertThat(db.column("select sqlstate || ' ' || actual from runbook.steps where kind = 'failure'"))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("55P03 pid " + pid + " (nightly report, postgres, idle in transaction")
                    .contains("holds ACCESS SHARE on t: select count(*) from t");
        }
        assertThat(db.tableExists("side")).as("the phase rolled back").isFalse();
    }

    @Test
    void aNoTransactionStepWithoutRetriesSaysWhoHeldTheLockOnTheConsoleAndInTheJournal() throws Exception {
        try (Connection blocker = db.connect();
                Statement s = blocker.createStatement()) {
            s.execute("set application_name = 'long report'");
            blocker.setAutoCommit(false);
            s.execute("lock table t in share mode");
            String pid = db.scalar("select pid from pg_stat_activity where application_name = 'long report'");
            Cli r = Cli.runFile(null, Files.write(dir, "t.runbook", """
                    runbook "alter" {
                      set lock_timeout = 50ms
                      phase "add column" no transaction {
                        sql $$ alter table t add column c int $$ no retry
                      }
                    }
                    """), db.uri());
            blocker.rollback();
            assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
            assertThat(r.err)
                    .doesNotContain("expired on attempt")
                    .contains("    pid " + pid + " (long report, postgres, idle in transaction,")
                    .contains(" holds SHARE on t: lock table t in share mode");
            assertThat(db.column("select actual from runbook.steps where kind = 'failure' and sqlstate = '55P03'"))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("pid " + pid + " (long report");
        }
    }

    @Test
    void theLockTimeoutGrowsOnlyWhenTheRunbookAsks() throws Exception {
        try (Connection blocker = db.connect();
                Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("select count(*) from t");
            Cli r = Cli.runFile(null, Files.write(dir, "t.runbook", """
                    runbook "alter" {
                      phase "add column" retry(attempts = 3, lock_timeout = 50ms, max_lock_timeout = 200ms, sleep = 10ms, max_sleep = 20ms) {
                        sql $$ alter table t add column c int $$
                      }
                    }
                    """), db.uri());
            blocker.rollback();
            assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
            assertThat(r.err)
                    .contains("lock_timeout (50ms) expired on attempt 1/3")
                    .contains("lock_timeout (100ms) expired on attempt 2/3");
        }
    }

    /** Runs the runbook while a long transaction blocks it and a loop of short queries measures its waits. */
    private long worstShortQueryWait(String runbook, int expectedExit) throws Exception {
        Path file = Files.write(dir, "t.runbook", runbook);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong worst = new AtomicLong();
        CompletableFuture<Void> loop;
        CompletableFuture<Cli> runner;
        try (Connection blocker = db.connect();
                Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("select count(*) from t"); // holds ACCESS SHARE until commit: the ALTER must wait
            loop = CompletableFuture.runAsync(() -> shortQueries(done, worst));
            runner = CompletableFuture.supplyAsync(() -> Cli.runFile(null, file, db.uri()));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"1"
                    .equals(
                            db.scalar(
                                    "select count(*) from pg_stat_activity where query like 'alter table t%' and wait_event_type = 'Lock'"))) {
                assertThat(System.nanoTime()).as("the ALTER never queued").isLessThan(deadline);
                Thread.onSpinWait();
            }
            Thread.sleep(BLOCKER_MILLIS); // the long transaction's work: the scenario, not synchronisation
            blocker.commit();
        }
        Cli r = runner.get(120, TimeUnit.SECONDS);
        done.set(true);
        loop.get(30, TimeUnit.SECONDS);
        assertThat(r.exit).as(r.toString()).isEqualTo(expectedExit);
        return worst.get();
    }

    private static void shortQueries(AtomicBoolean done, AtomicLong worst) {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            long stopAt = System.nanoTime() + 120_000_000_000L;
            while (!done.get() && System.nanoTime() < stopAt) {
                long t0 = System.nanoTime();
                s.execute("select count(*) from t");
                worst.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
