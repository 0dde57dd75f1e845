package io.runbook.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.runbook.ast.Expr;
import io.runbook.ast.Module;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.source.ExitCode;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import io.runbook.source.SqlText;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One test (or a few) per construct of the language: the AST that AstBuilder.parse builds for it. */
class AstBuilderTest {
    static final String NAME = "t.runbook";

    static Module parse(String text) {
        return AstBuilder.parse(new SourceFile(NAME, Path.of(NAME), text));
    }

    /** A runbook whose items start on line 2. */
    static Runbook runbook(String items) {
        Module m = parse("runbook \"t\" {\n" + items + "\n}\n");
        assertThat(m.runbook()).isNotNull();
        return m.runbook();
    }

    /** Steps of a preflight block; the first step line is line 3. */
    static List<Step> preflight(String steps) {
        return runbook("preflight {\n" + steps + "\n}").preflight();
    }

    /** The condition of `expect EXPR`, written on line 3 from column 8. */
    static Expr expr(String e) {
        List<Step> steps = preflight("expect " + e);
        assertThat(steps).hasSize(1);
        return ((Step.Expect) steps.get(0)).condition();
    }

    static String sexp(String e) {
        return Sexp.of(expr(e));
    }

    static String at(Pos p) {
        return p.line() + ":" + p.col();
    }

    static RunbookException syntaxError(String text) {
        RunbookException e = catchThrowableOfType(RunbookException.class, () -> parse(text));
        assertThat(e).as("expected a syntax error for:\n" + text).isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
        return e;
    }

    // ------------------------------------------------------------------ runbook, description

    @Nested
    class RunbookBlock {
        @Test
        void nameAndPositionAndEmptyParts() {
            Module m = parse("# a comment first\nrunbook \"align production\" {\n}\n");
            Runbook rb = m.runbook();
            assertThat(rb.name()).isEqualTo("align production");
            assertThat(at(rb.pos())).isEqualTo("2:1");
            assertThat(rb.pos().file()).isSameAs(m.file());
            assertThat(rb.pos().toString()).isEqualTo("t.runbook:2:1");
            assertThat(rb.description()).isNull();
            assertThat(rb.params()).isEmpty();
            assertThat(rb.settings()).isEmpty();
            assertThat(rb.preflight()).isEmpty();
            assertThat(rb.phases()).isEmpty();
            assertThat(m.imports()).isEmpty();
            assertThat(m.defs()).isEmpty();
        }

        @Test
        void aFileWithoutRunbookIsALibrary() {
            Module m = parse("import \"stdlib/catalog\"\ndef twice(x) = x * 2\n");
            assertThat(m.runbook()).isNull();
            assertThat(m.imports()).extracting(Module.Import::path).containsExactly("stdlib/catalog");
            assertThat(m.defs()).extracting(Module.FunctionDef::name).containsExactly("twice");
        }

        @Test
        void plainDescription() {
            assertThat(runbook("  description \"Align production with staging\"")
                            .description())
                    .isEqualTo("Align production with staging");
        }

        @Test
        void plainDescriptionProcessesEscapes() {
            assertThat(runbook("  description \"say \\\"hi\\\"\\tnow\"").description())
                    .isEqualTo("say \"hi\"\tnow");
        }

        @Test
        void tripleQuotedDescriptionKeepsLinesAndQuotesAndIsStripped() {
            Runbook rb = runbook("""
                      description \"""
                        First line.
                        Second "quoted" line, with # and -- inside.
                      \"""
                    """);
            assertThat(rb.description()).isEqualTo("First line.\n    Second \"quoted\" line, with # and -- inside.");
        }
    }

    // ------------------------------------------------------------------ params, set

    @Nested
    class Params {
        @Test
        void eachTypeWithDefaultsAndSecret() {
            Runbook rb = runbook("""
                      param retries int = 3
                      param target text = "prod"
                      param dry_run bool = false
                      param timeout duration = 5s
                      param password secret text
                      param token secret text = env("TOKEN")
                      param limit int
                    """);
            List<Runbook.Param> ps = rb.params();
            assertThat(ps)
                    .extracting(Runbook.Param::name)
                    .containsExactly("retries", "target", "dry_run", "timeout", "password", "token", "limit");
            assertThat(ps)
                    .extracting(Runbook.Param::type)
                    .containsExactly(
                            Runbook.Type.INT,
                            Runbook.Type.TEXT,
                            Runbook.Type.BOOL,
                            Runbook.Type.DURATION,
                            Runbook.Type.TEXT,
                            Runbook.Type.TEXT,
                            Runbook.Type.INT);
            assertThat(ps)
                    .extracting(Runbook.Param::secret)
                    .containsExactly(false, false, false, false, true, true, false);
            assertThat(ps)
                    .extracting(p -> p.defaultValue() == null ? null : Sexp.of(p.defaultValue()))
                    .containsExactly("3", "\"prod\"", "false", "5s", null, "env(\"TOKEN\")", null);
            assertThat(ps)
                    .extracting(p -> at(p.pos()))
                    .containsExactly("2:3", "3:3", "4:3", "5:3", "6:3", "7:3", "8:3");
            assertThat(ps.get(3).defaultValue())
                    .isEqualTo(new Expr.Literal(ps.get(3).defaultValue().pos(), new Value.Dur(Duration.ofSeconds(5))));
        }

