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

/** `expect duration < X` cancels the statement on the server at X, and the phase rolls back. */
class DurationGuardTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(DurationGuardTest.class);

    @TempDir
    Path dir;

    private String stillRunning(String marker) {
        return db.scalar(
                "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
                        + " and state = 'active' and query like '%" + marker + "%'");
    }

    @Test
    void aStatementPastItsLimitIsCancelledOnTheServerAndThePhaseRollsBack() {
        Cli r = Cli.runFile(null, Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "slow" {
                    sql $$ create table made (x int) $$
                    sql $$ select pg_sleep(8), 'marker-slow' $$ expect duration < 1s
                  }
                }
                """), db.uri(), "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(r.err)
                .contains("expectation failed: duration < 1s")
                .contains("cancelled at the limit")
                .contains("expected: duration < 1s")
                .contains("actual:   still running at 1.00s, cancelled on the server after");
        assertThat(stillRunning("marker-slow"))
                .as("the backend no longer runs it")
                .isEqualTo("0");
        assertThat(db.tableExists("made")).as("the phase rolled back").isFalse();
        assertThat(db.column("select status || ': ' || actual from runbook.steps where kind = 'expect'"))
                .as("journaled with expected and actual")
                .singleElement()
                .asString()
                .startsWith("failed: still running at 1.00s");
    }

    @Test
    void aFileGuardCoversTheWholeFileAndBetweenAndLessOrEqualAreLimitsToo() {
        Files.write(dir, "three.sql", """
                select pg_sleep(0.6), 'marker-file-1';
                select pg_sleep(0.6), 'marker-file-2';
                select pg_sleep(8), 'marker-file-3';
                """);
        Cli r = Cli.runFile(null, Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "file" no transaction { sql file "three.sql" expect duration between 0s and 1s }
                  phase "le" { sql $$ select pg_sleep(8), 'marker-le' $$ expect duration <= 500ms }
                }
                """), db.uri(), "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(r.err).contains("(sql file three.sql): cancelled at the limit");
        assertThat(stillRunning("marker-file")).isEqualTo("0");

        Cli le = Cli.runFile(null, Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "le" { sql $$ select pg_sleep(8), 'marker-le' $$ expect duration <= 500ms }
                }
                """), db.uri(), "--yes");
        assertThat(le.exit).as(le.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(le.err).contains("expectation failed: duration <= 500ms").contains("cancelled at the limit");
    }

    @Test
    void aStatementWithinItsLimitPasses() {
        Cli r = Cli.runFile(null, Files.write(dir, "t.runbook", """
                runbook "t" { phase "quick" { sql $$ create table made (x int) $$ expect duration < 30s } }
                """), db.uri(), "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.tableExists("made")).isTrue();
    }
}
