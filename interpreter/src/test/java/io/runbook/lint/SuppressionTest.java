package io.runbook.lint;

import static io.runbook.lint.Lint.phase;
import static io.runbook.lint.Lint.rules;
import static io.runbook.lint.Lint.where;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `-- runbook:allow RULE reason`: per statement, per step, per phase; reasons required. */
class SuppressionTest {
    @TempDir
    Path dir;

    LintReport lint(String runbook, String... files) {
        return Lint.run(dir, runbook, files);
    }

    static final String FILE_STEP = """
            runbook "r" {
              phase "p" {
                sql file "m.sql"
                verify { expect 1 == 1 }
                rollback { sql $$ select 1 $$ }
              }
            }
            """;

    @Test
    void onTheLineBefore() {
        LintReport r = lint(FILE_STEP, "m.sql", """
                select 1;
                -- runbook:allow rename the application reads both names since release 4.2
                alter table orders rename column note to remark;
                alter table orders rename column memo to remark2;
                """);
        assertThat(where(r)).containsExactly("rename 4:20");
        assertThat(r.suppressed()).hasSize(1);
        Finding s = r.suppressed().get(0);
        assertThat(s.pos().line()).isEqualTo(3);
        assertThat(s.suppression().reason()).isEqualTo("the application reads both names since release 4.2");
        assertThat(s.suppression().pos().line()).isEqualTo(2);
    }

    @Test
    void throughOtherCommentLinesButNotAcrossABlankLine() {
        LintReport r = lint(FILE_STEP, "m.sql", """
                select 1;
                -- runbook:allow rename app reads both names
                -- (see ticket 12)
                alter table orders rename column a to b;
                -- runbook:allow rename app reads both names

                alter table orders rename column c to d;
                """);
        assertThat(where(r)).containsExactly("rename 7:20");
        assertThat(r.suppressed()).hasSize(1);
    }

    @Test
    void atTheEndOfTheStatementsFirstLine() {
        LintReport r = lint(FILE_STEP, "m.sql", """
                select 1;
                alter table orders  -- runbook:allow set-not-null orders is tiny (40 rows), checked in preflight
                    alter column customer_id set not null;
                alter table orders alter column x set not null; -- runbook:allow set-not-null also tiny
                alter table orders
                    alter column y set not null; -- runbook:allow set-not-null not on the first line: no effect
                """);
        assertThat(where(r)).containsExactly("set-not-null 6:5");
        assertThat(r.suppressed())
                .extracting(f -> f.suppression().reason())
                .containsExactly("orders is tiny (40 rows), checked in preflight", "also tiny");
    }

    @Test
    void beforeTheFirstStatementOfAFileCoversTheWholeStep() {
        LintReport r = lint(FILE_STEP, "m.sql", """
                -- runbook:allow create-index-not-concurrently orders is small; a short write block is fine in the window
                BEGIN;
                create index i1 on orders (a);
                create index i2 on orders (b);
                alter table orders rename column c to d;
                COMMIT;
                """);
        assertThat(rules(r)).containsExactly("rename");
        assertThat(r.suppressed())
                .extracting(f -> f.rule().id)
                .containsExactly("create-index-not-concurrently", "create-index-not-concurrently");
    }

    @Test
    void beforeTheFirstStatementOfAnInlineBlockCoversTheWholeStep() {
        LintReport r = lint(
                phase(
                        "\n      -- runbook:allow unguarded-bulk-change,rename scratch tables, emptied every night\n"
                                + "      delete from scratch_a;\n      delete from scratch_b;\n      alter table scratch_c rename to scratch_d;\n    "));
        assertThat(rules(r)).isEmpty();
        assertThat(r.suppressed()).hasSize(3);
    }

    @Test
    void aSuppressionWithoutReasonIsAFindingAndSuppressesNothing() {
        LintReport r = lint(
                phase(
                        "\n      select 1;\n      -- runbook:allow rename\n      alter table orders rename to orders_old;\n    "));
        assertThat(where(r)).containsExactly("suppression-without-reason 5:7", "rename 6:26");
        assertThat(r.suppressed()).isEmpty();
    }

