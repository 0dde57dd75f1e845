package io.runbook.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PsqlVariablesTest {

    private static SqlStatement stmt(String sql) {
        return SqlSplitter.split(sql).statements().get(0);
    }

    @Test
    void quoteLiteralDoublesQuotesSoInjectionStaysOneLiteral() {
        String evil = "'); drop table x; --";
        String quoted = PsqlVariables.quoteLiteral(evil);
        assertThat(quoted).isEqualTo("'''); drop table x; --'");
        // Spliced into SQL, it is still one statement holding one string token.
        SplitResult r = SqlSplitter.split("INSERT INTO t VALUES (" + quoted + ")");
        assertThat(r.problems()).isEmpty();
        assertThat(r.statements())
                .singleElement()
                .satisfies(s -> assertThat(s.text()).endsWith(quoted + ")"));
        assertThat(PsqlVariables.quoteLiteral("it's")).isEqualTo("'it''s'");
        assertThat(PsqlVariables.quoteLiteral("")).isEqualTo("''");
    }

    @Test
    void quoteLiteralUsesEscapeFormForBackslashes() {
        assertThat(PsqlVariables.quoteLiteral("a\\b")).isEqualTo("E'a\\\\b'");
        assertThat(PsqlVariables.quoteLiteral("\\'; x")).isEqualTo("E'\\\\''; x'");
        assertThat(SqlSplitter.split("SELECT " + PsqlVariables.quoteLiteral("\\'; x") + "; SELECT 2")
                        .statements())
                .hasSize(2);
    }

    @Test
    void quoteIdentifierDoublesDoubleQuotes() {
        assertThat(PsqlVariables.quoteIdentifier("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(PsqlVariables.quoteIdentifier("My Table")).isEqualTo("\"My Table\"");
    }

    @Test
    void substitutesEachKind() {
        SqlStatement st = stmt("SELECT :cols FROM :\"tbl\" WHERE name = :'name'");
        Map<String, String> vars = Map.of("cols", "a, b", "tbl", "Odd\"Name", "name", "O'Brien");
        PsqlVariables.Substituted out = PsqlVariables.substitute(st, vars::get);
        assertThat(out.sql()).isEqualTo("SELECT a, b FROM \"Odd\"\"Name\" WHERE name = 'O''Brien'");
    }

    @Test
    void escapeFormLiteralIsKeptApartFromPrecedingWord() {
        SqlStatement st = stmt("SELECT:'v', x = :'v'");
        String sql = PsqlVariables.substitute(st, Map.of("v", "a\\b")::get).sql();
        assertThat(sql).isEqualTo("SELECT E'a\\\\b', x = E'a\\\\b'");
    }

    @Test
    void statementWithoutVariablesIsUnchanged() {
        SqlStatement st = stmt("SELECT ':x', y::text");
        PsqlVariables.Substituted out = PsqlVariables.substitute(st, name -> {
            throw new AssertionError("no lookup expected for " + name);
        });
        assertThat(out.sql()).isEqualTo(st.text());
        assertThat(out.toStatementOffset().applyAsInt(5)).isEqualTo(5);
    }

    @Test
    void undefinedVariableThrowsWithItsReference() {
        SqlStatement st = stmt("SELECT :a, :'missing'");
        assertThatThrownBy(() -> PsqlVariables.substitute(st, Map.of("a", "1")::get))
                .isInstanceOfSatisfying(UndefinedVariableException.class, e -> {
                    assertThat(e.ref()).isEqualTo(new VarRef(11, 21, "missing", VarRef.Kind.LITERAL));
                    assertThat(e.getMessage()).contains(":'missing'");
                });
    }

    @Test
    void offsetsMapBackThroughSubstitutedValues() {
        // text:  SELECT :a + :'b' FROM t
        //        0123456789012345678901234
        SqlStatement st = stmt("SELECT :a + :'b' FROM t");
        PsqlVariables.Substituted out = PsqlVariables.substitute(st, Map.of("a", "12345", "b", "x")::get);
        assertThat(out.sql()).isEqualTo("SELECT 12345 + 'x' FROM t");
        var map = out.toStatementOffset();
        assertThat(map.applyAsInt(0)).isEqualTo(0);
        assertThat(map.applyAsInt(6)).isEqualTo(6);
        for (int i = 7; i < 12; i++) {
            assertThat(map.applyAsInt(i)).as("inside value at %d", i).isEqualTo(7);
        }
        assertThat(map.applyAsInt(12)).isEqualTo(9); // the space after :a
        assertThat(map.applyAsInt(13)).isEqualTo(10); // '+'
        assertThat(map.applyAsInt(15)).isEqualTo(12); // start of 'x' -> start of :'b'
        assertThat(map.applyAsInt(17)).isEqualTo(12);
        assertThat(map.applyAsInt(out.sql().indexOf("FROM")))
                .isEqualTo(st.text().indexOf("FROM"));
        assertThat(map.applyAsInt(out.sql().length())).isEqualTo(st.text().length());
    }

    @Test
    void offsetsMapAcrossEmptyAndAdjacentValues() {
        SqlStatement st = stmt("SELECT :a:b, 1");
        PsqlVariables.Substituted out = PsqlVariables.substitute(st, Map.of("a", "", "b", "42")::get);
        assertThat(out.sql()).isEqualTo("SELECT 42, 1");
        assertThat(out.toStatementOffset().applyAsInt(7)).isEqualTo(9); // inside "42" -> :b
        assertThat(out.toStatementOffset().applyAsInt(9)).isEqualTo(11); // ',' after :b
    }
}
