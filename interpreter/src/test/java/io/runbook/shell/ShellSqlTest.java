package io.runbook.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shell without a runbook: SQL over several lines, results, transactions in the prompt, Ctrl-C, Ctrl-D, history. */
class ShellSqlTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(ShellSqlTest.class);

    @TempDir
    Path dir;

    @BeforeEach
    void clean() {
        db.reset();
        db.execute(
                "create table items (id int primary key, name text, qty int); insert into items values (1, 'bolt', 10), (2, 'nut', 20), (3, null, 0)");
    }

    private ShellDriver shell(String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "--db";
        args[1] = db.uri();
        args[2] = "--history=" + dir.resolve("history");
        System.arraycopy(extra, 0, args, 3, extra.length);
        return ShellDriver.start(args);
    }

    @Test
    void sqlTypedAcrossLinesRunsAtTheSemicolonRespectingQuotesAndDollarQuotes() {
        try (ShellDriver sh = shell()) {
            sh.prompt();
            sh.type("select id, name,\n");
            sh.waitFor("-> ");
            sh.type("  'a;b' as quoted, $$ dollar ; quoted $$ as dollar\n");
            sh.waitFor("-> ");
            sh.type("from items -- a comment; not the end\n");
            sh.waitFor("-> ");
            String out = sh.line("order by id;");
            assertThat(out).contains(" id | name | quoted |      dollar");
            assertThat(out).contains("  1 | bolt | a;b    |  dollar ; quoted");
            assertThat(out).contains("  3 | NULL | a;b");
            assertThat(out).contains("(3 rows)");
            assertThat(out).containsPattern("Time: \\d+\\.\\d{3} ms");

            out = sh.line("update items set qty = qty + 1 where id < 3; delete from items where id = 3;");
            assertThat(out).contains("UPDATE 2").contains("DELETE 1");
            assertThat(db.scalar("select sum(qty) from items")).isEqualTo("32");
            assertThat(sh.quit()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void aOneWordNonCommandIsSaidToBeOneAndDoesNotSwallowTheNextLine() {
        try (ShellDriver sh = shell()) {
            sh.prompt();
            assertThat(sh.line("clear")).contains("`clear` is not a command (Ctrl-L clears the screen)");
            assertThat(sh.line("help")).contains("run [PHASE]");
            assertThat(sh.line("ls")).contains("`ls` is not a command; `help` lists the commands");
            sh.type("select\n");
            sh.waitFor("-> ");
            assertThat(sh.line("count(*) from items;")).contains("3");
            assertThat(sh.quit()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void theOpenTransactionIsShownInThePromptAsPsqlDoes() {
        try (ShellDriver sh = shell()) {
            sh.prompt();
            assertThat(sh.line("begin;")).endsWith("=*> ");
            sh.line("insert into items values (4, 'washer', 5);");
            assertThat(db.scalar("select count(*) from items"))
                    .as("not committed yet")
                    .isEqualTo("3");
            String failed = sh.line("select 1/0;");
            assertThat(failed).contains("ERROR: division by zero").endsWith("=!> ");
            assertThat(sh.line("select 1;"))
                    .contains("current transaction is aborted")
                    .endsWith("=!> ");
            assertThat(sh.line("rollback;")).endsWith("=> ");
            assertThat(db.scalar("select count(*) from items")).isEqualTo("3");
            assertThat(sh.line("select nme from items;"))
                    .contains("ERROR: column \"nme\" does not exist")
                    .contains("LINE 1: select nme from items;")
                    .contains("               ^");
        }
    }

    @Test
    void expandedViewOnDemand() {
        try (ShellDriver sh = shell()) {
            sh.prompt();
            String out = sh.line("select * from items where id = 1 \\gx");
            assertThat(out)
                    .contains("-[ RECORD 1 ]")
                    .contains("id   | 1")
                    .contains("name | bolt")
                    .contains("qty  | 10");
            assertThat(sh.line("\\x")).contains("Expanded display is on.");
            assertThat(sh.line("select id, name from items order by id limit 2;"))
                    .contains("-[ RECORD 2 ]")
                    .contains("name | nut");
            sh.line("\\x off");
            assertThat(sh.line("select id from items where id = 1;")).contains(" id\n----\n  1\n(1 row)");
        }
    }

    @Test
    void ctrlCCancelsTheRunningStatementOnTheServerAndTheSessionStaysUsable() {
        try (ShellDriver sh = shell()) {
            sh.prompt();
            sh.type("select pg_sleep(30) as slept;\n");
            long deadline = System.nanoTime() + ShellDriver.WAIT_NANOS;
            while (!"1"
                    .equals(
                            db.scalar(
                                    "select count(*) from pg_stat_activity where query like 'select pg_sleep(30)%' and state = 'active' and datname = current_database()"))) {
                assertThat(System.nanoTime()).as("pg_sleep never started").isLessThan(deadline);
                Thread.onSpinWait();
            }
            long start = System.nanoTime();
            sh.type("\u0003");
            String out = sh.waitFor(ShellDriver.PROMPT);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(out).contains("ERROR: canceling statement due to user request");
            assertThat(ms).as("back at the prompt within a second").isLessThan(1000);
            assertThat(
                            db.scalar(
                                    "select count(*) from pg_stat_activity where query like 'select pg_sleep(30)%' and state = 'active' and datname = current_database()"))
                    .isEqualTo("0");
            assertThat(sh.line("select 42 as answer;")).contains("     42").contains("(1 row)");
            assertThat(sh.quit()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void ctrlDQuitsAskingFirstWhenATransactionIsOpen() throws Exception {
        try (ShellDriver sh = shell()) {
            sh.prompt();
            sh.line("begin;");
            sh.line("delete from items;");
            sh.type("\u0004");
            sh.waitFor("a transaction is open: roll it back and quit? [y/N] ");
            sh.type("n\n");
            assertThat(sh.prompt()).endsWith("=*> ");
            sh.type("\u0004");
            sh.waitFor("roll it back and quit? [y/N] ");
            sh.type("y\n");
            assertThat(sh.exit()).isEqualTo(ExitCode.OK);
            assertThat(sh.screen()).contains("the open transaction was rolled back");
            assertThat(db.scalar("select count(*) from items")).isEqualTo("3");
        }
        assertThat(Files.readString(dir.resolve("history"))).contains("delete from items;");
    }

    @Test
    void ctrlDWithoutTransactionQuitsAtOnceAndHistoryIsKept() throws Exception {
        try (ShellDriver sh = shell()) {
            sh.prompt();
            sh.line("select 'remember me';");
            sh.type("\u0004");
            assertThat(sh.exit()).isEqualTo(ExitCode.OK);
        }
        assertThat(Files.readString(dir.resolve("history"))).contains("select 'remember me';");
        try (ShellDriver sh = ShellDriver.startAnsi("--db", db.uri(), "--history=" + dir.resolve("history"))) {
            sh.waitFor("=> ");
            sh.type("\u0010\n"); // Ctrl-P (previous line), Enter: the last session's line runs again
            assertThat(sh.waitFor("(1 row)")).contains(" remember me");
        }
    }

    @Test
    void variablesAreSubstitutedLikeInTheRunbooksSql() {
        try (ShellDriver sh = shell("-p", "wanted=2")) {
            sh.prompt();
            assertThat(sh.line("select name from items where id = :wanted;")).contains(" nut");
            assertThat(sh.line("set who bolt")).contains("who = \"bolt\"");
            assertThat(sh.line("select id from items where name = :'who';")).contains("  1\n(1 row)");
            assertThat(sh.line("select :nothing;")).contains("ERROR: variable :nothing has no value");
            assertThat(sh.line("next")).contains("`next` needs a runbook");
        }
    }
}
