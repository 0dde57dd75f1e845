package io.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The runbook's lock between runners that follow each other: the next one never finds the last one's lock. */
class RunnerLockTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(RunnerLockTest.class);

    @TempDir
    Path dir;

    private static Journal.RunInfo info(String operator) {
        return new Journal.RunInfo(
                "run", "r", "r.runbook", "x", Map.of(), operator, "host", "runbook test", false, "target");
    }

    @Test
    void backToBackRunsAreNeverRefused() {
        Path file = Files.write(dir, "t.runbook", "runbook \"t\" { phase \"p\" { sql $$ select 1 $$ } }");
        for (int i = 0; i < 10; i++) {
            Cli c = Cli.runFile(null, file, db.uri());
            assertThat(c.exit).as("run %d: %s", i + 1, c).isEqualTo(ExitCode.OK);
        }
        assertThat(db.column("select distinct exit_code from runbook.runs")).containsExactly("0");
    }

    @Test
    void aRunningRunIsRefusedAtOnceAndItsLockIsFreeOnceItsRunIsRecordedFinished() throws Exception {
        try (Connection journalConnection = db.connect();
                Connection session = db.connect();
                Connection other = db.connect()) {
            Journal first = new Journal(journalConnection, "runbook");
            first.ensure();
            assertThat(first.tryLock(session, "r", "alice", "laptop")).isNull();
            long run = first.startRun(info("alice"));

            Journal second = new Journal(other, "runbook");
            Journal.Holder holder = second.tryLock(other, "r", "bob", "ci");
            assertThat(holder).isNotNull();
            assertThat(holder.operator()).isEqualTo("alice");
            assertThat(holder.ending()).isFalse();

            first.finishRun(run, 0, "completed");
            assertThat(session.isClosed()).isFalse();
            assertThat(second.tryLock(other, "r", "bob", "ci"))
                    .as("free while the first runner's session is still open")
                    .isNull();
        }
    }

    @Test
    void theRunsEndIsRecordedAndItsLockFreedWhetherItsSessionIsIdleOrInATransaction() throws Exception {
        for (boolean inTransaction : new boolean[] {false, true}) {
            try (Connection journalConnection = db.connect();
                    Connection session = db.connect();
                    Connection other = db.connect()) {
                Journal first = new Journal(journalConnection, "runbook");
                first.ensure();
                assertThat(first.tryLock(session, "r", "alice", "laptop")).isNull();
                long run = first.startRun(info("alice"));
                if (inTransaction) { // its end row must not wait on (nor roll back with) this transaction
                    session.setAutoCommit(false);
                    session.createStatement().execute("select 1");
                }

                first.finishRun(run, 4, "sql error");
                if (inTransaction) session.rollback();
                assertThat(db.scalar("select exit_code || ' ' || outcome from runbook.runs where id = " + run
                                + " and finished is not null"))
                        .as("in a transaction: %s", inTransaction)
                        .isEqualTo("4 sql error");
                assertThat(new Journal(other, "runbook").tryLock(other, "r", "bob", "ci"))
                        .as("in a transaction: %s", inTransaction)
                        .isNull();
            }
        }
    }

    @Test
    void aHolderWithoutARunningRunIsWaitedForUntilItsSessionEnds() throws Exception {
        Connection ending = db.connect();
        try (Connection journalConnection = db.connect();
                Connection session = db.connect()) {
            Journal first = new Journal(ending, "runbook");
            first.ensure();
            assertThat(first.tryLock(ending, "r", "alice", "laptop")).isNull();

            Journal second = new Journal(journalConnection, "runbook");
            CompletableFuture<Journal.Holder> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return second.tryLock(session, "r", "bob", "ci");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // the second runner waits on the server for the lock; then the first one's session ends
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (db.scalar("select pid from pg_locks where locktype = 'advisory' and not granted"
                            + " and database = (select oid from pg_database where datname = current_database())")
                    == null) {
                assertThat(System.nanoTime())
                        .as("the second runner never waited")
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            ending.close();
            assertThat(waiting.get(60, TimeUnit.SECONDS)).isNull();
            assertThat(db.scalar("select count(*) from pg_locks where locktype = 'advisory' and granted"
                            + " and database = (select oid from pg_database where datname = current_database())"))
                    .isEqualTo("1");
        }
    }
}
