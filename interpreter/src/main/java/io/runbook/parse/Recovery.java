package io.runbook.parse;

import io.runbook.grammar.RunbookLexer;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery, made to skip whole blocks: after `preflght { ... }` it resumes at the next item of the
 * runbook instead of giving up on the rest of the file, so the errors after the first are found too.
 */
final class Recovery extends DefaultErrorStrategy {
    @Override
    public void sync(Parser parser) throws RecognitionException {
        try {
            super.sync(parser);
        } catch (InputMismatchException e) {
            // At the start of a `( ... )*` loop ANTLR gives up on the enclosing rule; skip the bad item instead.
            ATNState state = parser.getInterpreter().atn.states.get(parser.getState());
            if (state.getStateType() != ATNState.STAR_LOOP_ENTRY) throw e;
            reportUnwantedToken(parser);
            consumeUntil(parser, parser.getExpectedTokens().or(getErrorRecoverySet(parser)));
        }
    }

    /** Skips to a token of the set, but never stops inside a `{ ... }` that the skipped text opened. */
    @Override
    protected void consumeUntil(Parser parser, IntervalSet set) {
        int depth = 0;
        int type = parser.getInputStream().LA(1);
        while (type != Token.EOF) {
            if (depth == 0 && set.contains(type)) return;
            if (type == RunbookLexer.LBRACE) depth++;
            else if (type == RunbookLexer.RBRACE && depth > 0) depth--;
            parser.consume();
            type = parser.getInputStream().LA(1);
        }
    }
}
