package io.runbook.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlSplitterTest {

    private static List<String> texts(String source) {
        SplitResult r = SqlSplitter.split(source);
        assertThat(r.problems()).isEmpty();
        return r.statements().stream().map(SqlStatement::text).toList();
    }

    @Test
    void splitsAtTopLevelSemicolons() {
        assertThat(texts("CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\n"))
                .containsExactly("CREATE TABLE a (x int)", "INSERT INTO a VALUES (1)");
    }

    @Test
    void semicolonInsideStandardStringDoesNotSplit() {
        assertThat(texts("SELECT 'a;b', 'it''s; fine'; SELECT 2"))
                .containsExactly("SELECT 'a;b', 'it''s; fine'", "SELECT 2");
    }

    @Test
    void escapeStringKeepsBackslashQuoteInside() {
        assertThat(texts("SELECT E'it\\'s;' AS x; SELECT e'\\\\'; SELECT 3"))
                .containsExactly("SELECT E'it\\'s;' AS x", "SELECT e'\\\\'", "SELECT 3");
    }

    @Test
    void backslashInStandardStringIsNotAnEscape() {
        // With standard_conforming_strings (the default) 'a\' is a complete string.
        assertThat(texts("SELECT 'a\\'; SELECT 2")).containsExactly("SELECT 'a\\'", "SELECT 2");
    }

    @Test
    void escapeStringContinuationStaysEscaped() {
        assertThat(texts("SELECT E'a'\n  'b\\';c'; SELECT 2")).containsExactly("SELECT E'a'\n  'b\\';c'", "SELECT 2");
    }

    @Test
    void identifierEndingInEIsNotAnEscapeStringPrefix() {
        // "somee" is an identifier; the following '\' is a plain string.
        assertThat(texts("SELECT 1 AS somee, '\\'; SELECT 2")).containsExactly("SELECT 1 AS somee, '\\'", "SELECT 2");
    }

    @Test
    void unicodeAndBitStringsAreQuotes() {
        assertThat(texts("SELECT U&'d;\\0061t', B'1;0', X'1F;', N'x;y'; SELECT 2"))
                .containsExactly("SELECT U&'d;\\0061t', B'1;0', X'1F;', N'x;y'", "SELECT 2");
    }

    @Test
    void semicolonInQuotedIdentifierDoesNotSplit() {
        assertThat(texts("CREATE TABLE \"quoted;ident\" (\"a\"\"b;\" int); SELECT 1"))
                .containsExactly("CREATE TABLE \"quoted;ident\" (\"a\"\"b;\" int)", "SELECT 1");
    }

    @Test
    void dollarQuotesProtectSemicolons() {
        String fn = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql";
        assertThat(texts(fn + ";\nSELECT f();")).containsExactly(fn, "SELECT f()");
    }

    @Test
    void taggedDollarQuoteContainsPlainDollarQuotesAndSemicolons() {
        String fn = "CREATE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $fn$\n"
                + "BEGIN\n  EXECUTE $$SELECT ';'$$;\n  RETURN $x$;$x$ || $f$;\nEND;\n$fn$";
        assertThat(texts(fn + ";\nDROP FUNCTION g;")).containsExactly(fn, "DROP FUNCTION g");
    }

    @Test
    void positionalParameterIsNotADollarQuote() {
        assertThat(texts("PREPARE p AS SELECT $1 + $2; EXECUTE p(1, 2)"))
                .containsExactly("PREPARE p AS SELECT $1 + $2", "EXECUTE p(1, 2)");
    }

    @Test
    void dollarInsideIdentifierIsNotADollarQuote() {
        assertThat(texts("SELECT a$$b FROM t; SELECT 2")).containsExactly("SELECT a$$b FROM t", "SELECT 2");
    }

    @Test
    void nestedBlockCommentsAreSkippedWhole() {
        assertThat(texts("SELECT 1 /* outer /* inner */ still; comment */ + 1; SELECT 2"))
                .containsExactly("SELECT 1 /* outer /* inner */ still; comment */ + 1", "SELECT 2");
    }

    @Test
    void lineCommentHidesSemicolon() {
        assertThat(texts("SELECT 1 -- not here; nor here\n + 1;\nSELECT 2"))
                .containsExactly("SELECT 1 -- not here; nor here\n + 1", "SELECT 2");
    }

    @Test
    void semicolonInsideParenthesesDoesNotSplit() {
        String rule =
                "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); " + "INSERT INTO log VALUES (2))";
        assertThat(texts(rule + "; SELECT 1")).containsExactly(rule, "SELECT 1");
    }

    @Test
    void beginAtomicFunctionBodyKeepsItsStatements() {
        String fn = "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\n"
                + "BEGIN ATOMIC\n"
                + "  INSERT INTO t VALUES (x);\n"
                + "  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n"
                + "  SELECT x * 2;\n"
                + "END";
        String proc = "CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END";
        assertThat(texts(fn + ";\n" + proc + ";\nBEGIN;\nSELECT 1;\nEND;"))
                .containsExactly(fn, proc, "BEGIN", "SELECT 1", "END");
    }

    @Test
    void finalStatementWithoutSemicolonCounts() {
        assertThat(texts("SELECT 1;\nSELECT 2\n\n")).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void emptyStatementsAreDropped() {
        assertThat(texts(";;\n  ; -- only a comment\n; /* and this */ ;SELECT 1;;"))
                .containsExactly("SELECT 1");
        assertThat(texts("   \n-- nothing\n")).isEmpty();
    }

    @Test
    void offsetsPointAtFirstTokenAndEndBeforeSemicolon() {
        String src = "-- header\n/* block */\n  SELECT 1  ;\n\n  -- next\n  SELECT 2 -- trailing\n";
        SplitResult r = SqlSplitter.split(src);
        SqlStatement first = r.statements().get(0);
        SqlStatement second = r.statements().get(1);
        assertThat(first.start()).isEqualTo(src.indexOf("SELECT 1"));
        assertThat(first.end()).isEqualTo(src.indexOf("SELECT 1") + "SELECT 1".length());
        assertThat(src.substring(first.start(), first.end())).isEqualTo(first.text());
        assertThat(second.start()).isEqualTo(src.indexOf("SELECT 2"));
        assertThat(second.text()).isEqualTo("SELECT 2");
        assertThat(second.copyData()).isNull();
        assertThat(second.copyDataStart()).isEqualTo(-1);
    }

    @Test
    void recordsEachKindOfVariable() {
        SqlStatement st = SqlSplitter.split("\n  SELECT :a, :'lit', :\"ident\" FROM :schema.t;")
                .statements()
                .get(0);
        assertThat(st.vars())
                .containsExactly(
                        new VarRef(7, 9, "a", VarRef.Kind.RAW),
                        new VarRef(11, 17, "lit", VarRef.Kind.LITERAL),
                        new VarRef(19, 27, "ident", VarRef.Kind.IDENTIFIER),
                        new VarRef(33, 40, "schema", VarRef.Kind.RAW));
        for (VarRef v : st.vars()) {
            assertThat(st.text().substring(v.start(), v.end())).isEqualTo(v.written());
        }
    }

    @Test
    void variableNamesMayContainDigitsUnderscoresAndNonAsciiLetters() {
        SqlStatement st = SqlSplitter.split("SELECT :v_2, :größe").statements().get(0);
        assertThat(st.vars()).extracting(VarRef::name).containsExactly("v_2", "größe");
    }

    @Test
    void noVariablesInQuotesCommentsDollarQuotesCastsOrSlices() {
        String src = "SELECT ':a', \":b\", $$ :c $$, $t$:d$t$, x::text, a[1:3], a[2:n2] -- :e\n"
                + "/* :f */, E'\\':g', y := 1, :'not valid', :";
        SqlStatement st = SqlSplitter.split(src).statements().get(0);
        assertThat(st.vars()).extracting(VarRef::name).containsExactly("n2");
    }

    @Test
    void variableRefsAreRelativeToTheirStatement() {
        SplitResult r = SqlSplitter.split("SELECT 1;\n  SELECT :x;");
        SqlStatement st = r.statements().get(1);
        assertThat(st.vars()).containsExactly(new VarRef(7, 9, "x", VarRef.Kind.RAW));
        assertThat(r.statements().get(0).vars()).isEmpty();
    }

    @Test
    void copyFromStdinTakesInlineData() {
        String src = "CREATE TABLE t (a text, b text);\n"
                + "COPY t (a, b) FROM stdin;\n"
                + "x;y\t'quoted' \"and\" $$\n"
                + "second\tline;\n"
                + "\\.\n"
                + "SELECT count(*) FROM t;\n";
        SplitResult r = SqlSplitter.split(src);
        assertThat(r.problems()).isEmpty();
        assertThat(r.statements())
                .extracting(SqlStatement::text)
                .containsExactly(
                        "CREATE TABLE t (a text, b text)", "COPY t (a, b) FROM stdin", "SELECT count(*) FROM t");
        SqlStatement copy = r.statements().get(1);
        assertThat(copy.isCopyFromStdin()).isTrue();
        assertThat(copy.copyData()).isEqualTo("x;y\t'quoted' \"and\" $$\nsecond\tline;\n");
        assertThat(copy.copyDataStart()).isEqualTo(src.indexOf("x;y"));
        assertThat(r.statements().get(2).copyData()).isNull();
    }

    @Test
    void copyWithOptionsAndCrLfTerminator() {
        String src = "copy t from STDIN with (format csv, header);\r\na,b\r\n1,2\r\n\\.\r\nSELECT 1";
        SplitResult r = SqlSplitter.split(src);
        assertThat(r.problems()).isEmpty();
        assertThat(r.statements()).hasSize(2);
        assertThat(r.statements().get(0).copyData()).isEqualTo("a,b\r\n1,2\r\n");
        assertThat(r.statements().get(1).text()).isEqualTo("SELECT 1");
    }

    @Test
    void copyWithEmptyDataAndTerminatorAtEndOfSource() {
        SplitResult r = SqlSplitter.split("COPY t FROM STDIN;\n\\.");
        assertThat(r.problems()).isEmpty();
        assertThat(r.statements())
                .singleElement()
                .satisfies(s -> assertThat(s.copyData()).isEmpty());
    }

    @Test
    void copyFromFileOrFromTableNamedStdinIsNotInline() {
        SplitResult r = SqlSplitter.split("COPY t FROM '/tmp/x';\nSELECT * FROM stdin;\nSELECT 2;");
        assertThat(r.statements()).hasSize(3);
        assertThat(r.statements()).allSatisfy(s -> assertThat(s.copyData()).isNull());
    }

    @Test
    void unterminatedCopyDataIsAProblem() {
        String src = "SELECT 1;\nCOPY t FROM stdin;\n1\n2\n";
        SplitResult r = SqlSplitter.split(src);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).isEqualTo("COPY data not terminated by a line '\\.'");
            assertThat(p.offset()).isEqualTo(src.indexOf("COPY"));
        });
        assertThat(r.statements().get(1).copyData()).isEqualTo("1\n2\n");
    }

    @Test
    void copyAtEndOfSourceWithoutDataIsAProblem() {
        SplitResult r = SqlSplitter.split("COPY t FROM stdin");
        assertThat(r.problems())
                .extracting(SqlProblem::message)
                .containsExactly("COPY data not terminated by a line '\\.'");
        assertThat(r.statements().get(0).copyData()).isEmpty();
    }

    @Test
    void statementAfterCopyOnSameLineIsAProblem() {
        String src = "COPY t FROM stdin; SELECT 1;\n1\n\\.\n";
        SplitResult r = SqlSplitter.split(src);
        assertThat(r.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.offset()).isEqualTo(src.indexOf("SELECT")));
        assertThat(r.statements())
                .singleElement()
                .satisfies(s -> assertThat(s.copyData()).isEqualTo("1\n"));
    }

    @Test
    void commentAfterCopyOnSameLineIsFine() {
        SplitResult r = SqlSplitter.split("COPY t FROM stdin; -- data follows\n1\n\\.\n");
        assertThat(r.problems()).isEmpty();
        assertThat(r.statements().get(0).copyData()).isEqualTo("1\n");
    }

    @Test
    void metaCommandsAreProblemsWithTailoredHints() {
        String src = "\\set x 1\nSELECT 1;\n\\i other.sql\n\\ir rel.sql\n\\echo hi; there\n"
                + "\\if :x\n\\connect db\nSELECT 2;\n";
        SplitResult r = SqlSplitter.split(src);
        assertThat(r.statements()).extracting(SqlStatement::text).containsExactly("SELECT 1", "SELECT 2");
        assertThat(r.problems())
                .extracting(SqlProblem::message)
                .containsExactly(
                        "psql meta-command \\set is not supported",
                        "psql meta-command \\i is not supported",
                        "psql meta-command \\ir is not supported",
                        "psql meta-command \\echo is not supported",
                        "psql meta-command \\if is not supported",
                        "psql meta-command \\connect is not supported");
        assertThat(r.problems())
                .extracting(SqlProblem::offset)
                .containsExactly(
                        0,
                        src.indexOf("\\i "),
                        src.indexOf("\\ir"),
                        src.indexOf("\\echo"),
                        src.indexOf("\\if"),
                        src.indexOf("\\connect"));
        List<String> hints = r.problems().stream().map(SqlProblem::hint).toList();
        assertThat(hints.get(0)).contains("param").contains("let");
        assertThat(hints.get(1)).contains("sql file");
        assertThat(hints.get(2)).contains("sql file");
        assertThat(hints.get(3)).contains("echo");
        assertThat(hints.get(4)).contains("expect").contains("check");
        assertThat(hints.get(5))
                .startsWith("runbook runs SQL only")
                .contains("sql file")
                .contains("let")
                .contains("echo");
    }

    @Test
    void metaCommandEndsTheStatementInProgress() {
        SplitResult r = SqlSplitter.split("SELECT 1 \\gset\nSELECT 2;");
        assertThat(r.statements()).extracting(SqlStatement::text).containsExactly("SELECT 1", "SELECT 2");
        assertThat(r.problems())
                .extracting(SqlProblem::message)
                .containsExactly("psql meta-command \\gset is not supported");
    }

    @Test
    void psqlEscapesAreProblemsButDoNotEndTheStatement() {
        SplitResult r = SqlSplitter.split("SELECT 1 \\; SELECT 2;");
        assertThat(r.statements()).extracting(SqlStatement::text).containsExactly("SELECT 1 \\; SELECT 2");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).isEqualTo("psql escape \\; is not supported");
            assertThat(p.offset()).isEqualTo(9);
        });
    }

    @Test
    void backslashInsideQuotesOrCommentsIsNotAMetaCommand() {
        assertThat(texts("SELECT '\\i x', E'\\n', $$\\set$$ /* \\echo */ -- \\if\n;"))
                .containsExactly("SELECT '\\i x', E'\\n', $$\\set$$");
    }

    @Test
    void unterminatedConstructsAreReportedWhereTheyOpen() {
        assertProblemAt("SELECT 1;\nSELECT 'abc;\n", "SELECT 'abc", 7, "unterminated quoted string (opened here)");
        assertProblemAt("SELECT E'ab\\';", "SELECT E", 7, "unterminated quoted string E'...' (opened here)");
        assertProblemAt("SELECT \"abc;", "SELECT \"", 7, "unterminated quoted identifier (opened here)");
        assertProblemAt(
                "SELECT 1; CREATE FUNCTION f() AS $fn$ BEGIN; $$ END; $fn;",
                "CREATE",
                23,
                "unterminated dollar-quoted string $fn$ (opened here)");
        assertProblemAt("SELECT 1 /* a /* b */ ;", "SELECT", 9, "unterminated block comment (opened here)");
    }

    private static void assertProblemAt(String src, String anchor, int delta, String message) {
        SplitResult r = SqlSplitter.split(src);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).isEqualTo(message);
            assertThat(p.offset()).isEqualTo(src.indexOf(anchor) + delta);
            assertThat(p.hint()).isNotBlank();
        });
    }

    @Test
    void unterminatedStatementIsStillReturned() {
        SplitResult r = SqlSplitter.split("SELECT 1; SELECT $$ abc");
        assertThat(r.statements()).extracting(SqlStatement::text).containsExactly("SELECT 1", "SELECT $$ abc");
    }

    @Test
    void splitsALargeSourceInLinearTime() {
        int n = 20_000;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("-- step ")
                    .append(i)
                    .append('\n')
                    .append("INSERT INTO t (id, note) VALUES (")
                    .append(i)
                    .append(", 'it''s; ")
                    .append(i)
                    .append("') /* ; */ RETURNING :'who';\n");
        }
        SplitResult r = SqlSplitter.split(b.toString());
        assertThat(r.problems()).isEmpty();
        assertThat(r.statements()).hasSize(n);
        assertThat(r.statements().get(n - 1).text())
                .isEqualTo("INSERT INTO t (id, note) VALUES (19999, 'it''s; 19999') /* ; */ " + "RETURNING :'who'");
        assertThat(r.statements()).allSatisfy(s -> assertThat(s.vars()).hasSize(1));
    }
}
