package io.runbook.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A concurrent index build that fails half-way never passes for done: its INVALID index is dropped and built again. */
class IndexBuildsTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(IndexBuildsTest.class);

    @TempDir
    Path dir;

    @BeforeEach
    void clean() {
        db.reset();
        db.execute("create table t (x int); insert into t values (1), (1), (2)");
    }

    private static final String RUNBOOK = """
            runbook "idx" {
              phase "index" no transaction {
                sql $$ create unique index concurrently if not exists t_x on t (x) $$
              }
            }
            """;

    private String invalidIndexes() {
        return db.scalar("select count(*) from pg_index where not indisvalid and indrelid = 't'::regclass");
    }

    @Test
    void aUniqueBuildOnDuplicatesFailsAndARerunAfterTheFixBuildsAnEnforcingIndex() {
        Path file = Files.write(dir, "idx.runbook", RUNBOOK);
        Cli failed = Cli.runFile(null, file, db.uri(), "--yes");
        assertThat(failed.exit).as(failed.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(failed.err).contains("index t_x is INVALID").contains("dropping it concurrently");
        assertThat(invalidIndexes()).as("no INVALID index left behind").isEqualTo("0");
        // nothing of the phase committed, and the journal says so (not `started`, which asks for --rerun)
        assertThat(db.column("select status from runbook.phases where phase = 'index' order by id"))
                .containsExactly("started", "failed");
        assertThat(db.scalar("select detail from runbook.phases where status = 'failed'"))
                .contains("could not create unique index")
                .contains("no statement had committed")
                .contains("the INVALID index t_x the failed build left was dropped");

        db.execute("delete from t where ctid = (select max(ctid) from t where x = 1)");
        Cli rerun = Cli.runFile(null, file, db.uri(), "--yes");
        assertThat(rerun.exit).as(rerun.toString()).isEqualTo(ExitCode.OK);
        assertThat(rerun.err).contains("phase \"index\" failed in run #1 with nothing of it committed: it runs again");
        assertThat(db.scalar("select indisvalid and indisunique from pg_index where indexrelid = 't_x'::regclass"))
                .isEqualTo("t");
        assertThatThrownBy(() -> db.execute("insert into t values (2)")).hasMessageContaining("duplicate key");
    }

    @Test
    void anInvalidIndexLeftByHandIsDroppedAndBuiltAgainNotSkippedByIfNotExists() {
        assertThatThrownBy(() -> db.execute("create unique index concurrently t_x on t (x)"))
                .hasMessageContaining("could not create unique index");
        assertThat(invalidIndexes()).isEqualTo("1");
        db.execute("delete from t where ctid = (select max(ctid) from t where x = 1)");

        Cli run = Cli.runFile(null, Files.write(dir, "idx.runbook", RUNBOOK), db.uri(), "--yes");
        assertThat(run.exit).as(run.toString()).isEqualTo(ExitCode.OK);
        assertThat(run.err + run.out).contains("index t_x is INVALID").contains("before building it again");
        assertThat(db.scalar("select indisvalid from pg_index where indexrelid = 't_x'::regclass"))
                .isEqualTo("t");
        assertThat(db.column("select status from runbook.phases where phase = 'index'"))
                .containsExactly("started", "applied");
        assertThatThrownBy(() -> db.execute("insert into t values (1)")).hasMessageContaining("duplicate key");
    }

    @Test
    void aReindexConcurrentlyDropsTheInvalidCopyAnEarlierOneLeft() {
        db.execute("create index t_x on t (x)");
        // what a failed REINDEX CONCURRENTLY leaves: an INVALID copy named <index>_ccnew
        assertThatThrownBy(() -> db.execute("create unique index concurrently t_x_ccnew on t (x)"))
                .hasMessageContaining("could not create unique index");
        assertThat(invalidIndexes()).isEqualTo("1");
        Cli run = Cli.runFile(null, Files.write(dir, "re.runbook", """
                runbook "re" {
                  phase "rebuild" no transaction { sql $$ reindex index concurrently t_x $$ }
                }
                """), db.uri(), "--yes");
        assertThat(run.exit).as(run.toString()).isEqualTo(ExitCode.OK);
        assertThat(run.err + run.out).contains("index t_x_ccnew is INVALID");
        assertThat(invalidIndexes()).isEqualTo("0");
        assertThat(db.scalar("select indisvalid from pg_index where indexrelid = 't_x'::regclass"))
                .isEqualTo("t");
    }
}
