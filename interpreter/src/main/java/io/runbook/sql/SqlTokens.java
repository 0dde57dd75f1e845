package io.runbook.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Read-only access to the tokens of a SQL text as the splitter's scanner sees them, comments
 * included, for tools that look at SQL without running it (runbook lint). Offsets are
 * relative to the text given.
 */
public final class SqlTokens {

    /** Token kinds: those of the scanner, plus COMMENT (-- to end of line, or nested block). */
    public enum Kind {
        WORD,
        QUOTED_IDENT,
        STRING,
        DOLLAR_STRING,
        NUMBER,
        PARAM,
        VAR,
        LPAREN,
        RPAREN,
        COMMA,
        SEMI,
        BACKSLASH,
        OP,
        COMMENT
    }

    /**
     * One token: [start, end) in the text, and its parenthesis depth (a '(' and its ')' have
     * the depth outside them; tokens between them one more).
     */
    public record Token(Kind kind, int start, int end, int depth) {}

    private SqlTokens() {}

    /** The kind of each scanner type, by ordinal (the same names): valueOf per token cost a map lookup. */
    private static final Kind[] KINDS = new Kind[SqlLexer.Type.values().length];

    static {
        for (SqlLexer.Type t : SqlLexer.Type.values()) {
            if (t != SqlLexer.Type.EOF) {
                KINDS[t.ordinal()] = Kind.valueOf(t.name());
            }
        }
    }

    /** All tokens of text, in order, comments included. Unterminated constructs end the text. */
    public static List<Token> of(String text) {
        List<Token> out = new ArrayList<>();
        SqlLexer lx = new SqlLexer(text);
        int depth = 0;
        int gapFrom = 0;
        while (true) {
            SqlLexer.Type type = lx.next();
            comments(text, gapFrom, lx.start, depth, out);
            if (type == SqlLexer.Type.EOF) {
                return out;
            }
            Kind kind = KINDS[type.ordinal()];
            if (type == SqlLexer.Type.RPAREN && depth > 0) {
                depth--;
            }
            out.add(new Token(kind, lx.start, lx.end, depth));
            if (type == SqlLexer.Type.LPAREN) {
                depth++;
            }
            gapFrom = lx.end;
        }
    }

    /**
     * The comments in text[from, to), a stretch the scanner skipped: it holds only whitespace
     * and comments, so finding them needs no further context.
     */
    private static void comments(String s, int from, int to, int depth, List<Token> out) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '-' && i + 1 < to && s.charAt(i + 1) == '-') {
                int e = i + 2;
                while (e < to && s.charAt(e) != '\n' && s.charAt(e) != '\r') {
                    e++;
                }
                out.add(new Token(Kind.COMMENT, i, e, depth));
                i = e;
            } else if (c == '/' && i + 1 < to && s.charAt(i + 1) == '*') {
                int nest = 1;
                int e = i + 2;
                while (e < to && nest > 0) {
                    if (s.charAt(e) == '*' && e + 1 < to && s.charAt(e + 1) == '/') {
                        nest--;
                        e += 2;
                    } else if (s.charAt(e) == '/' && e + 1 < to && s.charAt(e + 1) == '*') {
                        nest++;
                        e += 2;
                    } else {
                        e++;
                    }
                }
                out.add(new Token(Kind.COMMENT, i, e, depth));
                i = e;
            } else {
                i++;
            }
        }
    }
}
