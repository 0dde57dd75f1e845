package io.runbook.lint;

import static io.runbook.lint.Lint.rules;
import static io.runbook.lint.Lint.where;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where findings point, what the walk remembers between statements, and what only the token analyser reads. */
class LintPositionsTest {
    @TempDir
    Path dir;

    LintReport lint(String runbook, String... files) {
        return Lint.run(dir, runbook, files);
    }

    @Test
    void sqlFilesArePositionedInTheFile() {
        String rb = """
                runbook "r" {
                  phase "p" {
                    sql file "m.sql"
                    verify { expect 1 == 1 }
                    rollback { sql $$ select 1 $$ }
                  }
                }
                """;
        LintReport r = lint(
                rb,
                "m.sql",
                "BEGIN;\n-- a comment\nselect 1;\n\nalter table orders\n    alter column a set not null;\nCOMMIT;\n");
        assertThat(where(r)).containsExactly("set-not-null 6:5");
        assertThat(r.active().get(0).pos().file().name()).endsWith("m.sql");
    }

    @Test
    void psqlVariablesGoToTheTokenAnalyser() {
        String rb = """
                runbook "r" {
                  param tbl text = "orders"
                  phase "p" {
                    sql $$ alter table :"tbl" rename column a to b $$
                    verify { expect 1 == 1 }
                    rollback { sql $$ select 1 $$ }
                  }
                }
                """;
        LintReport r = lint(rb);
        assertThat(rules(r)).containsExactly("rename");
        assertThat(r.active().get(0).message()).contains(":\"tbl\"");
        assertThat(r.stats().tokens()).isEqualTo(1);
    }

    @Test
    void rollbackBlocksDoNotLeakWhatTheyCreate() {
        String rb = """
                runbook "r" {
                  phase "one" {
                    sql $$ select 1 $$
                    verify { expect 1 == 1 }
                    rollback { sql $$ create table archive (id int); create index archive_id on archive (id) $$ }
                  }
                  phase "two" {
                    sql $$ create index archive_id2 on archive (id) $$
                    verify { expect 1 == 1 }
                    rollback { sql $$ select 1 $$ }
                  }
                }
                """;
        assertThat(where(lint(rb))).containsExactly("create-index-not-concurrently 8:12");
    }

    @Test
    void statementsInADoBlockRunInATransactionEvenInANoTransactionPhase() {
        LintReport r =
                lint(Lint.noTransaction(" do $d$ begin alter table orders add constraint c check (a > 0); end $d$ "));
        assertThat(where(r)).containsExactly("constraint-not-valid 3:44");
    }

    @Test
    void checkStepsAndVerifyBlocksAreLintedToo() {
        String rb = """
                runbook "r" {
                  phase "p" {
                    check "cleanup" {
                      sql $$ delete from sessions $$
                    }
                    verify { sql $$ update stats set n = 0 $$ }
                    rollback { sql $$ select 1 $$ }
                  }
                }
                """;
        assertThat(where(lint(rb))).containsExactly("unguarded-bulk-change 4:14", "unguarded-bulk-change 6:21");
    }
}
