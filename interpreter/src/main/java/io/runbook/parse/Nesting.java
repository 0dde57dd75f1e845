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
        Counter counter = new Counter(positions);
        for (Token t : tokens) {
            depths[t.getTokenIndex()] = counter.depth();
            Diagnostic tooDeep = counter.next(t);
            if (tooDeep != null) return tooDeep;
        }
        return null;
    }

    /** The same count, one token at a time (for tokens read as the parser asks for them). */
    static final class Counter {
        private final AstBuilder.Positions positions;
        private final int base;
        private int depth;
        private int prefixRun;

        Counter(AstBuilder.Positions positions) {
            this.positions = positions;
            this.base = positions.depth();
            this.depth = base;
        }

        /** The depth at the next token. */
        int depth() {
            return depth + prefixRun;
        }

        /** Counts token t in: where it goes too deep, the diagnostic, else null. */
        Diagnostic next(Token t) {
            if (t.getChannel() != Token.DEFAULT_CHANNEL) return null;
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
            return null;
        }
    }
}
