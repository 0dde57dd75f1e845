package io.runbook.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import io.runbook.sql.SqlStatement;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checker.load on files in a temporary directory. Error messages are asserted on their rendered text, with the
 * temporary directory removed from paths so that they read as the operator would see them from that directory.
 */
class CheckerTest {
    @TempDir
    Path dir;

    Path write(String name, String text) {
        return io.runbook.testing.Files.write(dir, name, text);
    }

    Program load(String mainText) {
        return Checker.load(write("main.runbook", mainText));
    }

    RunbookException refused(String mainText) {
        Path main = write("main.runbook", mainText);
        RunbookException e = catchThrowableOfType(RunbookException.class, () -> Checker.load(main));
        assertThat(e).as("Checker.load should refuse:\n" + mainText).isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
        return e;
    }

    /** Every diagnostic rendered, paths shown relative to the temporary directory. */
    String errors(String mainText) {
        return render(refused(mainText));
    }

    String render(RunbookException e) {
        return relative(e.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining()));
    }

    /** Paths in a text relative to the temporary directory. */
    String relative(String text) {
        return text.replace(dir.toAbsolutePath() + File.separator, "")
                .replace(Loader.display(dir) + File.separator, "");
    }

    static Phase phase(Program p, String name) {
        return p.runbook().phase(name);
    }

    static Program.SqlScript script(Program p, Step step) {
        return p.script((Step.FileRef) ((Step.Sql) step).source());
    }

    static List<String> texts(List<SqlStatement> statements) {
        return statements.stream().map(SqlStatement::text).toList();
    }

    // ------------------------------------------------------------------ names

    @Nested
    class Names {}

    // ------------------------------------------------------------------ SQL variables

    @Nested
    class SqlVariables {
        @Test
        void variablesOfEveryFormCastsAndSlicesAreAccepted() {
            write(
                    "sql/vars.sql",
                    "select :n::int, :'n', :\"n\", a[1:3], ':not_a_var', $$ :nor_this $$, x::text from t;\n");
            Program p = load("""
                    runbook "r" {
                      param n int = 1
                      preflight {
                        let l = 2
                        expect scalar $$ select :l + :'n' $$ == 3
                      }
                      phase "a" {
                        sql $$ select :n::int, :l, a[1:3] from t -- :in_comment $$
                        sql file "sql/vars.sql"
                      }
                    }
                    """);
            assertThat(script(p, phase(p, "a").steps().get(1)).statements()).hasSize(1);
        }
    }

    // ------------------------------------------------------------------ functions

    @Nested
    class Functions {
        @Test
        void wrongArity() {
            write("lib/util.runbook", "def scale(x, factor = 2) = x * factor\n");
            assertThat(errors("""
                    import "stdlib/catalog"
                    import "lib/util"
                    def one() = 1
                    runbook "r" {
                      preflight {
                        expect table_exists()
                        expect lower("a", "b") == "a"
                        expect env() == null
                        expect scale(1, 2, 3) == 1
                        expect one(1) == 1
                      }
                    }
                    """)).isEqualTo("""
                    main.runbook:6:12: ERROR: table_exists() takes 1 to 2 argument(s), got 0
                     6 |     expect table_exists()
                       |            ^
                      hint: its definition is at stdlib/catalog.runbook:5:1
                    main.runbook:7:12: ERROR: lower() takes 1 argument(s), got 2
                     7 |     expect lower("a", "b") == "a"
                       |            ^
                      hint: lower(text)
                    main.runbook:8:12: ERROR: env() takes 1 or 2 argument(s), got 0
                     8 |     expect env() == null
                       |            ^
                      hint: env("NAME") or env("NAME", "default"): an environment variable
                    main.runbook:9:12: ERROR: scale() takes 1 to 2 argument(s), got 3
                     9 |     expect scale(1, 2, 3) == 1
                       |            ^
                      hint: its definition is at lib/util.runbook:1:1
                    main.runbook:10:12: ERROR: one() takes 0 argument(s), got 1
                     10 |     expect one(1) == 1
                        |            ^
                      hint: its definition is at main.runbook:3:1
                    """);
        }
    }

    // ------------------------------------------------------------------ files and imports

    @Nested
    class FilesAndImports {
        @Test
        void sqlFileRelativeToTheRunbookNotToTheWorkingDirectory() {
            write("deploy/sql/one.sql", "select 1;\n");
            Program p = Checker.load(
                    write("deploy/main.runbook", "runbook \"r\" { phase \"a\" { sql file \"sql/one.sql\" } }\n"));
            Program.SqlScript s = script(p, phase(p, "a").steps().get(0));
            assertThat(s.path())
                    .isEqualTo(
                            dir.resolve("deploy/sql/one.sql").toAbsolutePath().normalize());
            assertThat(texts(s.statements())).containsExactly("select 1");
            assertThat(s.unwrapped()).isFalse();
        }

        @Test
        void sameSqlFileTwiceIsCheckedWithEachScope() {
            write("sql/one.sql", "select :x;\n");
            RunbookException e = refused("""
                    runbook "r" {
                      phase "a" {
                        sql file "sql/one.sql"
                        let x = 1
                        sql file "sql/one.sql"
                      }
                    }
                    """);
            assertThat(e.diagnostics()).extracting(Diagnostic::message).containsExactly("undefined variable :x in SQL");
        }

        @Test
        void relativeImportOfALibraryWithDefs() {
            write("lib/util.runbook", """
                    # helpers
                    import "inner"
                    def scale(x, factor = 2) = x * factor
                    def rows(t) = count $$ select 1 from pg_class where relname = :'t' $$
                    """);
            write("lib/inner.runbook", "def double(x) = scale(x)\n");
            Program p = load("""
                    import "lib/util"
                    import "lib/util.runbook"
                    runbook "r" {
                      preflight {
                        expect scale(2) == 4 and double(1) == 2 and rows("t") >= 0
                      }
                    }
                    """);
            assertThat(p.functions()).containsOnlyKeys("scale", "rows", "double");
            assertThat(p.main().imports()).hasSize(2);
            assertThat(p.functions().get("double").pos().file().path())
                    .isEqualTo(dir.resolve("lib/inner.runbook").toAbsolutePath().normalize());
        }

        @Test
        void importingARunbookIsRefused() {
            write("other.runbook", "runbook \"other\" { }\n");
            assertThat(errors("import \"other\"\nrunbook \"r\" { }\n")).isEqualTo("""
                    main.runbook:1:1: ERROR: imported file other.runbook contains a runbook block
                     1 | import "other"
                       | ^
                      hint: only libraries (files with defs and imports) can be imported
                    """);
        }

        @Test
        void syntaxErrorInALibraryNamesTheLibrary() {
            write("lib/bad.runbook", "def f(x) = x +\n");
            assertThat(errors("import \"lib/bad\"\nrunbook \"r\" { }\n"))
                    .startsWith("lib/bad.runbook:2:1: ERROR: unexpected end of file");
        }

        @Test
        void missingMainFile() {
            RunbookException e =
                    catchThrowableOfType(RunbookException.class, () -> Checker.load(dir.resolve("nope.runbook")));
            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
            assertThat(e.diagnostics()).singleElement().satisfies(d -> {
                assertThat(d.pos()).isNull();
                assertThat(d.message()).isEqualTo("file not found: " + dir.resolve("nope.runbook"));
                assertThat(d.render()).startsWith("ERROR: file not found: ");
            });
        }
    }

    // ------------------------------------------------------------------ phases and SQL

    @Nested
    class PhasesAndSql {
        @Test
        void beginCommitWrappedFileIsAcceptedAndUnwrapped() {
            write("sql/wrapped.sql", """
                    -- hand-run script
                    BEGIN;
                    update t set a = 1;
                    update t set b = 2;
                    COMMIT;
                    """);
            write("sql/start.sql", "start transaction isolation level serializable;\nselect 1;\nend;\n");
            Program p = load("""
                    runbook "r" {
                      phase "a" {
                        sql file "sql/wrapped.sql"
                        sql file "sql/start.sql"
                      }
                    }
                    """);
            Program.SqlScript s = script(p, phase(p, "a").steps().get(0));
            assertThat(s.unwrapped()).isTrue();
            assertThat(texts(s.statements())).containsExactly("update t set a = 1", "update t set b = 2");
            assertThat(s.file().name()).endsWith("wrapped.sql");
            // positions still refer to the file
            assertThat(s.file().posAt(s.statements().get(0).start()).line()).isEqualTo(3);
            Program.SqlScript start = script(p, phase(p, "a").steps().get(1));
            assertThat(start.unwrapped()).isTrue();
            assertThat(texts(start.statements())).containsExactly("select 1");
        }

        @Test
        void unwrappedFileStaysAsWritten() {
            write("sql/plain.sql", "update t set a = 1;\nupdate t set b = 2;\n");
            Program p = load("runbook \"r\" { phase \"a\" { sql file \"sql/plain.sql\" } }\n");
            Program.SqlScript s = script(p, phase(p, "a").steps().get(0));
            assertThat(s.unwrapped()).isFalse();
            assertThat(texts(s.statements())).containsExactly("update t set a = 1", "update t set b = 2");
        }

        @Test
        void beginWithoutCommitIsRefused() {
            write("sql/begin.sql", "BEGIN;\nupdate t set a = 1;\n");
            assertThat(refused("runbook \"r\" { phase \"a\" { sql file \"sql/begin.sql\" } }\n")
                            .diagnostics())
                    .extracting(d -> d.message() + " @" + d.pos().line())
                    .containsExactly("BEGIN inside a runbook SQL file would break the phase's transaction @1");
        }

        @Test
        void createIndexConcurrentlyIsRefusedInATransactionalPhase() {
            write("sql/index.sql", "-- the index\nCREATE INDEX CONCURRENTLY idx_t_a ON t (a);\n");
            assertThat(errors("""
                    runbook "r" {
                      phase "a" {
                        sql file "sql/index.sql"
                        sql $$ drop index concurrently idx_old $$
                      }
                    }
                    """)).isEqualTo("""
                    sql/index.sql:2:1: ERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction
                     2 | CREATE INDEX CONCURRENTLY idx_t_a ON t (a);
                       | ^
                      hint: put it in a phase declared `phase "..." no transaction { ... }`
                    main.runbook:4:12: ERROR: DROP INDEX CONCURRENTLY cannot run inside a transaction
                     4 |     sql $$ drop index concurrently idx_old $$
                       |            ^
                      hint: put it in a phase declared `phase "..." no transaction { ... }`
                    """);
        }

        @Test
        void createIndexConcurrentlyIsAcceptedInANoTransactionPhase() {
            write(
                    "sql/index.sql",
                    "CREATE INDEX CONCURRENTLY idx_t_a ON t (a);\nCREATE INDEX CONCURRENTLY idx_t_b ON t (b);\n");
            Program p = load("""
                    runbook "r" {
                      phase "indexes" no transaction {
                        sql file "sql/index.sql"
                        sql $$ vacuum analyze t $$
                        rollback { sql $$ drop index concurrently idx_t_a; drop index concurrently idx_t_b $$ }
                      }
                    }
                    """);
            Program.SqlScript s = script(p, phase(p, "indexes").steps().get(0));
            assertThat(s.statements())
                    .hasSize(2)
                    .allSatisfy(st -> assertThat(st.mustRunAlone()).isTrue());
        }

        @Test
        void multipleProblemsAreReportedTogether() {
            write("sql/meta.sql", "select 1;\n\\gset x\n");
            write("sql/commit.sql", "update t set a = 1;\ncommit;\n");
            RunbookException e = refused("""
                    import "stdlib/catalog"
                    runbook "r" {
                      param n int = 1
                      preflight {
                        expect nn > 0
                        expect nosuch(1)
                      }
                      phase "a" {
                        sql file "sql/meta.sql"
                        sql file "sql/commit.sql"
                        sql file "sql/missing.sql"
                        sql $$ create index concurrently i on t (a) $$
                        sql $$ select :m $$
                      }
                      phase "a" { echo "again" }
                    }
                    """);
            String rendered = render(e);
            assertThat(e.diagnostics())
                    .extracting(
                            d -> relative(d.pos().file().name() + ":" + d.pos().line() + ": " + d.message()))
                    .containsExactly(
                            "main.runbook:5: unknown name 'nn'",
                            "main.runbook:6: unknown function 'nosuch'",
                            "sql/meta.sql:2: psql meta-command \\gset is not supported",
                            "sql/commit.sql:2: COMMIT inside a runbook SQL file would break the phase's transaction",
                            "main.runbook:11: file not found: sql/missing.sql",
                            "main.runbook:12: CREATE INDEX CONCURRENTLY cannot run inside a transaction",
                            "main.runbook:13: undefined variable :m in SQL",
                            "main.runbook:15: phase \"a\" is declared twice");
            assertThat(rendered).contains("(did you mean 'n'?)");
        }

        @Test
        void aValidRunbookLoadsIntoAProgram() {
            write("sql/02.sql", "BEGIN;\nalter table t add column c int;\nCOMMIT;\n");
            Path main = write("main.runbook", """
                    import "stdlib/catalog"
                    runbook "examgenie: align production with staging" {
                      param expected_tables int = 6
                      set lock_timeout = "5s"
                      preflight {
                        check "${expected_tables} base tables" {
                          expect count $$ select 1 from information_schema.tables
                                          where table_schema = 'public' and table_type = 'BASE TABLE' $$ == expected_tables
                        }
                        confirm "Backup verified and maintenance window open?"
                      }
                      phase "main migration" {
                        confirm "Drop the legacy exam tables?" typing "examgenie"
                        sql file "sql/02.sql" expect duration < 2min
                        verify {
                          expect column_exists("t", "c")
                          expect not type_exists("exam_status")
                        }
                        rollback { sql $$ alter table t drop column c $$ }
                      }
                    }
                    """);
            Program p = Checker.load(main);
            assertThat(p.runbook().name()).isEqualTo("examgenie: align production with staging");
            assertThat(p.main().file().path()).isEqualTo(main);
            assertThat(p.scripts()).hasSize(1);
            assertThat(p.scripts().values())
                    .singleElement()
                    .satisfies(s -> assertThat(s.unwrapped()).isTrue());
            assertThat(p.sources()).extracting(SourceFile::name).hasSize(3);
        }
    }

    // ------------------------------------------------------------------ bugs

    @Nested
    class Bugs {
        @Test
        void concurrentlyInsideAWrappedFileOfANoTransactionPhaseIsRefused() {
            write("sql/index.sql", "BEGIN;\nCREATE INDEX CONCURRENTLY idx_t_a ON t (a);\nCOMMIT;\n");
            RunbookException e = refused(
                    "runbook \"r\" {\n  phase \"a\" no transaction {\n    sql file \"sql/index.sql\"\n  }\n}\n");
            assertThat(e.diagnostics()).extracting(d -> d.pos().line()).containsExactly(2);
        }
    }
}