        @Test
        void defaultCanBeAnExpressionOverEarlierParams() {
            Runbook.Param p = runbook("  param a int = 2\n  param b int = a * 10 + 1")
                    .params()
                    .get(1);
            assertThat(Sexp.of(p.defaultValue())).isEqualTo("(+ (* a 10) 1)");
            assertThat(at(p.defaultValue().pos())).isEqualTo("3:17");
        }

        @Test
        void unknownTypeIsAnError() {
            RunbookException e = syntaxError("runbook \"t\" {\n  param n integer = 3\n}\n");
            assertThat(e.diagnostics()).singleElement().satisfies(d -> {
                assertThat(d.message()).isEqualTo("unknown param type 'integer'");
                assertThat(at(d.pos())).isEqualTo("2:11");
                assertThat(d.hint()).isEqualTo("param types are int, text, bool and duration");
            });
        }

        @Test
        void settings() {
            Runbook rb =
                    runbook("  set lock_timeout = \"5s\"\n  set statement_timeout = 2min\n  set work_mem = \"64MB\"");
            assertThat(rb.settings())
                    .extracting(Runbook.Setting::name)
                    .containsExactly("lock_timeout", "statement_timeout", "work_mem");
            assertThat(rb.settings()).extracting(s -> Sexp.of(s.value())).containsExactly("\"5s\"", "2min", "\"64MB\"");
            assertThat(at(rb.settings().get(1).pos())).isEqualTo("3:3");
        }
    }

    // ------------------------------------------------------------------ import, def

    @Nested
    class ImportsAndDefs {
        @Test
        void importsAtTopAndInsideTheRunbookAreCollectedInOrder() {
            Module m = parse("""
                    import "stdlib/catalog"
                    import "lib/util.runbook"
                    runbook "t" {
                      import "lib/more"
                    }
                    """);
            assertThat(m.imports())
                    .extracting(Module.Import::path)
                    .containsExactly("stdlib/catalog", "lib/util.runbook", "lib/more");
            assertThat(m.imports()).extracting(i -> at(i.pos())).containsExactly("1:1", "2:1", "4:3");
        }

        @Test
        void importsAndDefsMayFollowTheRunbook() {
            Module m = parse("runbook \"t\" {\n}\nimport \"x\"\ndef f() = 1\n");
            assertThat(m.imports()).extracting(Module.Import::path).containsExactly("x");
            assertThat(m.defs()).extracting(Module.FunctionDef::name).containsExactly("f");
        }

        @Test
        void defWithDefaultParams() {
            Module m = parse("def label(name, schema = \"public\", n = 1 + 2) = schema + \".\" + name\n");
            Module.FunctionDef def = m.defs().get(0);
            assertThat(def.name()).isEqualTo("label");
            assertThat(at(def.pos())).isEqualTo("1:1");
            assertThat(def.params()).extracting(Module.FunctionParam::name).containsExactly("name", "schema", "n");
            assertThat(def.params())
                    .extracting(p -> p.defaultValue() == null ? null : Sexp.of(p.defaultValue()))
                    .containsExactly(null, "\"public\"", "(+ 1 2)");
            assertThat(def.params()).extracting(p -> at(p.pos())).containsExactly("1:11", "1:17", "1:36");
            assertThat(Sexp.of(def.body())).isEqualTo("(+ (+ schema \".\") name)");
        }

        @Test
        void defWithoutParamsAndNestedDefIsHoisted() {
            Module m = parse("def one() = 1\nrunbook \"t\" {\n  def two() = one() + 1\n}\n");
            assertThat(m.defs()).extracting(Module.FunctionDef::name).containsExactly("one", "two");
            assertThat(m.defs().get(0).params()).isEmpty();
            assertThat(Sexp.of(m.defs().get(1).body())).isEqualTo("(+ one() 1)");
            assertThat(at(m.defs().get(1).pos())).isEqualTo("3:3");
        }

        @Test
        void defBodyCanBeAQuery() {
            Module.FunctionDef def = parse("def rows(t) = count $$ select 1 from pg_class where relname = :'t' $$\n")
                    .defs()
                    .get(0);
            Expr.Query q = (Expr.Query) def.body();
            assertThat(q.kind()).isEqualTo(Expr.QueryKind.COUNT);
            assertThat(q.sql().text()).isEqualTo(" select 1 from pg_class where relname = :'t' ");
        }
    }

    // ------------------------------------------------------------------ preflight, phase

