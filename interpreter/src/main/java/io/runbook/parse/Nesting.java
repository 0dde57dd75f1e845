package io.runbook.parse;

import io.runbook.grammar.RunbookLexer;
import io.runbook.source.Diagnostic;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * The documented nesting limit (docs/reference.md), checked on the tokens before parsing: a parser and
 * an interpreter that recurse cannot take unbounded depth, so `((((...` or a thousand nested checks get
 * an error at the place that goes too deep instead of a stack overflow.
 */
final class Nesting {
    /** Blocks, parentheses and prefix operators (`not`, `-`) nested in each other. */
    static final int MAX_DEPTH = 64;

    private Nesting() {}

    /**
     * The first place that goes too deep, or null; depths[i] is set to the depth at token i, counted from the
     * positions' depth (that of the string a `${...}` fragment stands in).
     */
    static Diagnostic check(List<Token> tokens, int[] depths, AstBuilder.Positions positions) {
        int base = positions.depth();
        int depth = base;
        int prefixRun = 0;
        for (Token t : tokens) {
            depths[t.getTokenIndex()] = depth + prefixRun;
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            switch (t.getType()) {
                case RunbookLexer.LBRACE, RunbookLexer.LPAREN -> depth++;
                case RunbookLexer.RBRACE, RunbookLexer.RPAREN -> depth = Math.max(base, depth - 1);
                default -> {}
            }
            boolean prefix = t.getType() == RunbookLexer.NOT || t.getType() == RunbookLexer.MINUS;
            prefixRun = prefix ? prefixRun + 1 : 0;
            if (depth + prefixRun > MAX_DEPTH) {
                return new Diagnostic(
                        positions.at(t.getLine(), t.getCharPositionInLine()),
                        "nested more than " + MAX_DEPTH + " levels deep",
                        "blocks, parentheses and `not`/`-` nest at most " + MAX_DEPTH
                                + " deep: name parts with `let` or `def`, or split the checks");
            }
        }
        return null;
    }
}
