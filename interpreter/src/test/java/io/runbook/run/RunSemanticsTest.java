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

/** The execution rules operators rely on, each checked against database state and exit code. */
class RunSemanticsTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(RunSemanticsTest.class);

    @TempDir
    Path dir;

    private Cli run(String runbook, String... extra) {
        return Cli.runFile(null, Files.write(dir, "t.runbook", runbook), db.uri(), extra);
    }

    @Test
    void failedGuardRollsBackItsPhaseAndStops() {
        Cli r = run("""
                runbook "t" {
                  phase "one" { sql $$ create table a (x int); insert into a values (1), (2) $$ }
                  phase "two" {
                    sql $$ insert into a values (3) $$
                    sql $$ delete from a $$ expect affected <= 2
                  }
                  phase "three" { sql $$ create table c (x int) $$ }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(db.column("select x from a order by x")).containsExactly("1", "2");
        assertThat(db.tableExists("c")).isFalse();
        assertThat(r.err)
                .contains("t.runbook:5:36: ERROR: expectation failed: affected <= 2")
                .contains("expected: affected <= 2")
                .contains("actual:   3");
        assertThat(r.out)
                .contains("two")
                .contains("failed, rolled back")
                .contains("three")
                .contains("not run");
    }

    @Test
    void verifyRunsInsideThePhaseTransactionBeforeCommit() {
        Cli r = run("""
                runbook "t" {
                  phase "p" {
                    sql $$ create table a (x int); insert into a values (1) $$
                    verify {
                      expect count $$ select * from a $$ == 1
                      expect scalar $$ select count(*) from pg_stat_activity where pid = pg_backend_pid() and state = 'active' and backend_xid is not null $$ == 1
                      expect scalar $$ select sum(x) from a $$ == 2
                    }
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(db.tableExists("a"))
                .as("a failed verify rolls back the phase")
                .isFalse();
        assertThat(r.err)
                .contains("expected: scalar $$ select sum(x) from a $$ == 2")
                .contains("actual:   1");
    }

    @Test
    void noTransactionPhaseRunsStatementsOnTheirOwnAndReportsWhatCommitted() {
        Cli ok = run("""
                runbook "t" {
                  phase "table" { sql $$ create table a (x int) $$ }
                  phase "index" no transaction {
                    sql $$ create index concurrently a_x on a (x) $$
                    verify { expect scalar $$ select indisvalid from pg_index where indexrelid = 'a_x'::regclass $$ == true }
                  }
                }
                """);
        assertThat(ok.exit).as(ok.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.scalar("select count(*) from pg_indexes where indexname = 'a_x'"))
                .isEqualTo("1");

        db.reset();
        Cli bad = run("""
                runbook "t" {
                  phase "steps" no transaction {
                    sql $$ create table b (x int); insert into b values (1); insert into nope values (1) $$
                  }
                }
                """);
        assertThat(bad.exit).as(bad.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(db.column("select x from b")).containsExactly("1");
        assertThat(bad.err)
                .contains("relation \"nope\" does not exist")
                .contains("already committed:")
                .contains("create table b (x int)")
                .contains("insert into b values (1)");
        assertThat(bad.out).contains("failed, partly committed");
    }

    @Test
    void onFailureRollbackUndoesCommittedPhasesInReverseOrder() {
        db.execute("create table log (n serial, what text)");
        Cli r = run("""
                runbook "t" {
                  phase "one" {
                    sql $$ create table a (x int) $$
                    rollback { sql $$ drop table a; insert into log (what) values ('undo one') $$ }
                  }
                  phase "two" {
                    sql $$ create table b (x int) $$
                    rollback { sql $$ drop table b; insert into log (what) values ('undo two') $$ }
                  }
                  phase "three" { sql $$ select 1/0 $$ }
                }
                """, "--on-failure", "rollback");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(db.column("select what from log order by n")).containsExactly("undo two", "undo one");
        assertThat(db.tableExists("a")).isFalse();
        assertThat(db.tableExists("b")).isFalse();
        assertThat(r.err).contains("t.runbook:10:26: ERROR: division by zero");
    }

    @Test
    void stopLeavesCommittedPhasesAndRollbackCommandUndoesThemOnDemand() {
        String rb = """
                runbook "t" {
                  phase "one" {
                    sql $$ create table a (x int) $$
                    rollback { sql $$ drop table if exists a $$ }
                  }
                  phase "two" {
                    sql $$ create table b (x int) $$
                    rollback { sql $$ drop table if exists b $$ }
                  }
                  phase "three" { expect 1 == 2 }
                }
                """;
        Cli r = run(rb);
        assertThat(r.exit).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(db.tableExists("a")).isTrue();
        assertThat(db.tableExists("b")).isTrue();
        assertThat(r.err).contains("`runbook rollback` undoes them");

        Cli undo = Cli.run("rollback", dir.resolve("t.runbook").toString(), "--db", db.uri(), "--to", "one", "--yes");
        assertThat(undo.exit).as(undo.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.tableExists("b")).isFalse();
        assertThat(db.tableExists("a")).as("--to keeps the named phase").isTrue();

        Cli noTerminal = Cli.run("rollback", dir.resolve("t.runbook").toString(), "--db", db.uri());
        assertThat(noTerminal.exit).isEqualTo(ExitCode.NEEDS_TERMINAL);
        assertThat(db.tableExists("a")).isTrue();
    }

    @Test
    void preflightIsReadOnlyAndMustPassBeforeAnyPhase() {
        db.execute("create table a (x int)");
        Cli r = run("""
                runbook "t" {
                  preflight {
                    sql $$ insert into a values (1) $$
                  }
                  phase "p" { sql $$ create table b (x int) $$ }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(r.err)
                .contains("cannot execute INSERT in a read-only transaction")
                .contains("SQLSTATE 25006");
        assertThat(db.scalar("select count(*) from a")).isEqualTo("0");
        assertThat(db.tableExists("b")).isFalse();

        Cli failing = run("""
                runbook "t" {
                  preflight { check "a is not empty" { expect count $$ select * from a $$ > 0 } }
                  phase "p" { sql $$ create table b (x int) $$ }
                }
                """);
        assertThat(failing.exit).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(failing.err).contains("check \"a is not empty\" failed").contains("actual:   0");
        assertThat(db.tableExists("b")).isFalse();
    }

    @Test
    void quotedVariablesStaySafeForHostileValues() {
        db.execute("create table x (id int); create table t (v text)");
        String hostile = "'); drop table x; --";
        Cli r = run("""
                runbook "t" {
                  param v text = "none"
                  phase "p" {
                    sql $$ insert into t values (:'v') $$ expect affected == 1
                    sql $$ create table :"v" (id int) $$
                    verify { expect scalar $$ select v from t $$ == v }
                  }
                }
                """, "--param", "v=" + hostile);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.tableExists("x")).isTrue();
        assertThat(db.column("select v from t")).containsExactly(hostile);
        assertThat(db.tableExists(hostile)).isTrue();
    }

    @Test
    void confirmationsWithoutTerminalOrYesRefuseToStart() {
        Cli r = run("""
                runbook "t" {
                  phase "p" {
                    confirm "Go?"
                    sql $$ create table a (x int) $$
                  }
                }
                """);
        assertThat(r.exit).isEqualTo(ExitCode.NEEDS_TERMINAL);
        assertThat(r.err).contains("t.runbook:3:5").contains("no terminal").contains("--yes");
        assertThat(db.tableExists("a")).isFalse();

        Cli yes = run(java.nio.file.Files.exists(dir.resolve("t.runbook")) ? readBack() : "", "--yes");
        assertThat(yes.exit).isEqualTo(ExitCode.OK);
        assertThat(yes.out).contains("confirm \"Go?\"  yes (--yes)");
        assertThat(db.tableExists("a")).isTrue();
    }

    private String readBack() {
        try {
            return java.nio.file.Files.readString(dir.resolve("t.runbook"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void sqlErrorsPointIntoTheSqlFile() {
        Files.write(dir, "sql/migrate.sql", """
                -- a migration
                create table a (x int);

                insert into a values (1);
                update a
                   set y = 2
                 where x = 1;
                """);
        Cli r = run("""
                runbook "t" {
                  phase "p" { sql file "sql/migrate.sql" }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(r.err)
                .contains("sql/migrate.sql:6:8: ERROR: column \"y\" of relation \"a\" does not exist")
                .contains("    6 |    set y = 2".substring(3))
                .contains("SQLSTATE 42703");
        assertThat(db.tableExists("a")).isFalse();
    }

    @Test
    void sqlErrorsInInlineBlocksPointIntoTheRunbookEvenAfterVariableSubstitution() {
        Cli r = run("""
                runbook "t" {
                  param name text = "a-much-longer-value-than-the-reference"
                  phase "p" {
                    sql $$ select :'name' as v,
                                  nosuchcolumn $$
                  }
                }
                """);
        assertThat(r.exit).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(r.err).contains("t.runbook:5:19: ERROR: column \"nosuchcolumn\" does not exist");
    }

    @Test
    void fileWrappedInBeginCommitJoinsThePhaseTransaction() {
        Files.write(dir, "m.sql", "BEGIN;\ncreate table a (x int);\ninsert into a values (1);\nCOMMIT;\n");
        Cli r = run("""
                runbook "t" {
                  phase "p" {
                    sql file "m.sql"
                    expect count $$ select * from a $$ == 2
                  }
                }
                """);
        assertThat(r.exit).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(db.tableExists("a"))
                .as("the file's COMMIT did not commit on its own")
                .isFalse();
        assertThat(r.err).contains("m.sql wraps itself in BEGIN/COMMIT");
    }

    @Test
    void copyFromStdinStreamsInlineData() {
        Files.write(dir, "load.sql", """
                create table people (id int, name text);
                COPY people (id, name) FROM stdin;
                1\tAda; Lovelace
                2\tO'Brien
                \\.
                update people set name = upper(name);
                """);
        Cli r = run("""
                runbook "t" {
                  phase "p" { sql file "load.sql" expect affected == 4 }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.column("select name from people order by id")).containsExactly("ADA; LOVELACE", "O'BRIEN");
    }

    @Test
    void letsAndFunctionsFeedLaterGuards() {
        Cli r = run("""
                import "stdlib/catalog"
                def twice(x) = x * 2
                runbook "t" {
                  param wait duration = 1s
                  set statement_timeout = wait * 10
                  phase "p" {
                    sql $$ create table a (x int); insert into a select generate_series(1, 5) $$
                    let n = count $$ select * from a $$
                    echo "n is ${n}, twice ${twice(n)}"
                    expect twice(n) == 10 and table_exists("a") and not column_exists("a", "y")
                    expect scalar $$ show statement_timeout $$ == "10s"
                    expect scalar $$ select sum(x) from a $$ between 14 and 16
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out).contains("n is 5, twice 10");
    }

    @Test
    void fromAndOnlySelectPhases() {
        String rb = """
                runbook "t" {
                  phase "one" { sql $$ create table a (x int) $$ }
                  phase "two" { sql $$ create table b (x int) $$ }
                  phase "three" { sql $$ create table c (x int) $$ }
                }
                """;
        assertThat(run(rb, "--only", "two").exit).isEqualTo(ExitCode.OK);
        assertThat(db.tableExists("a")).isFalse();
        assertThat(db.tableExists("b")).isTrue();
        assertThat(run(rb, "--from", "three").exit).isEqualTo(ExitCode.OK);
        assertThat(db.tableExists("c")).isTrue();
        Cli bad = run(rb, "--only", "four");
        assertThat(bad.exit).isEqualTo(ExitCode.INVALID);
        assertThat(bad.err).contains("--only \"four\": no such phase").contains("\"one\", \"two\", \"three\"");
    }

    @Test
    void connectionFailureHasItsOwnExitCode() {
        Path file = Files.write(dir, "t.runbook", "runbook \"t\" { phase \"p\" { sql $$ select 1 $$ } }");
        Cli r = Cli.run("run", file.toString(), "--db", "postgresql://postgres@127.0.0.1:1/postgres");
        assertThat(r.exit).isEqualTo(ExitCode.CONNECTION);
        assertThat(r.err)
                .contains("cannot connect to postgres@127.0.0.1:1/postgres")
                .contains("hint:");
    }

    @Test
    void anErrorInTheMiddleOfABatchPointsAtItsOwnStatement() {
        Files.write(
                dir,
                "m.sql",
                "create table a (x int);\ninsert into a values (1);\ninsert into a values (1/0);\ninsert into a values (2);\ninsert into a values (3);\n");
        Cli r = run("runbook \"t\" { phase \"p\" { sql file \"m.sql\" } }");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(r.err).contains("m.sql:3:1: ERROR: division by zero").contains("the phase was rolled back");
        assertThat(db.tableExists("a")).isFalse();
    }

    @Test
    void rollbackOfANoTransactionPhaseRunsOutsideATransaction() {
        Cli r = run("""
                runbook "t" {
                  phase "table" {
                    sql $$ create table a (x int) $$
                    rollback { sql $$ drop table a $$ }
                  }
                  phase "index" no transaction {
                    sql $$ create index concurrently a_x on a (x) $$
                    rollback { sql $$ drop index concurrently if exists a_x $$ }
                  }
                  phase "fail" { expect (1 + 2) * 3 == 10 }
                }
                """, "--on-failure", "rollback");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(r.err).contains("expected: (1 + 2) * 3 == 10").contains("actual:   9");
        assertThat(db.tableExists("a")).isFalse();
    }

    @Test
    void nonNumericFloatsAreValuesNotCrashes() {
        Cli r = run("""
                runbook "t" {
                  phase "p" { expect scalar $$ select 'NaN'::float8 $$ == "NaN" }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
    }
}