    @Nested
    class PreflightAndPhases {
        @Test
        void preflightSteps() {
            Runbook rb = runbook("""
                      preflight {
                        check "db is up" { expect true }
                        confirm "Backup verified?"
                      }
                    """);
            assertThat(rb.preflight()).hasSize(2);
            assertThat(rb.preflight().get(0)).isInstanceOf(Step.Check.class);
            assertThat(rb.preflight().get(1)).isInstanceOf(Step.Confirm.class);
            assertThat(at(rb.preflight().get(1).pos())).isEqualTo("4:5");
        }

        @Test
        void severalPreflightBlocksAreConcatenated() {
            Runbook rb = runbook("  preflight { echo \"a\" }\n  preflight { echo \"b\" }");
            assertThat(rb.preflight())
                    .extracting(s -> Sexp.of(((Step.Echo) s).message()))
                    .containsExactly("\"a\"", "\"b\"");
        }

        @Test
        void phaseWithStepsVerifyAndRollback() {
            Runbook rb = runbook("""
                      phase "main migration" {
                        echo "starting"
                        sql $$ alter table t add column c int $$
                        verify {
                          expect true
                          expect not false
                        }
                        rollback { sql $$ alter table t drop column c $$ }
                      }
                    """);
            Phase p = rb.phases().get(0);
            assertThat(p.name()).isEqualTo("main migration");
            assertThat(at(p.pos())).isEqualTo("2:3");
            assertThat(p.transactional()).isTrue();
            assertThat(p.steps()).hasSize(2);
            assertThat(p.steps().get(0)).isInstanceOf(Step.Echo.class);
            assertThat(p.steps().get(1)).isInstanceOf(Step.Sql.class);
            assertThat(p.verify())
                    .extracting(s -> Sexp.of(((Step.Expect) s).condition()))
                    .containsExactly("true", "(not false)");
            assertThat(p.rollback()).singleElement().isInstanceOf(Step.Sql.class);
            assertThat(p.hasRollback()).isTrue();
            assertThat(rb.phase("main migration")).isSameAs(p);
            assertThat(rb.phase("nope")).isNull();
        }

        @Test
        void noTransactionPhase() {
            Runbook rb = runbook("""
                      phase "indexes" no transaction {
                        sql $$ create index concurrently i on t (c) $$
                      }
                      phase "after" {
                      }
                    """);
            assertThat(rb.phases()).extracting(Phase::name).containsExactly("indexes", "after");
            assertThat(rb.phases()).extracting(Phase::transactional).containsExactly(false, true);
            assertThat(rb.phases().get(0).hasRollback()).isFalse();
            assertThat(rb.phases().get(1).steps()).isEmpty();
        }

        @Test
        void stepsInAnyOrderAroundVerifyAndRollback() {
            Phase p = runbook("""
                      phase "p" {
                        rollback { echo "r1" }
                        echo "s1"
                        verify { echo "v1" }
                        echo "s2"
                        verify { echo "v2" }
                      }
                    """).phases().get(0);
            assertThat(p.steps())
                    .extracting(s -> Sexp.of(((Step.Echo) s).message()))
                    .containsExactly("\"s1\"", "\"s2\"");
            assertThat(p.verify())
                    .extracting(s -> Sexp.of(((Step.Echo) s).message()))
                    .containsExactly("\"v1\"", "\"v2\"");
            assertThat(p.rollback())
                    .extracting(s -> Sexp.of(((Step.Echo) s).message()))
                    .containsExactly("\"r1\"");
        }
    }

    // ------------------------------------------------------------------ sql

    @Nested
    class Sql {
        static Step.Sql sqlStep(String step) {
            List<Step> steps = preflight(step);
            return (Step.Sql) steps.get(0);
        }

        @Test
        void inlineDollarQuoted() {
            Step.Sql s = sqlStep("    sql $$ update t set a = 1; delete from u; $$");
            Step.Inline in = (Step.Inline) s.source();
            assertThat(in.sql().text()).isEqualTo(" update t set a = 1; delete from u; ");
            assertThat(s.guards()).isEmpty();
            assertThat(at(s.pos())).isEqualTo("3:5");
            assertThat(at(in.pos())).isEqualTo("3:9");
        }

        @Test
        void emptyInlineSql() {
            assertThat(((Step.Inline) sqlStep("sql $$$$").source()).sql().text())
                    .isEmpty();
        }

        @Test
        void taggedDollarQuoteMayContainDoubleDollar() {
            Step.Sql s = sqlStep("""
                    sql $fn$
                      create function one() returns int language sql as $$ select 1 $$;
                      select '$fn' || '$';
                    $fn$
                    """);
            String text = ((Step.Inline) s.source()).sql().text();
            assertThat(text)
                    .isEqualTo("\n  create function one() returns int language sql as $$ select 1 $$;\n"
                            + "  select '$fn' || '$';\n");
        }

        @Test
        void tagWithDigitsAndUnderscore() {
            Step.Sql s = sqlStep("sql $body_2$ select $$x$$, $body$ $body_2$");
            assertThat(((Step.Inline) s.source()).sql().text()).isEqualTo(" select $$x$$, $body$ ");
        }

