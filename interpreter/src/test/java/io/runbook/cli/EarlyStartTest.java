package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` connects and loads before picocli reads the line, from a plain reading of it: whatever that reading finds,
 * the run uses what picocli read, and a line picocli refuses runs nothing.
 */
class EarlyStartTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(EarlyStartTest.class);

    @TempDir
    Path dir;

    private Path runbook(String name, String phase, String table) throws Exception {
        return Files.write(dir, name, """
                runbook "early" {
                  phase "%s" { sql $$ create table %s (id int) $$ }
                }
                """.formatted(phase, table));
    }

    @Test
    void theDbOptionWithAnEqualsSignIsTheTarget() throws Exception {
        Path rb = runbook("a.runbook", "a", "a");
        Cli run = Cli.run("run", rb.toString(), "--db=" + db.uri(), "--yes");
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("target: ").contains("/" + db.name() + " (from --db)");
        assertThat(db.tableExists("a")).isTrue();
    }

    @Test
    void aWordEndingInRunbookBeforeTheFileIsNotTakenForIt() throws Exception {
        // the plain reading takes the first word ending in .runbook: here the phase that --only names
        Path rb = runbook("real.runbook", "p.runbook", "b");
        Cli run = Cli.run("run", "--only", "p.runbook", rb.toString(), "--db", db.uri(), "--yes");
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("phase 1/1 \"p.runbook\"");
        assertThat(db.tableExists("b")).isTrue();
    }

    @Test
    void aLinePicocliRefusesRunsNothing() throws Exception {
        Path rb = runbook("d.runbook", "d", "d");
        Cli run = Cli.run("run", rb.toString(), "--db", db.uri(), "--no-such-option");
        assertThat(run.exit).as(run.toString()).isEqualTo(2);
        assertThat(run.err).contains("Unknown option: '--no-such-option'");
        assertThat(run.out).doesNotContain("target:");
        assertThat(db.tableExists("d")).isFalse();
        Cli help = Cli.run("run", rb.toString(), "--db", db.uri(), "--help");
        assertThat(help.exit).isZero();
        assertThat(help.out).contains("--db=URL");
        assertThat(db.scalar("select count(*) from pg_namespace where nspname = 'runbook'"))
                .isEqualTo("0");
    }
}
