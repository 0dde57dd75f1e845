package io.runbook.lint;

import io.runbook.sql.SqlTokens;
import io.runbook.sql.SqlTokens.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of one statement (comments left out), with the small vocabulary the analysers need:
 * "is token k the word X", "the identifier at k", "where does this group close". Token indexes
 * past either end read as an end-of-statement token that matches nothing.
 */
final class Toks {
    final String text;
    private final List<SqlTokens.Token> tokens;
    final List<SqlTokens.Token> comments;

    private Toks(String text, List<SqlTokens.Token> tokens, List<SqlTokens.Token> comments) {
        this.text = text;
        this.tokens = tokens;
        this.comments = comments;
    }

    static Toks of(String text) {
        List<SqlTokens.Token> code = new ArrayList<>();
        List<SqlTokens.Token> comments = new ArrayList<>();
        for (SqlTokens.Token t : SqlTokens.of(text)) (t.kind() == Kind.COMMENT ? comments : code).add(t);
        return new Toks(text, code, comments);
    }

    int size() {
        return tokens.size();
    }

    Kind kind(int k) {
        return k >= 0 && k < tokens.size() ? tokens.get(k).kind() : null;
    }

    int start(int k) {
        return k < tokens.size() ? tokens.get(Math.max(k, 0)).start() : text.length();
    }

    int end(int k) {
        return k < tokens.size() ? tokens.get(Math.max(k, 0)).end() : text.length();
    }

    int depth(int k) {
        return k >= 0 && k < tokens.size() ? tokens.get(k).depth() : -1;
    }

    String raw(int k) {
        return k >= 0 && k < tokens.size() ? text.substring(start(k), end(k)) : "";
    }

    /** The text from the start of token a to the end of token b (inclusive). */
    String raw(int a, int b) {
        return b < a ? "" : text.substring(start(a), end(Math.min(b, size() - 1)));
    }

    /** Whether token k is the word upper (given in upper case), compared without allocating: this runs for every token. */
    boolean word(int k, String upper) {
        if (k < 0 || k >= tokens.size()) return false;
        SqlTokens.Token t = tokens.get(k);
        return t.kind() == Kind.WORD
                && t.end() - t.start() == upper.length()
                && text.regionMatches(true, t.start(), upper, 0, upper.length());
    }

    boolean words(int k, String... upper) {
        for (int i = 0; i < upper.length; i++) if (!word(k + i, upper[i])) return false;
        return true;
    }

    boolean op(int k, String op) {
        return kind(k) == Kind.OP && raw(k).equals(op);
    }

    boolean is(int k, Kind kind) {
        return kind(k) == kind;
    }

    /** A name part: a word or a quoted identifier (or a psql variable standing for one). */
    boolean isIdent(int k) {
        return kind(k) == Kind.WORD || kind(k) == Kind.QUOTED_IDENT || kind(k) == Kind.VAR;
    }

    /** The identifier at k as PostgreSQL folds it: unquoted lower-cased, quoted as written. */
    String ident(int k) {
        String r = raw(k);
        if (kind(k) == Kind.QUOTED_IDENT && r.startsWith("\""))
            return r.substring(1, r.length() - 1).replace("\"\"", "\"");
        if (kind(k) == Kind.WORD) return r.toLowerCase(Locale.ROOT);
        return r;
    }

    /** Index of the ')' closing the '(' at k (or the last token when it never closes). */
    int close(int k) {
        int d = depth(k);
        for (int i = k + 1; i < size(); i++) if (kind(i) == Kind.RPAREN && depth(i) == d) return i;
        return size() - 1;
    }

    /** First index in [from, to) with the word at depth d, or -1. */
    int find(int from, int to, int d, String upper) {
        for (int i = Math.max(from, 0); i < Math.min(to, size()); i++) if (depth(i) == d && word(i, upper)) return i;
        return -1;
    }

    /** Whether the two words appear one after the other at depth d within [from, to). */
    boolean hasPair(int from, int to, int d, String a, String b) {
        for (int i = find(from, to, d, a); i >= 0; i = find(i + 1, to, d, a))
            if (word(i + 1, b) && depth(i + 1) == d) return true;
        return false;
    }

    /** Splits [from, to) at top-level commas (depth d): the start index of each part, plus to. */
    List<Integer> splitCommas(int from, int to, int d) {
        List<Integer> parts = new ArrayList<>();
        parts.add(from);
        for (int i = from; i < to; i++) if (kind(i) == Kind.COMMA && depth(i) == d) parts.add(i + 1);
        parts.add(to);
        return parts;
    }

    /** A possibly qualified name starting at k: its parts and the index after it. */
    record NameAt(Name name, int next) {}

    NameAt name(int k) {
        if (!isIdent(k)) return null;
        List<String> parts = new ArrayList<>();
        StringBuilder shown = new StringBuilder(raw(k));
        parts.add(ident(k));
        int i = k + 1;
        while (op(i, ".") && isIdent(i + 1)) {
            parts.add(ident(i + 1));
            shown.append('.').append(raw(i + 1));
            i += 2;
        }
        return new NameAt(Name.of(parts, shown.toString()), i);
    }
}