        @Test
        void sqlCommentsAndHashesStayInsideTheSql() {
            Step.Sql s = sqlStep("sql $$ select 1 -- not a runbook comment\n # nor this\n $$");
            assertThat(((Step.Inline) s.source()).sql().text())
                    .isEqualTo(" select 1 -- not a runbook comment\n # nor this\n ");
        }

        @Test
        void sqlFile() {
            Step.Sql s = sqlStep("    sql file \"sql/02_main migration.sql\"");
            Step.FileRef ref = (Step.FileRef) s.source();
            assertThat(ref.path()).isEqualTo("sql/02_main migration.sql");
            assertThat(at(s.pos())).isEqualTo("3:5");
            assertThat(at(ref.pos())).isEqualTo("3:14");
        }

        @Test
        void affectedAndDurationGuards() {
            Step.Sql s = sqlStep("    sql file \"x.sql\" expect affected == 3\n      expect duration < 2min");
            assertThat(s.guards()).extracting(Sexp::of).containsExactly("(== affected 3)", "(< duration 2min)");
            Expr.Binary first = (Expr.Binary) s.guards().get(0);
            assertThat(first.left()).isEqualTo(new Expr.Variable(first.pos(), Step.AFFECTED));
            assertThat(at(first.pos())).isEqualTo("3:29");
            assertThat(at(s.guards().get(1).pos())).isEqualTo("4:14");
        }

        @Test
        void betweenGuard() {
            Step.Sql s = sqlStep("sql $$ delete from t $$ expect affected between 10 and 2 * n");
            assertThat(s.guards()).extracting(Sexp::of).containsExactly("(between affected 10 (* 2 n))");
            assertThat(s.guards().get(0)).isInstanceOf(Expr.Between.class);
        }

        @ParameterizedTest
        @CsvSource({"==,==", "!=,!=", "<,<", "<=,<=", ">,>", ">=,>="})
        void everyComparisonInAGuard(String op, String symbol) {
            Step.Sql s = sqlStep("sql $$ delete from t $$ expect affected " + op + " 5");
            assertThat(s.guards()).extracting(Sexp::of).containsExactly("(" + symbol + " affected 5)");
        }

        @Test
        void guardsThenOrdinaryExpect() {
            List<Step> steps =
                    preflight("sql $$ delete from t $$ expect affected > 0 expect duration < 5s\nexpect n > 0");
            assertThat(steps).hasSize(2);
            assertThat(((Step.Sql) steps.get(0)).guards())
                    .extracting(Sexp::of)
                    .containsExactly("(> affected 0)", "(< duration 5s)");
            assertThat(Sexp.of(((Step.Expect) steps.get(1)).condition())).isEqualTo("(> n 0)");
        }
    }

    // ------------------------------------------------------------------ check, expect, let, confirm, echo

    @Nested
    class Steps {
        @Test
        void checkWithInterpolatedLabel() {
            Step.Check c = (Step.Check) preflight("""
                        check "${expected} base tables" {
                          let n = count $$ select 1 from information_schema.tables $$
                          expect n == expected
                        }
                    """).get(0);
            assertThat(Sexp.of(c.label())).isEqualTo("(str expected \" base tables\")");
            assertThat(at(c.pos())).isEqualTo("3:5");
            assertThat(at(c.label().pos())).isEqualTo("3:11");
            assertThat(at(((Expr.Interpolated) c.label()).parts().get(0).pos())).isEqualTo("3:14");
            assertThat(c.steps()).hasSize(2);
            assertThat(c.steps().get(0)).isInstanceOf(Step.Let.class);
            assertThat(Sexp.of(((Step.Expect) c.steps().get(1)).condition())).isEqualTo("(== n expected)");
        }

        @Test
        void checkWithPlainLabelAndNestedCheck() {
            Step.Check c = (Step.Check) preflight("check \"outer\" { check \"inner\" { expect true } }")
                    .get(0);
            assertThat(c.label()).isInstanceOf(Expr.Literal.class);
            assertThat(Sexp.of(c.label())).isEqualTo("\"outer\"");
            assertThat(((Step.Check) c.steps().get(0)).steps()).hasSize(1);
        }

        @Test
        void emptyCheck() {
            assertThat(((Step.Check) preflight("check \"nothing\" { }").get(0)).steps())
                    .isEmpty();
        }

        @Test
        void expectAndExpectNot() {
            List<Step> steps = preflight("""
                        expect table_exists("examgenie_grading")
                        expect not type_exists("exam_status", "public")
                    """);
            assertThat(steps)
                    .extracting(s -> Sexp.of(((Step.Expect) s).condition()))
                    .containsExactly(
                            "table_exists(\"examgenie_grading\")", "(not type_exists(\"exam_status\", \"public\"))");
            Expr.Not not = (Expr.Not) ((Step.Expect) steps.get(1)).condition();
            assertThat(at(steps.get(1).pos())).isEqualTo("4:5");
            assertThat(at(not.pos())).isEqualTo("4:12");
            assertThat(at(not.operand().pos())).isEqualTo("4:16");
        }

