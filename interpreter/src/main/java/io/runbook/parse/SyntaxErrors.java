package io.runbook.parse;

import io.runbook.grammar.RunbookLexer;
import io.runbook.grammar.RunbookParser;
import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's syntax errors into diagnostics an operator can act on: what was found, what the
 * language expects there, and the form of the construct being written.
 */
final class SyntaxErrors extends BaseErrorListener {
    private static final Map<Integer, String> FORMS = Map.ofEntries(
            Map.entry(
                    RunbookParser.RULE_file,
                    "a file holds `import \"path\"`, `def name(args) = expr` and one `runbook \"name\" { ... }`"),
            Map.entry(RunbookParser.RULE_runbook, "write `runbook \"name\" { ... }`"),
            Map.entry(
                    RunbookParser.RULE_runbookItem,
                    "inside a runbook: description, param, set, import, def, preflight { ... }, phase \"name\" [no transaction] { ... }"),
            Map.entry(
                    RunbookParser.RULE_typeName,
                    "param types are int, text, bool and duration: `param retries int = 3`"),
            Map.entry(
                    RunbookParser.RULE_phaseItem,
                    "a phase holds steps (sql, check, expect, let, confirm, echo, batch, monitor, sh), `verify { ... }` and `rollback { ... }`"),
            Map.entry(
                    RunbookParser.RULE_block,
                    "a block holds steps: sql, check, expect, let, confirm, echo, batch, monitor, sh"),
            Map.entry(
                    RunbookParser.RULE_step,
                    "steps are: sql $$...$$ | sql file \"path\" | check \"label\" { ... } | expect EXPR | let x = EXPR | confirm \"question\" [typing \"word\"] | echo \"text\" | batch $$...$$ until affected == 0 | monitor \"label\" every 30s for 15m { ... } | sh $$...$$ | snapshot \"name\" | expect schema == snapshot \"name\""),
            Map.entry(
                    RunbookParser.RULE_retryClause,
                    "write `no retry` or `retry(attempts = 10, lock_timeout = 500ms, max_lock_timeout = 5s, sleep = 1s, max_sleep = 1min)`"),
            Map.entry(
                    RunbookParser.RULE_sqlSource,
                    "write `sql $$ ... $$`, `sql $tag$ ... $tag$` or `sql file \"path.sql\"`"),
            Map.entry(
                    RunbookParser.RULE_sqlGuard,
                    "a sql step takes `expect affected OP n` or `expect duration OP 500ms`; OP is == != < <= > >= or `between a and b`"),
            Map.entry(RunbookParser.RULE_comparisonTail, "compare with == != < <= > >= or `between a and b`"),
            Map.entry(RunbookParser.RULE_defDecl, "write `def name(a, b = \"default\") = expression`"),
            Map.entry(RunbookParser.RULE_defParam, "write `def name(a, b = \"default\") = expression`"),
            Map.entry(
                    RunbookParser.RULE_importDecl,
                    "write `import \"stdlib/catalog\"` or `import \"relative/path.runbook\"`"),
            Map.entry(
                    RunbookParser.RULE_primary,
                    "an expression: 42, 1.5, \"text\", 5s, true, null, name, f(x), scalar $$...$$, count $$...$$, ( ... )"));

    /** After this many, the rest are almost always echoes of the first ones. */
    private static final int MAX_ERRORS = 10;

    private final AstBuilder.Positions positions;
    private final TokenStream tokens;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private int lastLine = -1;
    private boolean stopped;

    SyntaxErrors(AstBuilder.Positions positions, TokenStream tokens) {
        this.positions = positions;
        this.tokens = tokens;
    }

