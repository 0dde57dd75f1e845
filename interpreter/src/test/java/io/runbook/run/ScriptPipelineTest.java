package io.runbook.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQL file long enough that its statements go to the server in several batches, one running while the next is
 * read: what an operator sees must be what psql would show for the same file.
 */
class ScriptPipelineTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(ScriptPipelineTest.class);

    @TempDir
    Path dir;

    private static final String RUNBOOK = "runbook \"t\" {\n  phase \"p\" {\n    sql file \"main.sql\"\n  }\n}\n";

    /** create table t, then inserts of 2..lines, with line `bad` (if any) replaced by `replacement`. */
    private Cli run(int lines, int bad, String replacement) {
        StringBuilder sql = new StringBuilder("create table t (x int);\n");
        for (int i = 2; i <= lines; i++) {
            sql.append(i == bad ? replacement : "insert into t values (" + i + ");")
                    .append('\n');
        }
        Files.write(dir, "main.sql", sql.toString());
        return Cli.runFile(null, Files.write(dir, "t.runbook", RUNBOOK), db.uri(), "--yes");
    }

    @Test
    void everyStatementOfAFileInManyBatchesRunsOnceAndIsCounted() {
        Cli r = run(3_000, 0, null);
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("3000 statements");
        assertThat(db.scalar("select count(*) || ' ' || count(distinct x) || ' ' || sum(x) from t"))
                .isEqualTo("2999 2999 " + (3_000L * 3_001 / 2 - 1));
    }

    @Test
    void aFailureDeepInTheFileIsShownAtItsOwnLineAndRollsBackThePhase() {
        Cli r = run(3_000, 2_345, "insert into  missing_table values (1);");
        assertThat(r.exit).as(r.toString()).isEqualTo(4);
        assertThat(r.err)
                .contains("main.sql:2345:14: ERROR: relation \"missing_table\" does not exist")
                .contains(" 2345 | insert into  missing_table values (1);")
                .contains("the phase was rolled back");
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void anEchoAfterAFailedStatementIsNotPrinted() {
        StringBuilder sql = new StringBuilder("create table t (x int);\n");
        for (int i = 0; i < 100; i++)
            sql.append("insert into t values (").append(i).append(");\n");
        sql.append("\\echo before the failure\n");
        sql.append("insert into t values ('not a number');\n");
        for (int i = 0; i < 100; i++)
            sql.append("insert into t values (").append(i).append(");\n");
        sql.append("\\echo after the failure\n");
        Files.write(dir, "main.sql", sql.toString());
        Cli r = Cli.runFile(null, Files.write(dir, "t.runbook", RUNBOOK), db.uri(), "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(4);
        assertThat(r.err).contains("main.sql:103:23: ERROR: invalid input syntax for type integer");
        assertThat(r.out).contains("before the failure").doesNotContain("after the failure");
        assertThat(db.tableExists("t")).isFalse();
    }
}