        @Test
        void letScalarCountAndExpression() {
            List<Step> steps = preflight("""
                        let total = scalar $$ select count(*) from t $$
                        let rows = count $$ select 1 from t where x $$
                        let ratio = rows * 100 / total
                    """);
            assertThat(steps).extracting(s -> ((Step.Let) s).name()).containsExactly("total", "rows", "ratio");
            Expr.Query scalar = (Expr.Query) ((Step.Let) steps.get(0)).value();
            assertThat(scalar.kind()).isEqualTo(Expr.QueryKind.SCALAR);
            assertThat(scalar.sql().text()).isEqualTo(" select count(*) from t ");
            assertThat(at(scalar.pos())).isEqualTo("3:17");
            Expr.Query count = (Expr.Query) ((Step.Let) steps.get(1)).value();
            assertThat(count.kind()).isEqualTo(Expr.QueryKind.COUNT);
            assertThat(count.sql().text()).isEqualTo(" select 1 from t where x ");
            assertThat(Sexp.of(((Step.Let) steps.get(2)).value())).isEqualTo("(/ (* rows 100) total)");
        }

        @Test
        void queryWithTaggedDollarQuote() {
            Expr.Query q = (Expr.Query) ((Expr.Binary) expr("scalar $q$ select $$a$$ $q$ == \"a\"")).left();
            assertThat(q.sql().text()).isEqualTo(" select $$a$$ ");
        }

        @Test
        void confirmWithoutTyping() {
            Step.Confirm c = (Step.Confirm) preflight("confirm \"Backup verified and maintenance window open?\"")
                    .get(0);
            assertThat(Sexp.of(c.prompt())).isEqualTo("\"Backup verified and maintenance window open?\"");
            assertThat(c.typing()).isNull();
        }

        @Test
        void confirmWithTypingAndInterpolatedPrompt() {
            Step.Confirm c = (Step.Confirm) preflight("    confirm \"Drop the tables of ${db}?\" typing \"examgenie\"")
                    .get(0);
            assertThat(Sexp.of(c.prompt())).isEqualTo("(str \"Drop the tables of \" db \"?\")");
            assertThat(c.typing()).isEqualTo("examgenie");
            assertThat(at(c.pos())).isEqualTo("3:5");
        }

        @Test
        void echoWithInterpolation() {
            Step.Echo e = (Step.Echo)
                    preflight("    echo \"rows: ${n + 1} of ${total}!\"").get(0);
            Expr.Interpolated s = (Expr.Interpolated) e.message();
            assertThat(Sexp.of(s)).isEqualTo("(str \"rows: \" (+ n 1) \" of \" total \"!\")");
            // "    echo " is 9 characters: the string starts at column 10, `n` at 19, `total` at 31.
            assertThat(at(s.pos())).isEqualTo("3:10");
            assertThat(at(s.parts().get(1).pos())).isEqualTo("3:19");
            assertThat(at(((Expr.Binary) s.parts().get(1)).right().pos())).isEqualTo("3:23");
            assertThat(at(s.parts().get(3).pos())).isEqualTo("3:31");
        }

        @Test
        void echoOfAPlainExpression() {
            Step.Echo e = (Step.Echo) preflight("echo n * 2").get(0);
            assertThat(Sexp.of(e.message())).isEqualTo("(* n 2)");
        }

        @Test
        void stringEscapesAndEscapedDollar() {
            Step.Echo e = (Step.Echo)
                    preflight("    echo \"a\\tb \\\"q\\\" \\\\ \\${x} \\n\"").get(0);
            assertThat(e.message()).isInstanceOf(Expr.Literal.class);
            assertThat(((Value.Text) ((Expr.Literal) e.message()).value()).value())
                    .isEqualTo("a\tb \"q\" \\ ${x} \n");
        }

        @Test
        void interpolationPositionsAfterEscapes() {
            // `    echo "a \"q\" ${x}"`: the escapes take two columns each, so x is at column 21.
            Step.Echo e = (Step.Echo) preflight("    echo \"a \\\"q\\\" ${x}\"").get(0);
            Expr.Interpolated s = (Expr.Interpolated) e.message();
            assertThat(Sexp.of(s)).isEqualTo("(str \"a \"q\" \" x)");
            assertThat(at(s.parts().get(1).pos())).isEqualTo("3:21");
        }

        @Test
        void tripleQuotedStringInterpolatesWithPositionsOnLaterLines() {
            Step.Echo e = (Step.Echo) preflight("echo \"\"\"first\n  v=${value + 1} \"quoted\" end\"\"\"")
                    .get(0);
            Expr.Interpolated s = (Expr.Interpolated) e.message();
            assertThat(Sexp.of(s)).isEqualTo("(str \"first\n  v=\" (+ value 1) \" \"quoted\" end\")");
            assertThat(at(s.parts().get(1).pos())).isEqualTo("4:7");
            assertThat(at(((Expr.Binary) s.parts().get(1)).right().pos())).isEqualTo("4:15");
        }

