package io.runbook.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Batched backfills, monitoring windows and sh steps. */
class LongStepsTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(LongStepsTest.class);

    @TempDir
    Path dir;

    private Cli run(String runbook, String... extra) {
        return Cli.runFile(null, Files.write(dir, "t.runbook", runbook), db.uri(), extra);
    }

    @Test
    void batchRunsUntilNothingIsLeftEachBatchInItsOwnTransactionAndJournalsIt() {
        db.execute(
                "create table students (id int primary key, language text); insert into students select g, null from generate_series(1, 2500) g");
        Cli r = run("""
                runbook "t" {
                  phase "backfill" no transaction {
                    batch $$ update students set language = 'en'
                             where id in (select id from students where language is null limit 1000) $$
                      until affected == 0 pause 10ms max 100 batches
                    verify { expect count $$ select 1 from students where language is null $$ == 0 }
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out).contains("batch  4 batches, 2500 rows");
        assertThat(db.column("select affected from runbook.steps where kind = 'batch' order by id"))
                .containsExactly("1000", "1000", "500", "0");
        assertThat(db.scalar("select count(distinct xmin::text) from students"))
                .as("one transaction per batch")
                .isEqualTo("3");
    }

    @Test
    void batchStopsAtItsMaximumAndIsRefusedInATransactionalPhase() {
        db.execute("create table t (id int); insert into t select generate_series(1, 100)");
        Cli max = run("""
                runbook "t" {
                  phase "p" no transaction { batch $$ update t set id = id where id < 50 $$ until affected == 0 max 3 batches }
                }
                """);
        assertThat(max.exit).as(max.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(max.err).contains("batch did not finish within 3 batches (147 rows)");

        Cli refused = run("""
                runbook "t" {
                  phase "p" { batch $$ delete from t where id < 10 $$ until affected == 0 }
                }
                """);
        assertThat(refused.exit).isEqualTo(ExitCode.INVALID);
        assertThat(refused.err)
                .contains(
                        "t.runbook:2:15: ERROR: batch runs each batch in a transaction of its own: it needs a `no transaction` phase");
    }

    private static final String MONITOR = """
            runbook "t" {
              phase "setup" { sql $$ create sequence s $$ }
              phase "watch" no transaction {
                monitor "no lock waits" every 20ms for 100ms tolerate %s {
                  expect scalar $$ select nextval('s') <> 3 $$ == true
                }
              }
            }
            """;

    @Test
    void monitorRunsItsRoundsAndToleratesIsolatedFailures() {
        Cli tolerant = run(MONITOR.formatted("1"));
        assertThat(tolerant.exit).as(tolerant.toString()).isEqualTo(ExitCode.OK);
        assertThat(tolerant.out)
                .contains("monitor \"no lock waits\" round 1/5")
                .contains("round 3/5: expectation failed")
                .contains("monitor \"no lock waits\" round 5/5");

        db.reset();
        Cli strict = run(MONITOR.formatted("0"));
        assertThat(strict.exit).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(strict.err)
                .contains("monitor \"no lock waits\": 1 failed round(s) in a row (tolerate 0), at round 3/5");
        assertThat(strict.out).doesNotContain("round 4/5");
    }

    @Test
    void shStepsGetTheConnectionAndTheirExitCodeIsGuarded() {
        Cli r = run("""
                runbook "t" {
                  phase "p" no transaction {
                    sh $$ psql -X -At -c "select 'hello from ' || current_database()" $$
                    sh $$ echo out; exit 3 $$ expect exit 3
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out)
                .contains("| hello from " + db.name())
                .contains("| out")
                .doesNotContain("password");
        assertThat(db.column("select actual from runbook.steps where kind = 'sh' order by id"))
                .containsExactly("exit 0", "exit 3");

        Cli failing = run("runbook \"t2\" { phase \"p\" { sh $$ exit 2 $$ } }");
        assertThat(failing.exit).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(failing.err).contains("sh step failed: expect exit == 0").contains("actual:   2");

        long start = System.nanoTime();
        Cli slow = run("runbook \"t3\" { phase \"p\" { sh $$ sleep 30 $$ timeout 300ms } }");
        assertThat(slow.exit).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(slow.err).contains("sh step did not finish within 300ms: killed");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }
}
