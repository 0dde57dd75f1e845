package io.runbook.parse;

import io.runbook.grammar.RunbookLexer;
import io.runbook.grammar.RunbookParser;
import io.runbook.source.Diagnostic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Drives ANTLR, as Trino's SqlParser does: SLL prediction first (fast, and enough for every valid runbook),
 * then, only when SLL fails, full LL with error recovery so that every syntax error is collected. The
 * builder (AstBuilder) only ever sees a tree without errors.
 *
 * <p>A file with a phase listener is lexed as the SLL parse reads it, and each phase's tokens are let go once the
 * phase is built (see Streamed): a runbook of a hundred thousand steps never holds all its tokens. Anything
 * unusual there (a syntax error, nesting too deep) starts again the whole way: every token first, then the parse.
 */
final class Parsing {
    /**
     * A parse tree (null when there were errors) with its tokens (comments included, on the hidden channel), the
     * nesting depth at each token (by token index), and the line comments alone on their line.
     */
    record Result<T>(
            T tree,
            CommonTokenStream tokens,
            IntUnaryOperator depthAt,
            List<Token> lineComments,
            List<Diagnostic> errors) {
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
        Result<RunbookParser.FileContext> streamed = streamed(text, positions, phases);
        if (streamed != null) return streamed;
        phases.retry();
        return whole(text, positions, RunbookParser::file, phases, false);
    }

    static Result<RunbookParser.InterpolationContext> interpolation(String text, AstBuilder.Positions positions) {
        return whole(text, positions, RunbookParser::interpolation, null, true);
    }

    private static RunbookLexer lexer(String text, AstBuilder.Positions positions) {
        RunbookLexer lexer =
                new RunbookLexer(CharStreams.fromString(text, positions.file().name()));
        lexer.removeErrorListeners(); // BAD_CHAR and the UNTERMINATED_* tokens carry lexical errors to the parser
        return lexer;
    }

    private static RunbookParser sll(RunbookParser parser) {
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        return parser;
    }

    /** The SLL parse of a file as it is lexed, each phase built as it ends; null when it does not simply succeed. */
    private static Result<RunbookParser.FileContext> streamed(
            String text, AstBuilder.Positions positions, PhaseListener phases) {
        Streamed tokens = new Streamed(lexer(text, positions), positions);
        Result<RunbookParser.FileContext> lexed =
                new Result<>(null, tokens, tokens::depth, tokens.lineComments, List.of());
        phases.lexed(lexed);
        // Told of each phase where its rule ends (a parse listener would be called, and iterated, for every rule).
        RunbookParser parser = sll(new RunbookParser(tokens) {
            @Override
            public void exitRule() {
                ParserRuleContext ending = _ctx;
                super.exitRule();
                if (ending instanceof RunbookParser.PhaseContext p) {
                    phases.parsed(p);
                    if (p.getStop() != null) tokens.dropBefore(p.getStop().getTokenIndex());
                }
            }
        });
        try {
            return new Result<>(parser.file(), tokens, tokens::depth, tokens.lineComments, List.of());
        } catch (ParseCancellationException | Streamed.TooDeep e) {
            return null;
        }
    }

    /** Every token first (and the nesting limit checked on them), then SLL (when sll), then LL with recovery. */
    private static <T extends ParserRuleContext> Result<T> whole(
            String text,
            AstBuilder.Positions positions,
            Function<RunbookParser, T> rule,
            PhaseListener phases,
            boolean sll) {
        CommonTokenStream tokens = new CommonTokenStream(lexer(text, positions));
        tokens.fill();
        int[] depths = new int[tokens.size()];
        IntUnaryOperator depthAt = i -> depths[i];
        Diagnostic tooDeep = Nesting.check(tokens.getTokens(), depths, positions);
        if (tooDeep != null) return new Result<>(null, tokens, depthAt, List.of(), List.of(tooDeep));
        List<Token> lineComments = new ArrayList<>();
        Token previous = null;
        for (Token t : tokens.getTokens()) {
            if (Streamed.lineComment(t, previous)) lineComments.add(t);
            previous = t;
        }
        if (phases != null) phases.lexed(new Result<>(null, tokens, depthAt, lineComments, List.of()));
        RunbookParser parser = sll(new RunbookParser(tokens));
        if (sll) {
            try {
                return new Result<>(rule.apply(parser), tokens, depthAt, lineComments, List.of());
            } catch (ParseCancellationException sllFailed) {
                tokens.seek(0);
                parser.reset();
            }
        }
        // The whole tree is built this time (no phase is dropped early): trimming each node's children list
        // to its size keeps a big runbook's tree small, at a copy per node.
        parser.setTrimParseTree(true);
        parser.setErrorHandler(new Recovery());
        parser.getInterpreter().setPredictionMode(PredictionMode.LL);
        SyntaxErrors errors = new SyntaxErrors(positions, tokens);
        parser.addErrorListener(errors);
        T tree = rule.apply(parser);
        return new Result<>(
                errors.diagnostics().isEmpty() ? tree : null, tokens, depthAt, lineComments, errors.diagnostics());
    }

    /**
     * Tokens read as the parser asks for them, counted into the nesting limit and the line comments on the way;
     * dropBefore drops those before a built phase's end (the parser never looks back past its last token), so they
     * die young instead of filling the old generation.
     */
    static final class Streamed extends CommonTokenStream {
        /** Nesting went too deep: the whole-file pass finds and reports it as it always has. */
        static final class TooDeep extends RuntimeException {
            TooDeep() {
                super(null, null, false, false);
            }
        }

        private final Nesting.Counter nesting;
        private int[] depths = new int[1024];
        final List<Token> lineComments = new ArrayList<>();
        private Token previous;
        private int released;

        Streamed(RunbookLexer lexer, AstBuilder.Positions positions) {
            super(lexer);
            this.nesting = new Nesting.Counter(positions);
        }

        @Override
        protected int fetch(int n) {
            int from = tokens.size();
            int fetched = super.fetch(n);
            for (int i = from; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (i == depths.length) depths = Arrays.copyOf(depths, i * 2);
                depths[i] = nesting.depth();
                if (nesting.next(t) != null) throw new TooDeep();
                if (lineComment(t, previous)) lineComments.add(t);
                previous = t;
            }
            return fetched;
        }

        int depth(int tokenIndex) {
            return depths[tokenIndex];
        }

        void dropBefore(int index) {
            for (; released < index; released++) tokens.set(released, null);
        }

        /** A comment alone on its line: nothing before it on the line (white space is skipped by the lexer). */
        static boolean lineComment(Token t, Token previous) {
            return t.getType() == RunbookLexer.LINE_COMMENT && t.getLine() > endLine(previous);
        }

        /** The line a token ends on, read only before a comment: most tokens are never looked into. */
        private static int endLine(Token t) {
            if (t == null) return 0;
            String text = t.getText();
            int line = t.getLine();
            for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
            return line;
        }
    }
}