        @Test
        void tripleQuotedStringDoesNotProcessEscapes() {
            Step.Echo e = (Step.Echo) preflight("echo \"\"\"a\\tb\"\"\"").get(0);
            assertThat(Sexp.of(e.message())).isEqualTo("\"a\\tb\"");
        }

        @Test
        void interpolationOfACall() {
            Step.Echo e = (Step.Echo)
                    preflight("echo \"${upper(name)}: ${length(name) * 2}\"").get(0);
            assertThat(Sexp.of(e.message())).isEqualTo("(str upper(name) \": \" (* length(name) 2))");
        }
    }

    // ------------------------------------------------------------------ expressions

    @Nested
    class Expressions {
        @ParameterizedTest(name = "{0}  =>  {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "a + b * c              | (+ a (* b c))",
                    "a * b + c              | (+ (* a b) c)",
                    "a - b - c              | (- (- a b) c)",
                    "a / b * c              | (* (/ a b) c)",
                    "(a + b) * c            | (* (+ a b) c)",
                    "a - (b - c)            | (- a (- b c))",
                    "not a and b or c       | (or (and (not a) b) c)",
                    "a or b and c           | (or a (and b c))",
                    "a and b and c          | (and (and a b) c)",
                    "a or b or c            | (or (or a b) c)",
                    "not not a              | (not (not a))",
                    "not (a or b)           | (not (or a b))",
                    "not a == b             | (not (== a b))",
                    "a + 1 > b * 2          | (> (+ a 1) (* b 2))",
                    "a == b and c != d      | (and (== a b) (!= c d))",
                    "a < b or c >= d        | (or (< a b) (>= c d))",
                    "a <= b and not c > d   | (and (<= a b) (not (> c d)))",
                    "x between 1 and 5      | (between x 1 5)",
                    "x between 1 and 5 and y | (and (between x 1 5) y)",
                    "x between a + 1 and b * 2 | (between x (+ a 1) (* b 2))",
                    "not x between 1 and 5  | (not (between x 1 5))",
                    "-a * b                 | (* (neg a) b)",
                    "- - 1                  | (neg (neg 1))",
                    "a - -1                 | (- a (neg 1))",
                    "-(a + b)               | (neg (+ a b))",
                    "f() + g(1, h(2))       | (+ f() g(1, h(2)))",
                    "count $$select 1$$ > 0 | (> (count $$select 1$$) 0)",
                })
        void precedenceAndAssociativity(String source, String expected) {
            assertThat(sexp(source)).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource({"==,EQ", "!=,NE", "<,LT", "<=,LE", ">,GT", ">=,GE"})
        void comparisonOperators(String op, Expr.BinaryOp expected) {
            Expr.Binary b = (Expr.Binary) expr("a " + op + " 1");
            assertThat(b.op()).isEqualTo(expected);
            assertThat(b.op().isComparison()).isTrue();
        }

        @ParameterizedTest
        @CsvSource({"+,ADD", "-,SUB", "*,MUL", "/,DIV", "and,AND", "or,OR"})
        void otherBinaryOperators(String op, Expr.BinaryOp expected) {
            Expr.Binary b = (Expr.Binary) expr("a " + op + " b");
            assertThat(b.op()).isEqualTo(expected);
            assertThat(b.op().isComparison()).isFalse();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "250ms,PT0.25S",
            "5s,PT5S",
            "2min,PT2M",
            "15m,PT15M",
            "1h,PT1H",
            "1d,PT24H",
            "0s,PT0S",
            "90s,PT1M30S"
        })
        void durations(String literal, Duration expected) {
            Expr e = expr(literal);
            assertThat(e).isInstanceOf(Expr.Literal.class);
            assertThat(((Expr.Literal) e).value()).isEqualTo(new Value.Dur(expected));
        }

        @Test
        void durationArithmetic() {
            assertThat(sexp("2min + 30s > 1h / 2")).isEqualTo("(> (+ 2min 30s) (/ 1h 2))");
        }

        @ParameterizedTest
        @CsvSource({
            "1.5,1.5",
            "0.25,0.25",
            "10.0,10.0",
            "42,42",
            "0,0",
            "007,7",
            "12345678901234567890,12345678901234567890"
        })
        void numbers(String literal, String expected) {
            Expr.Literal l = (Expr.Literal) expr(literal);
            assertThat(((Value.Num) l.value()).value()).isEqualByComparingTo(new BigDecimal(expected));
        }

        @Test
        void decimalKeepsItsScale() {
            Expr.Literal l = (Expr.Literal) expr("10.50");
            assertThat(((Value.Num) l.value()).value()).isEqualTo(new BigDecimal("10.50"));
        }

