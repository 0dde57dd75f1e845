package io.runbook.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Stepping runbooks by hand: next to the end, failing verify and rollback, half-done phases, reload, checks. */
class ShellRunbookTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(ShellRunbookTest.class);

    @TempDir
    Path dir;

    private ShellDriver shell(Path runbook, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = runbook.toString();
        args[1] = "--db";
        args[2] = db.uri();
        args[3] = "--history=" + dir.resolve("history");
        System.arraycopy(extra, 0, args, 4, extra.length);
        return ShellDriver.start(args);
    }

    private static final Pattern QUESTION_OR_PROMPT =
            Pattern.compile("\\[y/N\\] |to continue: |" + ShellDriver.PROMPT.pattern());

    /** `next`, answering the confirmations (yes, or the word asked for); returns what was printed. */
    private static String next(ShellDriver sh) {
        sh.type("next\n");
        StringBuilder seen = new StringBuilder();
        while (true) {
            String s = sh.waitFor(QUESTION_OR_PROMPT);
            seen.append(s);
            if (s.endsWith("[y/N] ")) {
                sh.type("y\n");
            } else if (s.endsWith("to continue: ")) {
                var m = Pattern.compile("Type \"([^\"]+)\" to continue: $").matcher(s);
                assertThat(m.find()).isTrue();
                sh.type(m.group(1) + "\n");
            } else {
                return seen.toString();
            }
        }
    }

    @Test
    void theExamgenieRunbookSteppedWithNextToTheEnd() {
        Path root = Files.root();
        db.load(root.resolve("examples/examgenie/fixture.sql"));
        StringBuilder transcript = new StringBuilder();
        // the example's 15-minute monitoring window shortened to one round of a second
        try (ShellDriver sh = shell(
                root.resolve("examples/examgenie/align.runbook"),
                "--param",
                "monitor_window=1s",
                "--param",
                "monitor_every=1s")) {
            String plan = sh.prompt();
            assertThat(plan)
                    .contains("runbook \"examgenie: align production with staging\"")
                    .contains("preflight (read-only)\n  > check \"connected to an ExamGenie database")
                    .contains(
                            "phase 1/2 \"main migration: add examgenie_grading + language columns, drop legacy exam system\" (one transaction)")
                    .contains("    check \"6 base tables in public\"")
                    .endsWith("[preflight]=> ");
            int steps = 0;
            while (!transcript.toString().contains("every phase is applied")) {
                String out = next(sh);
                transcript.append(out);
                assertThat(out).doesNotContain("ERROR").doesNotContain("FAIL");
                assertThat(++steps).as(transcript.toString()).isLessThan(40);
                if (out.contains("phase 1/2") && out.contains("ok sql file sql/02_main_migration.sql")) {
                    assertThat(out).endsWith("[phase 1/2]=*> ");
                    assertThat(db.tableExists("examgenie_grading"))
                            .as("not committed while stepping")
                            .isFalse();
                }
            }
            String t = transcript.toString();
            assertThat(t.split("ok committed", -1))
                    .hasSize(2); // the smoke test phase has no transaction (its monitor window)
            assertThat(t)
                    .contains(
                            "ok confirm \"Backup of production verified (exists and restorable)?\"  yes (tester at the terminal)")
                    .contains("ok all foreign key constraints are valid (4 FKs, none NOT VALID)")
                    .contains("ExamGenie production now matches staging")
                    .endsWith("[done]=> ");
            assertThat(t.indexOf("ok committed"))
                    .isGreaterThan(t.indexOf("ok 4 base tables in public (production = staging)"));
            assertThat(db.tableExists("examgenie_grading")).isTrue();
            assertThat(db.tableExists("exams")).isFalse();
            assertThat(db.column("select phase || ' ' || status from runbook.phases order by id"))
                    .containsExactly(
                            "main migration: add examgenie_grading + language columns, drop legacy exam system applied",
                            "application smoke test started", // a `no transaction` phase (its monitor window) journals
                            // its start
                            "application smoke test applied");
            assertThat(sh.line("status")).contains("applied").doesNotContain("pending");
            assertThat(sh.quit()).isEqualTo(ExitCode.OK);
        }
        assertThat(db.column("select command || ' ' || exit_code || ' ' || outcome from runbook.runs"))
                .containsExactly("shell 0 shell ended");
        assertThat(db.scalar("select count(*) from runbook.steps where kind = 'confirm' and answer = 'yes'"))
                .isEqualTo(String.valueOf(transcript.toString().split("ok confirm ", -1).length - 1));
    }

    private static final String TWO_PHASES = """
            import "stdlib/catalog"

            runbook "t" {
              param wanted int = 3
              preflight {
                check "no table a yet" { expect not table_exists("a") }
              }
              phase "one" {
                sql $$ create table a (x int) $$
                rollback { sql $$ drop table a $$ }
              }
              phase "two" {
                sql $$ insert into a values (1), (2) $$
                verify {
                  check "a has ${wanted} rows" { expect scalar $$ select count(*) from a $$ == wanted }
                }
                rollback { sql $$ delete from a $$ }
              }
            }
            """;

    private static boolean tableExists(String name) {
        return db.tableExists(name);
    }

    @Test
    void aFailingVerifyKeepsThePhaseOpenThenRollbackDiscardsItAndRollbackPhaseUndoesTheOneBefore() {
        Path rb = Files.write(dir, "t.runbook", TWO_PHASES);
        try (ShellDriver sh = shell(rb)) {
            sh.prompt();
            next(sh);
            next(sh);
            assertThat(next(sh))
                    .contains("ok committed")
                    .contains("next (phase 2/2)")
                    .endsWith("[phase 2/2]=> ");
            assertThat(tableExists("a")).isTrue();
            next(sh);
            String failed = next(sh);
            assertThat(failed)
                    .contains("FAIL a has 3 rows  expected scalar $$ select count(*) from a $$ == 3, actual 2")
                    .contains("ERROR: check \"a has 3 rows\" failed")
                    .contains("the phase's transaction is still open")
                    .doesNotContain("the phase was rolled back")
                    .endsWith("[phase 2/2]=*> ");
            assertThat(db.scalar("select count(*) from a")).as("uncommitted").isEqualTo("0");
            assertThat(sh.line("select count(*) from a;"))
                    .as("the shell's session sees the phase's work")
                    .contains("     2\n(1 row)");
            assertThat(sh.line("plan"))
                    .contains("  x   check \"a has 3 rows\"  (failed: `next` runs it again)")
                    .contains("phase 2/2 \"two\" (one transaction)  in progress");

            String discarded = sh.line("rollback");
            assertThat(discarded)
                    .contains("rolled back by the operator")
                    .contains("nothing of this phase was applied")
                    .contains("next (phase 2/2): sql $$ insert")
                    .endsWith("[phase 2/2]=> ");
            assertThat(db.column("select phase || ' ' || status from runbook.phases order by id"))
                    .containsExactly("one applied");

            sh.type("rollback one\n");
            sh.waitFor("Run the rollback blocks of \"one\", in that order? [y/N] ");
            sh.type("y\n");
            String undone = sh.prompt();
            assertThat(undone)
                    .contains("rollback \"one\"")
                    .contains("ok sql $$ drop table a $$")
                    .contains("undone by its rollback block")
                    .contains("next (phase 1/2): sql $$ create table a (x int) $$");
            assertThat(tableExists("a")).isFalse();
            assertThat(db.column("select phase || ' ' || status from runbook.phases order by id"))
                    .containsExactly("one applied", "one rolled_back");

            // Fixed by hand: the phase goes through once its data is right.
            next(sh);
            next(sh);
            next(sh);
            sh.line("insert into a values (3);");
            assertThat(next(sh)).contains("ok a has 3 rows");
            assertThat(next(sh)).contains("ok committed").contains("with 1 statement typed at the prompt");
            assertThat(db.scalar("select count(*) from a")).isEqualTo("3");
            assertThat(sh.quit()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void aSecretAndALetComputedFromItShowMaskedInTheShell() {
        Path rb = Files.write(dir, "s.runbook", """
                runbook "s" {
                  param api_key secret text = env("RB_SHELL_NO_SUCH_VARIABLE", "Zq9-s3cr3t-shell")
                  phase "one" {
                    let k = scalar $$ select upper(:'api_key') $$
                    echo "key ${api_key} and ${k}"
                    sql $$ create table a as select :'k'::text as k $$
                  }
                }
                """);
        try (ShellDriver sh = shell(rb)) {
            sh.prompt();
            assertThat(sh.line("set api_key Other-s3cr3t-value")).contains("param api_key = (secret)");
            assertThat(sh.line("run")).contains("ok committed");
            assertThat(sh.line("vars")).contains(" k       | let        | (secret)");
            assertThat(sh.quit()).isEqualTo(ExitCode.OK);
            assertThat(sh.screen().replace("set api_key Other-s3cr3t-value", "")) // only what the operator typed has it
                    .contains("key (secret) and (secret)")
                    .doesNotContainIgnoringCase("s3cr3t");
        }
        assertThat(db.scalar("select k from a")).isEqualTo("OTHER-S3CR3T-VALUE");
        assertThat(db.scalar(
                        "select count(*) from runbook.steps where upper(coalesce(label, '') || coalesce(actual, '')"
                                + " || coalesce(message, '')) like '%S3CR3T%'"))
                .isEqualTo("0");
    }

    @Test
    void runThroughThePreflightRunsEveryCheckThenComesBackToTheFirstFailed() {
        Path rb = Files.write(dir, "t.runbook", """
                runbook "pre" {
                  preflight {
                    expect 1 == 2
                    expect 2 == 3
                    expect 3 == 3
                  }
                  phase "a" {
                    sql $$ create table a (id int) $$
                  }
                }
                """);
        try (ShellDriver sh = shell(rb)) {
            sh.prompt();
            String out = sh.line("run");
            assertThat(out)
                    .contains("expect 1 == 2  expected 1 == 2")
                    .contains("expect 2 == 3  expected 2 == 3")
                    .contains("ok expect 3 == 3")
                    .contains("t.runbook:3:5")
                    .contains("t.runbook:4:5")
                    .contains("2 preflight steps failed: the cursor is back at the first");
            assertThat(sh.line("next")).contains("expect 1 == 2  expected 1 == 2");
            sh.quit();
        }
        assertThat(tableExists("a")).isFalse();
    }

    @Test
    void leavingWithAPhaseHalfDoneRollsItBackAndSaysSo() {
        Path rb = Files.write(dir, "t.runbook", TWO_PHASES);
        try (ShellDriver sh = shell(rb)) {
            sh.prompt();
            sh.line("skip");
            assertThat(next(sh)).endsWith("[phase 1/2]=*> ");
            assertThat(sh.quit()).isEqualTo(ExitCode.ABORTED);
            assertThat(sh.screen())
                    .contains(
                            "phase \"one\" was half-done: its transaction was rolled back, nothing of it was applied");
        }
        assertThat(tableExists("a")).isFalse();
        assertThat(db.column("select outcome from runbook.runs"))
                .containsExactly("left the shell with phase \"one\" half-done: rolled back");
        assertThat(db.column("select label || ' ' || status from runbook.steps where kind = 'skip'"))
                .containsExactly("check \"no table a yet\" skipped");
    }

    @Test
    void typedCommitEndsThePhaseOnlyAfterItsVerifyAndIsJournaled() {
        Path rb = Files.write(dir, "t.runbook", TWO_PHASES);
        try (ShellDriver sh = shell(rb)) {
            sh.prompt();
            sh.line("run");
            sh.line("next");
            sh.line("insert into a values (7);");
            assertThat(sh.line("commit;")).contains("ok committed").contains("with 1 statement typed at the prompt");
            assertThat(db.scalar("select count(*) from a")).isEqualTo("1");
            sh.line("next");
            assertThat(sh.line("commit;"))
                    .contains("phase \"two\" is not finished")
                    .endsWith("=*> ");
            sh.line("delete from a where x = 7;");
            sh.line("set wanted 2");
            assertThat(sh.line("next")).contains("ok a has 2 rows");
            assertThat(sh.line("commit;")).contains("ok committed").contains("[done]=> ");
            assertThat(db.scalar("select count(*) from a")).isEqualTo("2");
            assertThat(db.column("select phase || ' ' || status from runbook.phases order by id"))
                    .containsExactly("one applied", "two applied");
            assertThat(sh.line("begin;")).endsWith("=*> ");
            assertThat(sh.line("rollback"))
                    .as("no phase under way: the typed transaction")
                    .endsWith("[done]=> ");
        }
    }

    @Test
    void checkVerifyVarsAndSetLookWithoutChangingAnything() {
        Path rb = Files.write(dir, "t.runbook", TWO_PHASES);
        try (ShellDriver sh = shell(rb)) {
            sh.prompt();
            assertThat(sh.line("vars")).contains(" wanted | param int | 3");
            assertThat(sh.line("check"))
                    .contains("  1  no table a yet  (preflight)")
                    .contains("  2  a has 3 rows  (verify of \"two\")");
            assertThat(sh.line("check no table")).contains("ok no table a yet").contains("changes nothing");
            assertThat(sh.line("verify two"))
                    .contains("ERROR: relation \"a\" does not exist")
                    .contains("verify does not pass");
            assertThat(sh.line("set wanted 2")).contains("param wanted = 2");
            assertThat(sh.line("set wanted two")).contains("--param wanted=two is not a valid int");
            assertThat(sh.line("check 2")).contains("a has 2 rows");
            sh.line("run preflight");
            sh.line("run one");
            sh.line("next");
            assertThat(sh.line("verify")).contains("ok a has 2 rows").contains("next (phase 2/2): commit \"two\"");
            assertThat(sh.line("plan"))
                    .contains("    verify\n  +   check \"a has 2 rows\"")
                    .contains("  > commit");
            assertThat(sh.line("run two")).contains("ok committed");
            assertThat(db.scalar("select count(*) from runbook.steps where label = 'no table a yet'"))
                    .as("looks are not journaled")
                    .isEqualTo("1");
        }
    }

    @Test
    void reloadKeepsProgressWhereThePlanIsUnchanged() {
        Path rb = Files.write(dir, "t.runbook", TWO_PHASES);
        try (ShellDriver sh = shell(rb)) {
            sh.prompt();
            sh.line("run preflight");
            sh.line("run one");
            sh.line("next");
            Files.write(
                    dir,
                    "t.runbook",
                    TWO_PHASES.replace("insert into a values (1), (2)", "insert into a values (1), (2), (3)"));
            sh.type("reload\n");
            sh.waitFor("Phase \"two\" changed and is under way: roll back its transaction and reload? [y/N] ");
            sh.type("y\n");
            String out = sh.prompt();
            assertThat(out)
                    .contains("new or changed: \"two\"")
                    .contains("next (phase 2/2): sql $$ insert into a values (1), (2), (3) $$");
            assertThat(sh.line("plan"))
                    .contains("  + sql $$ create table a (x int) $$")
                    .contains("  > sql $$ insert into a values (1), (2), (3) $$");
            assertThat(sh.line("run")).contains("ok a has 3 rows").contains("ok committed");
        }
    }

    @Test
    void aSecondShellOnTheSameRunbookIsRefused() {
        Path rb = Files.write(dir, "t.runbook", TWO_PHASES);
        try (ShellDriver first = shell(rb)) {
            first.prompt();
            try (ShellDriver second = shell(rb)) {
                assertThat(second.exit()).isEqualTo(ExitCode.LOCKED);
                assertThat(second.err()).contains("already running: runbook \"t\" is being run by tester");
            }
        }
    }

    @Test
    void tabCompletesPhaseNamesAndTables() {
        db.execute(
                "create table customers (id int, country text); create table orders (id int); create table order_lines (id int)");
        Path rb = Files.write(dir, "t.runbook", TWO_PHASES.replace("phase \"two\"", "phase \"two: load rows\""));
        try (ShellDriver sh =
                ShellDriver.startAnsi(rb.toString(), "--db", db.uri(), "--history=" + dir.resolve("history"))) {
            sh.waitFor("[preflight]=> ");
            sh.type("verify tw\t\n");
            assertThat(sh.waitFor("(now, changes nothing)")).contains("verify \"two: load rows\"");
            sh.type("select country from cust\t;\n");
            assertThat(sh.waitFor("(0 rows)")).contains("country");
            sh.type("select * from ord\t");
            sh.waitFor("order_lines");
            sh.waitFor("orders");
            sh.type("s;\n");
            assertThat(sh.waitFor("(0 rows)")).contains(" id");
        }
    }

    @Test
    void completionCandidates() {
        Completion c = new Completion(new Completion.Names() {
            public List<String> phases() {
                return List.of("main migration", "smoke test");
            }

            public List<String> checks() {
                return List.of("no table a yet");
            }

            public List<String> variables() {
                return List.of("wanted", "rows_before");
            }

            public List<Catalog.Table> tables() {
                return List.of(
                        new Catalog.Table("public", "orders", true, List.of("id", "customer_id")),
                        new Catalog.Table("billing", "invoices", false, List.of("id", "total")));
            }
        });
        assertThat(c.values(Input.words("ru", 2))).contains("run", "rollback", "select");
        assertThat(c.values(Input.words("run ma", 6))).containsExactly("main migration", "smoke test", "preflight");
        assertThat(c.values(Input.words("rollback ", 9))).containsExactly("main migration", "smoke test");
        assertThat(c.values(Input.words("check no", 8))).containsExactly("no table a yet");
        assertThat(c.values(Input.words("set wa", 6))).containsExactly("wanted", "rows_before");
        assertThat(c.values(Input.words("select * from or", 16)))
                .containsExactly("orders", "billing.invoices", "billing.", "public.");
        assertThat(c.values(Input.words("select cu from orders", 9))).contains("id", "customer_id", "select");
        assertThat(c.values(Input.words("select billing.invoices.t", 25)))
                .containsExactly("billing.invoices.id", "billing.invoices.total");
        assertThat(c.values(Input.words("select * from billing.", 22))).containsExactly("billing.invoices");
        assertThat(c.values(Input.words("select :w", 9))).containsExactly(":wanted", ":rows_before");
    }
}
