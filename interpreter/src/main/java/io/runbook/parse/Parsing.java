package io.runbook.parse;

import io.runbook.grammar.RunbookLexer;
import io.runbook.grammar.RunbookParser;
import io.runbook.source.Diagnostic;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTreeListener;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Drives ANTLR, as Trino's SqlParser does: SLL prediction first (fast, and enough for every valid runbook),
 * then, only when SLL fails, full LL with error recovery so that every syntax error is collected. The
 * builder (AstBuilder) only ever sees a tree without errors.
 */
final class Parsing {
    /**
     * A parse tree (null when there were errors) with its tokens (comments included, on the hidden channel) and
     * the nesting depth at each token.
     */
    record Result<T>(T tree, CommonTokenStream tokens, int[] depths, List<Diagnostic> errors) {
        RunbookLexer lexer() {
            return (RunbookLexer) tokens.getTokenSource();
        }
    }

    private Parsing() {}

    /**
     * Told of each phase as soon as it is parsed (fast SLL pass only): the builder turns it into a Phase and drops
     * its subtree, so a runbook of a hundred thousand steps is never a whole parse tree at once. retry: the SLL pass
     * failed, forget what was built (the tree is parsed again, whole).
     */
    interface PhaseListener {
        /** The tokens, before parsing starts: building a phase reads where each string's `${...}` are. */
        void lexed(Result<?> lexed);

        void parsed(RunbookParser.PhaseContext phase);

        void retry();
    }

    static Result<RunbookParser.FileContext> file(String text, AstBuilder.Positions positions, PhaseListener phases) {
        return run(text, positions, RunbookParser::file, phases);
    }

    static Result<RunbookParser.InterpolationContext> interpolation(String text, AstBuilder.Positions positions) {
        return run(text, positions, RunbookParser::interpolation, null);
    }

    private static <T extends ParserRuleContext> Result<T> run(
            String text, AstBuilder.Positions positions, Function<RunbookParser, T> rule, PhaseListener phases) {
        RunbookLexer lexer =
                new RunbookLexer(CharStreams.fromString(text, positions.file().name()));
        lexer.removeErrorListeners(); // BAD_CHAR and the UNTERMINATED_* tokens carry lexical errors to the parser
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        int[] depths = new int[tokens.size()];
        Diagnostic tooDeep = Nesting.check(tokens.getTokens(), depths, positions);
        if (tooDeep != null) return new Result<>(null, tokens, depths, List.of(tooDeep));

        if (phases != null) phases.lexed(new Result<>(null, tokens, depths, List.of()));
        RunbookParser parser = new RunbookParser(tokens);
        parser.setTrimParseTree(true); // a node's children list has room for ten: a big runbook's tree halves
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        if (phases != null) {
            parser.addParseListener(new ParseTreeListener() {
                @Override
                public void exitEveryRule(ParserRuleContext ctx) {
                    if (ctx instanceof RunbookParser.PhaseContext p) phases.parsed(p);
                }

                @Override
                public void enterEveryRule(ParserRuleContext ctx) {}

                @Override
                public void visitTerminal(TerminalNode node) {}

                @Override
                public void visitErrorNode(ErrorNode node) {}
            });
        }
        try {
            return new Result<>(rule.apply(parser), tokens, depths, List.of());
        } catch (ParseCancellationException sllFailed) {
            if (phases != null) {
                parser.removeParseListeners();
                phases.retry();
            }
            tokens.seek(0);
            parser.reset();
            parser.setErrorHandler(new Recovery());
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            SyntaxErrors errors = new SyntaxErrors(positions, tokens);
            parser.addErrorListener(errors);
            T tree = rule.apply(parser);
            return new Result<>(errors.diagnostics().isEmpty() ? tree : null, tokens, depths, errors.diagnostics());
        }
    }
}