        @Test
        void negativeNumbersAreNegations() {
            Expr minusFive = expr("-5");
            assertThat(minusFive)
                    .isEqualTo(new Expr.Negate(
                            minusFive.pos(),
                            new Expr.Literal(
                                    ((Expr.Negate) minusFive).operand().pos(), new Value.Num(new BigDecimal("5")))));
            assertThat(at(minusFive.pos())).isEqualTo("3:8");
            assertThat(sexp("-1.5")).isEqualTo("(neg 1.5)");
            assertThat(sexp("-5s")).isEqualTo("(neg 5s)");
            assertThat(sexp("x > -1")).isEqualTo("(> x (neg 1))");
            Expr.Negate n = (Expr.Negate) expr("  -  7");
            assertThat(at(n.pos())).isEqualTo("3:10");
            assertThat(at(n.operand().pos())).isEqualTo("3:13");
        }

        @Test
        void nullTrueFalse() {
            assertThat(((Expr.Literal) expr("null")).value()).isEqualTo(Value.Null.NULL);
            assertThat(((Expr.Literal) expr("true")).value()).isEqualTo(Value.Bool.TRUE);
            assertThat(((Expr.Literal) expr("false")).value()).isEqualTo(Value.Bool.FALSE);
            assertThat(sexp("x != null")).isEqualTo("(!= x null)");
        }

        @Test
        void stringsPlainAndEmpty() {
            assertThat(((Expr.Literal) expr("\"\"")).value()).isEqualTo(new Value.Text(""));
            assertThat(sexp("\"a\" + \"b\"")).isEqualTo("(+ \"a\" \"b\")");
        }

        @Test
        void callsAndVariables() {
            Expr.Call c = (Expr.Call) expr("column_exists(\"t\", name, 1 + 2)");
            assertThat(c.name()).isEqualTo("column_exists");
            assertThat(c.args()).extracting(Sexp::of).containsExactly("\"t\"", "name", "(+ 1 2)");
            assertThat(at(c.pos())).isEqualTo("3:8");
            assertThat(at(c.args().get(1).pos())).isEqualTo("3:27");
            assertThat(((Expr.Call) expr("now()")).args()).isEmpty();
            assertThat(expr("some_name_2")).isInstanceOf(Expr.Variable.class);
        }

        @Test
        void binaryNodeIsAtItsLeftOperand() {
            Expr.Binary b = (Expr.Binary) expr("(a) +   b * c");
            // parentheses return the inner expression, so the node is at `a` (column 9), not at `(`
            assertThat(at(b.pos())).isEqualTo("3:9");
            assertThat(at(b.right().pos())).isEqualTo("3:16");
        }