    @Test
    void anUnknownRuleIsAFinding() {
        LintReport r = lint(
                phase(
                        "\n      select 1;\n      -- runbook:allow renames typo in the rule name\n      alter table orders rename to orders_old;\n    "));
        assertThat(rules(r)).containsExactly("suppression-unknown-rule", "rename");
        assertThat(r.active().get(0).message()).contains("'renames'");
    }

    @Test
    void blockCommentsWorkToo() {
        LintReport r = lint(
                phase(
                        " select 1;\n      /* runbook:allow rename the old name is a view now */\n      alter table a rename to b "));
        assertThat(rules(r)).isEmpty();
        assertThat(r.suppressed()).hasSize(1);
    }

    @Test
    void insideADoBlockAndAboveTheDoStatement() {
        LintReport r = lint(FILE_STEP, "m.sql", """
                select 1;
                DO $$
                BEGIN
                    IF true THEN
                        -- runbook:allow rename guarded: only when the old column still exists
                        ALTER TABLE orders RENAME COLUMN url TO website;
                    END IF;
                    ALTER TABLE orders RENAME COLUMN a TO b;
                END
                $$;
                -- runbook:allow rename both renames reviewed with the app team
                DO $$ BEGIN ALTER TABLE customers RENAME COLUMN x TO y; END $$;
                """);
        assertThat(where(r)).containsExactly("rename 8:24");
        assertThat(r.suppressed()).hasSize(2);
    }

    @Test
    void aboveAPhaseInTheRunbook() {
        String rb = """
                runbook "r" {
                  # runbook:allow phase-without-verify the next phase verifies both
                  # runbook:allow create-index-not-concurrently empty table in this release
                  phase "p" {
                    sql $$ create index i on orders (a) $$
                    rollback { sql $$ drop index i $$ }
                  }
                }
                """;
        LintReport r = lint(rb);
        assertThat(rules(r)).isEmpty();
        assertThat(r.suppressed())
                .extracting(f -> f.rule().id)
                .containsExactlyInAnyOrder("phase-without-verify", "create-index-not-concurrently");
    }

    @Test
    void aboveASqlStepInTheRunbook() {
        String rb = """
                runbook "r" {
                  phase "p" {
                    -- runbook:allow rename view kept under the old name
                    sql file "m.sql"
                    sql $$ alter table x rename to y $$
                    verify { expect 1 == 1 }
                    rollback { sql $$ select 1 $$ }
                  }
                }
                """;
        LintReport r = lint(rb, "m.sql", "alter table orders rename to orders2;\n");
        assertThat(where(r)).containsExactly("rename 5:26");
        assertThat(r.suppressed()).hasSize(1);
    }

    @Test
    void textInsideAStringIsNotARunbookComment() {
        // The comments come from the lexer: a line of a """ string that looks like an allow is the string's text.
        String rb = """
                runbook "r" {
                  description \"\"\"
                  # runbook:allow phase-without-verify this is part of the description
                  \"\"\" phase "p" {
                    sql $$ create table t (a int) $$
                    rollback { sql $$ drop table t $$ }
                  }
                }
                """;
        LintReport r = lint(rb);
        assertThat(rules(r)).containsExactly("phase-without-verify");
        assertThat(r.suppressed()).isEmpty();
    }

    @Test
    void concurrentlyInTransactionCannotBeSuppressed() {
        LintReport r =
                lint(Lint.noTransaction("\n      -- runbook:allow concurrently-in-transaction it works on my machine\n"
                        + "      do $d$ begin create index concurrently i on orders (a); end $d$\n    "));
        assertThat(rules(r)).containsExactly("concurrently-in-transaction");
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void showSuppressedListsThemWithTheirReason() {
        LintReport r = lint(phase(
                " select 1;\n      -- runbook:allow rename old name kept as a view\n      alter table a rename to b "));
        assertThat(LintOutput.text(r, false))
                .doesNotContain("rename")
                .contains("0 warnings")
                .contains("1 suppressed");
        String shown = LintOutput.text(r, true);
        assertThat(shown)
                .contains("WARNING (suppressed): RENAME TABLE a TO b")
                .contains("[rename]")
                .contains("suppressed at ")
                .contains(": old name kept as a view");
    }
}
