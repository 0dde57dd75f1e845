package io.runbook.sql;

import java.util.Arrays;
import java.util.Locale;

/**
 * The tokens of one statement's text that sit outside any parentheses (the parentheses of a
 * top-level group count as outside). Enough structure to classify a statement without a
 * parser: a keyword inside a subquery, string or comment never counts.
 *
 * <p>Tokens are lexed as they are asked for: most questions are answered by the first few
 * words (CREATE TABLE is neither transaction control nor a query), so a long statement is
 * not scanned to its end for them.
 */
final class StatementTokens {

    private final String text;
    private final SqlLexer lx;
    private int depth;
    private boolean lexedAll;
    private SqlLexer.Type[] types = new SqlLexer.Type[16];
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int count;
    /** Some token at any depth is the word CONCURRENTLY (REINDEX also takes it as an option). */
    private boolean concurrentlyAnywhere;

    private StatementTokens(String text) {
        this.text = text;
        this.lx = new SqlLexer(text);
    }

    static StatementTokens of(String text) {
        return new StatementTokens(text);
    }

    /** Lexes on until top-level token k is known; false when the text ends before it. */
    private boolean has(int k) {
        while (count <= k && !lexedAll) {
            lexOne();
        }
        return k < count;
    }

    private void lexOne() {
        SqlLexer.Type type = lx.next();
        if (type == SqlLexer.Type.EOF) {
            lexedAll = true;
            return;
        }
        if (type == SqlLexer.Type.WORD && lx.is("CONCURRENTLY")) {
            concurrentlyAnywhere = true;
        }
        boolean top = depth == 0;
        if (type == SqlLexer.Type.LPAREN) {
            depth++;
        } else if (type == SqlLexer.Type.RPAREN && depth > 0) {
            top = --depth == 0;
        }
        if (top) {
            add(type, lx.start, lx.end);
        }
    }

    private void add(SqlLexer.Type type, int start, int end) {
        if (count == types.length) {
            types = Arrays.copyOf(types, count * 2);
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        types[count] = type;
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    int count() {
        while (!lexedAll) {
            lexOne();
        }
        return count;
    }

    SqlLexer.Type type(int k) {
        return k >= 0 && has(k) ? types[k] : SqlLexer.Type.EOF;
    }

    /** Whether top-level token k is the given (upper-case) word, ignoring ASCII case. */
    boolean word(int k, String upper) {
        return type(k) == SqlLexer.Type.WORD && SqlLexer.wordIs(text, starts[k], ends[k], upper);
    }

    /** The text of top-level token k, or "" past the end. */
    String text(int k) {
        return k >= 0 && has(k) ? text.substring(starts[k], ends[k]) : "";
    }

    /** Index of the first top-level token at or after from that is the word, or -1. */
    int find(int from, String upper) {
        for (int k = Math.max(from, 0); has(k); k++) {
            if (word(k, upper)) {
                return k;
            }
        }
        return -1;
    }

    /** The first keyword upper-cased; for "(SELECT 1)" that is SELECT, found inside the group. */
    String keyword() {
        SqlLexer lx = new SqlLexer(text);
        SqlLexer.Type type = lx.next();
        while (type == SqlLexer.Type.LPAREN) {
            type = lx.next();
        }
        return type == SqlLexer.Type.WORD ? text.substring(lx.start, lx.end).toUpperCase(Locale.ROOT) : "";
    }

    boolean concurrentlyAnywhere() {
        count();
        return concurrentlyAnywhere;
    }
}