        @Test
        void parenthesesDoNotCreateNodes() {
            assertThat(expr("((a))")).isInstanceOf(Expr.Variable.class);
        }
    }

    // ------------------------------------------------------------------ comments, whitespace

    @Nested
    class Comments {
        @Test
        void hashAndDoubleDashCommentsAnywhere() {
            Module m = parse("""
                    # leading comment
                    -- another
                    runbook "t" { # after the brace
                      -- inside
                      param n int = 1 # trailing
                      preflight {
                        expect n == 1 -- trailing too
                        # expect n == 2
                      }
                    }
                    # the end""");
            Runbook rb = m.runbook();
            assertThat(rb.params())
                    .singleElement()
                    .satisfies(p -> assertThat(Sexp.of(p.defaultValue())).isEqualTo("1"));
            assertThat(rb.preflight())
                    .singleElement()
                    .satisfies(s ->
                            assertThat(Sexp.of(((Step.Expect) s).condition())).isEqualTo("(== n 1)"));
            assertThat(at(rb.preflight().get(0).pos())).isEqualTo("7:5");
        }

        @Test
        void commentMarkersInsideStringsAreText() {
            Step.Echo e = (Step.Echo) preflight("echo \"# not -- a comment\"").get(0);
            assertThat(Sexp.of(e.message())).isEqualTo("\"# not -- a comment\"");
        }

        @Test
        void doubleDashStartsACommentEvenRightAfterAnOperand() {
            // A trap worth knowing: `10--2` is `10` followed by the comment `--2`, not 10 - (-2).
            assertThat(sexp("10--2")).isEqualTo("10");
            assertThat(sexp("10 - -2")).isEqualTo("(- 10 (neg 2))");
        }

        @Test
        void tabsAndCrlf() {
            Module m = parse("runbook \"t\" {\r\n\tpreflight {\r\n\t\texpect\tx\r\n\t}\r\n}\r\n");
            Step.Expect e = (Step.Expect) m.runbook().preflight().get(0);
            assertThat(at(e.pos())).isEqualTo("3:3");
            assertThat(at(e.condition().pos())).isEqualTo("3:10");
        }
    }

    // ------------------------------------------------------------------ positions of SQL text

    @Nested
    class SqlPositions {
        @Test
        void inlineSqlOnLaterLinesMapsOffsetsToFilePositions() {
            String text = """
                    runbook "t" {
                      phase "p" {
                        sql $$
                          update accounts
                             set balance = 0
                           where id = :id;
                        $$
                      }
                    }
                    """;
            Module m = parse(text);
            Step.Sql s = (Step.Sql) m.runbook().phases().get(0).steps().get(0);
            SqlText sql = ((Step.Inline) s.source()).sql();
            assertThat(sql.file()).isSameAs(m.file());
            assertThat(text.substring(sql.offset(), sql.offset() + sql.text().length()))
                    .isEqualTo(sql.text());
            assertThat(at(sql.pos())).isEqualTo("3:11");
            assertThat(at(sql.posAt(sql.text().indexOf("update")))).isEqualTo("4:7");
            assertThat(at(sql.posAt(sql.text().indexOf("set")))).isEqualTo("5:10");
            assertThat(at(sql.posAt(sql.text().indexOf(":id")))).isEqualTo("6:19");
            // offsets beyond either end are clamped to the text
            assertThat(at(sql.posAt(-5))).isEqualTo("3:11");
            assertThat(sql.posAt(10_000)).isEqualTo(sql.posAt(sql.text().length()));
            assertThat(at(sql.posAt(sql.text().length()))).isEqualTo("7:5");
        }

        @Test
        void taggedSqlOffsetSkipsTheTag() {
            String text =
                    "runbook \"t\" {\n  preflight {\n    sql $migration$ select 1;\n      select 2 $migration$\n  }\n}\n";
            Module m = parse(text);
            SqlText sql = ((Step.Inline) ((Step.Sql) m.runbook().preflight().get(0)).source()).sql();
            assertThat(sql.text()).isEqualTo(" select 1;\n      select 2 ");
            assertThat(text.substring(sql.offset(), sql.offset() + sql.text().length()))
                    .isEqualTo(sql.text());
            assertThat(at(sql.pos())).isEqualTo("3:20");
            assertThat(at(sql.posAt(sql.text().indexOf("select 2")))).isEqualTo("4:7");
        }

        @Test
        void querySqlTextIsLocated() {
            String text =
                    "runbook \"t\" {\n  preflight {\n    check \"c\" {\n      expect count $$\n        select 1\n      $$ == 1\n    }\n  }\n}\n";
            Module m = parse(text);
            Step.Check c = (Step.Check) m.runbook().preflight().get(0);
            Expr.Query q = (Expr.Query) ((Expr.Binary) ((Step.Expect) c.steps().get(0)).condition()).left();
            SqlText sql = q.sql();
            assertThat(at(q.pos())).isEqualTo("4:14");
            assertThat(text.substring(sql.offset(), sql.offset() + sql.text().length()))
                    .isEqualTo(sql.text());
            assertThat(at(sql.posAt(sql.text().indexOf("select")))).isEqualTo("5:9");
        }

        @Test
        void sqlInADefInALibrary() {
            String text = "# lib\n\ndef f(t) =\n  scalar $$ select\n    :'t' $$\n";
            Module m = parse(text);
            SqlText sql = ((Expr.Query) m.defs().get(0).body()).sql();
            assertThat(at(sql.posAt(sql.text().indexOf(":'t'")))).isEqualTo("5:5");
        }

        @Test
        void positionOfEveryKindOfStep() {
            Runbook rb = runbook("""
                      phase "p" {
                        sql $$ select 1 $$
                        check "c" { expect true }
                        expect true
                        let x = 1
                        confirm "ok?"
                        echo "x"
                        verify {
                          expect x == 1
                        }
                        rollback {
                          echo "back"
                        }
                      }
                    """);
            Phase p = rb.phases().get(0);
            assertThat(p.steps())
                    .extracting(s -> at(s.pos()))
                    .containsExactly("3:5", "4:5", "5:5", "6:5", "7:5", "8:5");
            assertThat(at(p.verify().get(0).pos())).isEqualTo("10:7");
            assertThat(at(p.rollback().get(0).pos())).isEqualTo("13:7");
        }
    }

    // ------------------------------------------------------------------ bugs

    @Nested
    class Bugs {
        @Test
        void durationLiteralWithTooManyDigitsIsASyntaxError() {
            assertThatThrownBy(() -> parse("runbook \"t\" {\n  preflight {\n    let a = 1234567890123456s\n  }\n}\n"))
                    .isInstanceOf(RunbookException.class);
        }

        @Test
        void durationLiteralOverflowIsASyntaxError() {
            assertThatThrownBy(() -> parse("runbook \"t\" {\n  preflight {\n    let a = 999999999999999d\n  }\n}\n"))
                    .isInstanceOf(RunbookException.class);
        }

        @Test
        void sqlTextOffsetAfterAnEmojiOnTheSameLine() {
            String text =
                    "runbook \"t\" {\n  preflight {\n    check \"\uD83D\uDE80 ok\" { expect count $$ select 1 $$ == 1 }\n  }\n}\n";
            Module m = parse(text);
            Step.Check c = (Step.Check) m.runbook().preflight().get(0);
            SqlText sql = ((Expr.Query) ((Expr.Binary) ((Step.Expect) c.steps().get(0)).condition()).left()).sql();
            assertThat(text.substring(sql.offset(), sql.offset() + sql.text().length()))
                    .isEqualTo(sql.text());
        }
    }
}
