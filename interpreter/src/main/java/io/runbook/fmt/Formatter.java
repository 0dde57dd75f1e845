package io.runbook.fmt;

import io.runbook.grammar.RunbookLexer;
import io.runbook.parse.AstBuilder;
import io.runbook.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * The one canonical layout of a runbook file. Line breaks stay where the author put them (runs of blank lines
 * become one); each line is indented two spaces per open brace, two more when it continues an expression;
 * tokens on a line are separated by one space (none inside parentheses and before commas); comments are kept,
 * a trailing comment keeps its distance from the code. SQL bodies ($$...$$) and strings are never touched.
 * Only whitespace changes: the token stream is compared before and after.
 */
public final class Formatter {
    private static final String INDENT = "  ";
    /** After these, a line break means the expression goes on. */
    private static final Set<Integer> OPEN_ENDED = Set.of(
            RunbookLexer.ASSIGN,
            RunbookLexer.AND,
            RunbookLexer.OR,
            RunbookLexer.PLUS,
            RunbookLexer.MINUS,
            RunbookLexer.STAR,
            RunbookLexer.SLASH,
            RunbookLexer.EQ,
            RunbookLexer.NE,
            RunbookLexer.LT,
            RunbookLexer.LE,
            RunbookLexer.GT,
            RunbookLexer.GE,
            RunbookLexer.COMMA,
            RunbookLexer.BETWEEN,
            RunbookLexer.NOT);
    /** A line starting with one of these continues the expression of the line before. */
    private static final Set<Integer> CONTINUING = Set.of(
            RunbookLexer.AND,
            RunbookLexer.OR,
            RunbookLexer.PLUS,
            RunbookLexer.STAR,
            RunbookLexer.SLASH,
            RunbookLexer.EQ,
            RunbookLexer.NE,
            RunbookLexer.LT,
            RunbookLexer.LE,
            RunbookLexer.GT,
            RunbookLexer.GE,
            RunbookLexer.BETWEEN,
            RunbookLexer.ASSIGN,
            RunbookLexer.IDENT,
            RunbookLexer.UNTIL,
            RunbookLexer.RETRY,
            RunbookLexer.NO,
            RunbookLexer.TOLERATE,
            RunbookLexer.EVERY,
            RunbookLexer.FOR,
            RunbookLexer.TYPING);
    /** `expect affected|duration|exit` on a line of its own guards the step above: it continues that step. */
    private static final Set<Integer> GUARDED = Set.of(RunbookLexer.AFFECTED, RunbookLexer.DURATION, RunbookLexer.EXIT);

    private static final Set<Integer> BROKEN = Set.of(
            RunbookLexer.BAD_CHAR,
            io.runbook.grammar.RunbookParser.UNTERMINATED_DOLLAR,
            RunbookLexer.UNTERMINATED_STRING,
            RunbookLexer.UNTERMINATED_INTERPOLATION,
            RunbookLexer.UNTERMINATED_TRIPLE);

    private Formatter() {}

    /**
     * The formatted text. Throws a RunbookException (with the parser's diagnostic) when the text does not parse:
     * a file that does not parse has no canonical layout.
     */
    public static String format(String name, Path path, String text) {
        String source = text.startsWith("\uFEFF") ? text.substring(1) : text;
        source = source.replace("\r\n", "\n").replace('\r', '\n');
        AstBuilder.parse(new SourceFile(name, path, source));
        List<? extends Token> tokens = lex(source);
        for (Token t : tokens) {
            if (BROKEN.contains(t.getType()))
                throw new IllegalStateException("lexer error at line " + t.getLine() + " in a file that parsed");
        }
        String out = layout(tokens);
        if (!sameTokens(tokens, lex(out)))
            throw new IllegalStateException("formatting would change " + name + " beyond whitespace");
        return out;
    }

    static List<? extends Token> lex(String text) {
        RunbookLexer lexer = new RunbookLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        return lexer.getAllTokens();
    }

