package io.runbook.sql;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

/** psql-style interpolation of :name, :'name' and :"name" into a statement. */
public final class PsqlVariables {

    private PsqlVariables() {}

    /**
     * The SQL to send, and a map from its offsets back to offsets in the statement text, so a
     * server error position can be shown in the source. Offsets inside a substituted value map
     * to the start of its reference; offsets past the end map past the end of the text.
     */
    public record Substituted(String sql, IntUnaryOperator toStatementOffset) {}

    /**
     * Substitutes the statement's variable references. lookup returns a variable's text value,
     * or null when it is undefined.
     *
     * @throws UndefinedVariableException for the first reference whose variable is undefined
     */
    public static Substituted substitute(SqlStatement statement, Function<String, String> lookup) {
        String text = statement.text();
        List<VarRef> vars = statement.vars();
        if (vars.isEmpty()) {
            return new Substituted(text, PsqlVariables::checked);
        }
        // Segments alternate: copied text, then a value; outStart[k] is where segment k begins
        // in the result and srcStart[k] where it came from in the text.
        int n = vars.size() * 2 + 1;
        int[] outStart = new int[n];
        int[] srcStart = new int[n];
        StringBuilder sql = new StringBuilder(text.length() + 16 * vars.size());
        int copied = 0;
        for (int k = 0; k < vars.size(); k++) {
            VarRef ref = vars.get(k);
            String value = lookup.apply(ref.name());
            if (ref.kind() == VarRef.Kind.TEST) {
                value = value == null ? "FALSE" : "TRUE";
            }
            if (value == null) {
                throw new UndefinedVariableException(ref);
            }
            outStart[2 * k] = sql.length();
            srcStart[2 * k] = copied;
            sql.append(text, copied, ref.start());
            outStart[2 * k + 1] = sql.length();
            srcStart[2 * k + 1] = ref.start();
            sql.append(interpolate(text, ref, value));
            copied = ref.end();
        }
        outStart[n - 1] = sql.length();
        srcStart[n - 1] = copied;
        sql.append(text, copied, text.length());

        String result = sql.toString();
        int resultLength = result.length();
        int textLength = text.length();
        IntUnaryOperator map = o -> {
            checked(o);
            if (o >= resultLength) {
                return textLength + (o - resultLength);
            }
            int k = lastAtOrBefore(outStart, o);
            boolean isValue = (k & 1) == 1;
            return isValue ? srcStart[k] : srcStart[k] + (o - outStart[k]);
        };
        return new Substituted(result, map);
    }

    private static String interpolate(String text, VarRef ref, String value) {
        return switch (ref.kind()) {
            case RAW, TEST -> value;
            case IDENTIFIER -> quoteIdentifier(value);
            case LITERAL -> {
                String literal = quoteLiteral(value);
                // x:'v' must not become xE'...': that would read as identifier xE and a plain string.
                boolean glued = literal.charAt(0) == 'E'
                        && ref.start() > 0
                        && SqlLexer.isIdentCont(text.charAt(ref.start() - 1));
                yield glued ? " " + literal : literal;
            }
        };
    }

    /** The last segment starting at or before o; later segments win ties (empty segments). */
    private static int lastAtOrBefore(int[] starts, int o) {
        int i = Arrays.binarySearch(starts, o);
        if (i < 0) {
            return -i - 2;
        }
        while (i + 1 < starts.length && starts[i + 1] == o) {
            i++;
        }
        return i;
    }

    private static int checked(int offset) {
        if (offset < 0) {
            throw new IndexOutOfBoundsException("negative offset " + offset);
        }
        return offset;
    }

    /**
     * A string literal for value, like libpq's PQescapeLiteral: quotes doubled; when the value
     * contains a backslash, the E'' form with backslashes doubled, which reads the same
     * whatever standard_conforming_strings is set to.
     */
    public static String quoteLiteral(String value) {
        boolean backslash = value.indexOf('\\') >= 0;
        StringBuilder b = new StringBuilder(value.length() + 3);
        if (backslash) {
            b.append('E');
        }
        b.append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' || c == '\\') {
                b.append(c);
            }
            b.append(c);
        }
        return b.append('\'').toString();
    }

    /** A quoted identifier for value, like libpq's PQescapeIdentifier: "a""b". */
    public static String quoteIdentifier(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
