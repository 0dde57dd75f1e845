package io.runbook.rehearse;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A rehearsal blames the phase whose rollback introduced a difference, once, and gives every verdict. */
class RehearseVerdictTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(RehearseVerdictTest.class);

    @TempDir
    Path dir;

    private Path runbook(String middleRollback, String lastPhaseSql) {
        Files.write(dir, "fixture.sql", "create table t (a int, b int, c int);\n");
        return Files.write(dir, "r.runbook", """
                runbook "three" {
                  fixture "fixture.sql"
                  phase "add table x" {
                    sql $$ create table x (id int) $$
                    rollback { sql $$ drop table x $$ }
                  }
                  phase "drop column b" {
                    sql $$ alter table t drop column b $$
                    rollback { sql $$ %s $$ }
                  }
                  phase "index t.a" {
                    sql $$ %s $$
                    rollback { sql $$ drop index t_a $$ }
                  }
                }
                """.formatted(middleRollback, lastPhaseSql));
    }

    private Cli rehearse(Path rb) {
        return Cli.run("rehearse", rb.toString(), "--db", db.uri());
    }

    @Test
    void onlyTheMiddlePhaseWhoseRollbackReAddsAColumnAtTheEndFails() {
        Cli r = rehearse(runbook("alter table t add column b int", "create index t_a on t (a)"));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        String verdict = r.out.substring(r.out.indexOf("verdict"));
        assertThat(verdict)
                .as(r.toString())
                .contains("ok index t.a: forward ok, rollback restores schema exactly")
                .contains(
                        "FAIL drop column b: forward ok; ROLLBACK CHANGES THE COLUMN ORDER only (the same columns, in another order")
                .contains(
                        "ok add table x: forward ok, rollback undoes its own changes exactly; 1 difference left by a later phase's rollback, reported there")
                .contains("ok forward again: every phase runs again after its rollback");
        assertThat(verdict.lines()
                        .filter(l ->
                                l.contains("~ table public.t column order: a, b, c -> a, c, b   (column order only)")))
                .as("the difference is reported at the phase that introduced it, and in the whole-runbook comparison")
                .hasSize(2);
        assertThat(verdict.lines().filter(l -> l.startsWith("  FAIL ")))
                .as(verdict)
                .containsExactly(
                        "  FAIL drop column b: forward ok; ROLLBACK CHANGES THE COLUMN ORDER only ("
                                + Drift.COLUMN_ORDER_WHY + "):",
                        "  FAIL whole runbook: after every rollback the schema differs from the fixture's:");
    }

    @Test
    void everyVerdictIsPrintedAfterAForwardFailure() {
        Cli r = rehearse(runbook("alter table t add column b int", "select 1/0"));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        String verdict = r.out.substring(r.out.indexOf("verdict"));
        assertThat(verdict)
                .as(r.toString())
                .contains("FAIL index t.a: forward failed (exit 4)")
                .contains("whole runbook:")
                .contains("FAIL forward again: NOT RUN: the forward pass failed at \"index t.a\"");
    }
}