    private static String layout(List<? extends Token> tokens) {
        StringBuilder out = new StringBuilder();
        int braces = 0;
        int parens = 0;
        Token prev = null; // the previous token of any channel
        Token prevCode = null; // the previous token that is not a comment
        Token beforePrevCode = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            boolean comment = t.getType() == RunbookLexer.LINE_COMMENT;
            if (prev == null) {
                out.append(indent(braces, t, next, parens, prevCode, comment));
            } else {
                int breaks = t.getLine() - endLine(prev);
                if (breaks > 0) {
                    out.append(breaks > 1 ? "\n\n" : "\n");
                    out.append(indent(braces, t, next, parens, prevCode, comment));
                } else if (comment) {
                    out.append(" ".repeat(Math.max(1, t.getStartIndex() - prev.getStopIndex() - 1)));
                } else if (space(beforePrevCode, prev, t)) {
                    out.append(' ');
                }
            }
            out.append(comment ? t.getText().stripTrailing() : t.getText());
            if (!comment) {
                switch (t.getType()) {
                    case RunbookLexer.LBRACE -> braces++;
                    case RunbookLexer.RBRACE -> braces = Math.max(0, braces - 1);
                    case RunbookLexer.LPAREN -> parens++;
                    case RunbookLexer.RPAREN -> parens = Math.max(0, parens - 1);
                    default -> {}
                }
                beforePrevCode = prevCode;
                prevCode = t;
            }
            prev = t;
        }
        return out.isEmpty() ? "" : out.append('\n').toString();
    }

    private static String indent(int braces, Token first, Token next, int parens, Token prevCode, boolean comment) {
        int level = first.getType() == RunbookLexer.RBRACE ? braces - 1 : braces;
        boolean guard = first.getType() == RunbookLexer.EXPECT && next != null && GUARDED.contains(next.getType());
        boolean continues = !comment
                && (parens > 0
                        || guard
                        || CONTINUING.contains(first.getType())
                        || (prevCode != null && OPEN_ENDED.contains(prevCode.getType())));
        return INDENT.repeat(Math.max(0, level) + (continues ? 1 : 0));
    }

    /** Whether one space separates two tokens on a line. */
    private static boolean space(Token beforePrev, Token prev, Token t) {
        int a = prev.getType();
        int b = t.getType();
        if (a == RunbookLexer.LINE_COMMENT) return true;
        if (b == RunbookLexer.RPAREN || b == RunbookLexer.COMMA || a == RunbookLexer.LPAREN) return false;
        if (a == RunbookLexer.DOT || b == RunbookLexer.DOT) return false; // schema.table
        if (b == RunbookLexer.LPAREN && (a == RunbookLexer.IDENT || a == RunbookLexer.RETRY)) return false;
        if (a == RunbookLexer.MINUS && unary(beforePrev)) return false;
        return true;
    }

    /** A minus is unary when what precedes it cannot end an operand. */
    private static boolean unary(Token beforeMinus) {
        if (beforeMinus == null) return true;
        return switch (beforeMinus.getType()) {
            case RunbookLexer.IDENT,
                    RunbookLexer.INT,
                    RunbookLexer.DECIMAL,
                    RunbookLexer.DURATION_LIT,
                    RunbookLexer.STRING,
                    RunbookLexer.TRIPLE_STRING,
                    RunbookLexer.RPAREN,
                    RunbookLexer.DOLLAR_STRING,
                    RunbookLexer.TRUE,
                    RunbookLexer.FALSE,
                    RunbookLexer.NULL,
                    RunbookLexer.AFFECTED,
                    RunbookLexer.DURATION,
                    RunbookLexer.EXIT -> false;
            default -> true;
        };
    }

    static int endLine(Token t) {
        String s = t.getText();
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '\n') n++;
        return t.getLine() + n;
    }

    private static boolean sameTokens(List<? extends Token> a, List<? extends Token> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            Token x = a.get(i);
            Token y = b.get(i);
            if (x.getType() != y.getType()) return false;
            boolean comment = x.getType() == RunbookLexer.LINE_COMMENT;
            // A comment's trailing spaces are whitespace too.
            if (comment
                    ? !x.getText().stripTrailing().equals(y.getText().stripTrailing())
                    : !x.getText().equals(y.getText())) return false;
        }
        return true;
    }
}