    List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }

    @Override
    public void syntaxError(
            Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg, RecognitionException e) {
        // One error per line, none after an unclosed opener (everything after it is out of place), at most ten.
        if (stopped || line == lastLine || diagnostics.size() >= MAX_ERRORS) return;
        if (!(recognizer instanceof Parser parser) || !(offending instanceof Token token)) return;
        if (token.getType() == Token.EOF && !diagnostics.isEmpty()) return;
        lastLine = line;
        Diagnostic unclosed = Openers.unclosed(tokens, token, positions);
        if (unclosed != null) {
            diagnostics.add(unclosed);
            stopped = true;
            return;
        }
        Diagnostic d = parserError(parser, token, positions.at(line, col));
        diagnostics.add(d);
        // An unterminated string or block swallows the rest of the file: nothing after it can be trusted.
        if (isUnterminated(token.getType())) stopped = true;
    }

    private static boolean isUnterminated(int type) {
        return type == RunbookParser.UNTERMINATED_DOLLAR || type == RunbookLexer.UNTERMINATED_TRIPLE;
    }

    private Diagnostic parserError(Parser parser, Token token, Pos pos) {
        switch (token.getType()) {
            case RunbookLexer.UNTERMINATED_TRIPLE:
                return new Diagnostic(
                        pos,
                        "unterminated \"\"\" string: no closing \"\"\" before the end of the file",
                        "close the text with \"\"\" (opened here)");
            case RunbookLexer.UNTERMINATED_INTERPOLATION:
                return new Diagnostic(
                        pos, "unclosed ${ in string", "close the expression with }, or write \\${ for a literal ${");
            case RunbookLexer.UNTERMINATED_STRING:
                return new Diagnostic(
                        pos,
                        "unterminated string",
                        "close it with \" on the same line, or use \"\"\"...\"\"\" for text over several lines");
            case RunbookParser.UNTERMINATED_DOLLAR: {
                String text = token.getText();
                String tag = text.substring(0, text.indexOf('$', 1) + 1);
                return new Diagnostic(
                        pos,
                        "unterminated " + tag + " block: no closing " + tag + " before the end of the file",
                        "close the SQL with " + tag + "; if the SQL itself contains " + tag
                                + ", use another tag such as $sql$ ... $sql$");
            }
            case RunbookLexer.BAD_CHAR:
                return new Diagnostic(
                        pos,
                        "unexpected character '" + printable(token.getText()) + "'",
                        "check for a stray character; comments start with # or --");
            default:
                break;
        }
        Diagnostic special = knownMistake(parser, token, pos);
        if (special != null) return special;
        IntervalSet expected = parser.getExpectedTokens();
        Diagnostic misspelt = misspeltKeyword(parser, token, pos, expected);
        if (misspelt != null) return misspelt;
        boolean fragment = positions.fragment();
        String found = token.getType() == Token.EOF
                ? (fragment ? "end of ${...}" : "end of file")
                : "'" + shorten(token.getText()) + "'";
        String message =
                "unexpected " + found + (expected.size() > 0 ? ", expected " + describe(expected, parser) : "");
        if (fragment) {
            return new Diagnostic(
                    pos,
                    message,
                    "${...} holds one expression: ${count}, ${n + 1}, ${lower(name)}; write \\${ for a literal ${");
        }
        return new Diagnostic(pos, message, form(parser.getContext()));
    }

    /** A name where a keyword belongs, spelt like one of the keywords expected there: `preflght {`. */
    private Diagnostic misspeltKeyword(Parser parser, Token token, Pos pos, IntervalSet expected) {
        if (token.getType() != RunbookLexer.IDENT) return null;
        Token previous = previousOnChannel(parser, token.getTokenIndex());
        // A second name in a row is a broken expression, not a keyword spelt wrong.
        if (previous != null && previous.getType() == RunbookLexer.IDENT) return null;
        List<String> keywords = new ArrayList<>();
        for (int type : expected.toList()) {
            String literal = parser.getVocabulary().getLiteralName(type);
            if (literal != null && literal.length() > 2 && Character.isLetter(literal.charAt(1)))
                keywords.add(literal.substring(1, literal.length() - 1));
        }
        String best = Suggest.closest(token.getText(), keywords);
        if (best == null) return null;
        return new Diagnostic(
                pos, "unknown word '" + token.getText() + "': did you mean `" + best + "`?", form(parser.getContext()));
    }

    private static String shorten(String text) {
        String t = printable(text);
        return t.length() > 40 ? t.substring(0, 37) + "..." : t;
    }

    /** Control characters (a NUL in a binary file) shown as \\u hex escapes, so the message stays printable. */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n')
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    /** Mistakes people make often enough to deserve their own message. */
    private Diagnostic knownMistake(Parser parser, Token token, Pos pos) {
        Token previous = previousOnChannel(parser, token.getTokenIndex());
        if (previous != null
                && previous.getType() == RunbookLexer.IDENT
                && token.getType() == RunbookLexer.DOLLAR_STRING) {
            String best = Suggest.closest(previous.getText(), List.of("count", "scalar"));
            if (best != null) {
                return new Diagnostic(
                        positionOf(previous, pos, token),
                        "unknown word '" + previous.getText() + "' before a SQL block: did you mean `" + best + "`?",
                        "count $$ ... $$ is the number of rows; scalar $$ ... $$ the one value the query returns");
            }
        }
        if (token.getType() == RunbookLexer.ASSIGN && previous != null && previous.getType() != RunbookLexer.IDENT) {
            return new Diagnostic(
                    pos,
                    "'=' is not a comparison",
                    "compare with == (and != < <= > >=); = only assigns, in let, set, param and def");
        }
        if (token.getType() == RunbookLexer.ASSIGN && parser.getContext() instanceof RunbookParser.BlockContext) {
            return new Diagnostic(
                    pos,
                    "'=' is not a comparison",
                    "compare with == (and != < <= > >=); = only assigns, in let, set, param and def");
        }
        if (previous != null
                && previous.getType() == RunbookLexer.EXPECT
                && (token.getType() == RunbookLexer.RBRACE
                        || token.getType() == Token.EOF
                        || token.getType() == RunbookLexer.EXPECT)) {
            return new Diagnostic(
                    positionOf(previous, pos, token),
                    "`expect` without a condition",
                    "write what must hold: expect count $$ select ... $$ == 52, expect table_exists(\"t\"), expect schema == snapshot \"before\"");
        }
        if (previous != null
                && previous.getType() == RunbookLexer.RPAREN
                && token.getType() != RunbookLexer.ASSIGN
                && opensDef(parser, previous)) {
            return new Diagnostic(
                    pos,
                    "unexpected " + (token.getType() == Token.EOF ? "end of file" : "'" + token.getText() + "'")
                            + ", expected '=' after the parameters of a def",
                    "write `def name(a, b = \"default\") = expression`");
        }
        if (previous != null
                && previous.getType() == RunbookLexer.NO
                && token.getType() != RunbookLexer.TRANSACTION
                && token.getType() != RunbookLexer.RETRY) {
            return new Diagnostic(
                    pos,
                    "unexpected " + (token.getType() == Token.EOF ? "end of file" : "'" + token.getText() + "'")
                            + " after 'no', expected 'transaction' or 'retry'",
                    "write `phase \"name\" no transaction { ... }` (autocommit, statement by statement) or `no retry` (no lock-timeout retries)");
        }
        if ((token.getType() == RunbookLexer.AFFECTED || token.getType() == RunbookLexer.DURATION)
                && previous != null
                && previous.getType() == RunbookLexer.EXPECT) {
            return new Diagnostic(
                    pos,
                    "`expect " + token.getText() + "` must directly follow a sql step",
                    "it guards the sql step right before it: sql $$ ... $$ expect affected <= 100");
        }
        if (token.getType() == RunbookLexer.IDENT
                && previous != null
                && (previous.getType() == RunbookLexer.DURATION_LIT || previous.getType() == RunbookLexer.INT)
                && previous.getStopIndex() + 1 == token.getStartIndex()) {
            return new Diagnostic(
                    positionOf(previous, pos, token),
                    "unknown duration unit in '" + previous.getText() + token.getText() + "'",
                    "durations are written 250ms, 5s, 2min (or 2m), 1h, 1d");
        }
        return null;
    }

    /** The token before the given index that the parser sees (comments are on the hidden channel). */
    static Token previousOnChannel(Parser parser, int index) {
        return previousOnChannel(parser.getTokenStream(), index);
    }

    static Token previousOnChannel(TokenStream tokens, int index) {
        for (int i = index - 1; i >= 0; i--) {
            Token t = tokens.get(i);
            if (t.getChannel() == Token.DEFAULT_CHANNEL) return t;
        }
        return null;
    }

    /** Whether the ")" closes the parameter list of a `def name(...)`. */
    private static boolean opensDef(Parser parser, Token rparen) {
        int depth = 0;
        for (int i = rparen.getTokenIndex(); i >= 0; i--) {
            int type = parser.getTokenStream().get(i).getType();
            if (type == RunbookLexer.RPAREN) depth++;
            if (type == RunbookLexer.LPAREN && --depth == 0) {
                Token name = previousOnChannel(parser, i);
                Token def = name == null ? null : previousOnChannel(parser, name.getTokenIndex());
                return name != null
                        && name.getType() == RunbookLexer.IDENT
                        && def != null
                        && def.getType() == RunbookLexer.DEF;
            }
        }
        return false;
    }

    private Pos positionOf(Token previous, Pos at, Token token) {
        return positions.at(previous.getLine(), previous.getCharPositionInLine());
    }

    private static String form(ParserRuleContext ctx) {
        // Inside the braces of a runbook or a phase, say what the braces hold.
        if (ctx instanceof RunbookParser.RunbookContext) return FORMS.get(RunbookParser.RULE_runbookItem);
        if (ctx instanceof RunbookParser.PhaseContext) return FORMS.get(RunbookParser.RULE_phaseItem);
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            String form = FORMS.get(c.getRuleIndex());
            if (form != null) return form;
        }
        return null;
    }

    private static String describe(IntervalSet set, Parser parser) {
        List<String> names = new ArrayList<>();
        // Where a name is expected, so is every keyword that can be a name: "a name" says it once.
        IntervalSet nonReserved =
                parser.getATN().nextTokens(parser.getATN().ruleToStartState[RunbookParser.RULE_nonReserved]);
        boolean name = set.contains(RunbookLexer.IDENT);
        for (int type : set.toList()) {
            if (name && nonReserved.contains(type)) continue;
            String shown = tokenName(type, parser);
            if (shown != null && !names.contains(shown)) names.add(shown);
        }
        if (names.size() > 12) return "a step, a keyword or an expression";
        if (names.size() == 1) return names.get(0);
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static String tokenName(int type, Parser parser) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case RunbookLexer.IDENT -> "a name";
            case RunbookLexer.STRING -> "a \"string\"";
            case RunbookLexer.TRIPLE_STRING -> null;
            case RunbookLexer.DOLLAR_STRING -> "a $$...$$ SQL block";
            case RunbookLexer.INT -> "a number";
            case RunbookLexer.DECIMAL, RunbookLexer.DURATION_LIT -> null;
            case RunbookLexer.UNTERMINATED_STRING,
                    RunbookLexer.UNTERMINATED_INTERPOLATION,
                    RunbookParser.UNTERMINATED_DOLLAR,
                    RunbookLexer.UNTERMINATED_TRIPLE,
                    RunbookLexer.BAD_CHAR -> null;
            default -> parser.getVocabulary().getLiteralName(type);
        };
    }
}
