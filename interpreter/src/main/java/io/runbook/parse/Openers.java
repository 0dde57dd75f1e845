package io.runbook.parse;

import io.runbook.grammar.RunbookLexer;
import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/**
 * A missing closer shows up far from where it is missing: the parser only notices at the next `phase` (or
 * the end of the file). This names the opener that was never closed, where the operator has to look.
 */
final class Openers {
    /** Words that start a construct only outside a block: meeting one inside a block means a `}` is missing. */
    private static final Set<Integer> OUTER_WORDS = Set.of(
            RunbookLexer.PHASE,
            RunbookLexer.PREFLIGHT,
            RunbookLexer.RUNBOOK,
            RunbookLexer.PARAM,
            RunbookLexer.IMPORT,
            RunbookLexer.DEF,
            RunbookLexer.VERIFY,
            RunbookLexer.ROLLBACK,
            Token.EOF);

    private Openers() {}

    /** The unclosed opener that explains a syntax error at `at`, or null. */
    static Diagnostic unclosed(TokenStream tokens, Token at, AstBuilder.Positions positions) {
        Diagnostic dollar = dollarRunOn(tokens, at, positions);
        if (dollar != null) return dollar;
        if (!OUTER_WORDS.contains(at.getType()) && at.getType() != RunbookLexer.RBRACE) return null;
        // `let phase = 1` is a misused keyword; a missing } shows as a `phase` that starts its line.
        if (at.getType() != Token.EOF && !startsLine(tokens, at)) return null;
        Token opener = unclosedBefore(tokens, at);
        if (opener == null) return null;
        if (opener.getType() == RunbookLexer.LBRACE && at.getType() == RunbookLexer.RBRACE) return null;
        Pos pos = positions.at(opener.getLine(), opener.getCharPositionInLine());
        Pos found = positions.at(at.getLine(), at.getCharPositionInLine());
        String what = at.getType() == Token.EOF
                ? "the end of the file"
                : "'" + at.getText() + "' at " + found.line() + ":" + found.col();
        String closer = opener.getType() == RunbookLexer.LBRACE ? "}" : ")";
        return new Diagnostic(
                pos,
                "'" + opener.getText() + "' opened at " + pos.line() + ":" + pos.col() + " is never closed",
                "add the missing " + closer + ": the parser reached " + what + " still inside it");
    }

    /**
     * The innermost opener still open at `at`, preferring one whose closer, by indentation, was used up by an
     * inner block: in
     * <pre>
     *   phase "a" {
     *     check "c" {
     *       expect ...
     *   }
     *   phase "b" {
     * </pre>
     * the `}` counts as closing the check, but it is the check's `{` that is missing its closer.
     */
    private static Token unclosedBefore(TokenStream tokens, Token at) {
        Deque<Token> open = new ArrayDeque<>();
        Token suspect = null;
        for (int i = 0; i < at.getTokenIndex(); i++) {
            Token t = tokens.get(i);
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            int type = t.getType();
            if (type == RunbookLexer.LBRACE || type == RunbookLexer.LPAREN) {
                open.push(t);
            } else if ((type == RunbookLexer.RBRACE || type == RunbookLexer.RPAREN) && !open.isEmpty()) {
                Token opener = open.pop();
                if (suspect == null
                        && type == RunbookLexer.RBRACE
                        && startsLine(tokens, t)
                        && indent(tokens, t) < indent(tokens, firstOnLine(tokens, opener))) {
                    suspect = opener;
                }
            }
        }
        if (open.isEmpty()) return null;
        Token paren = null;
        for (Token t : open)
            if (t.getType() == RunbookLexer.LPAREN) {
                paren = t;
                break;
            }
        if (paren != null) return paren;
        return suspect != null ? suspect : open.peek();
    }

    /**
     * `sql $$ select 1` with no closing $$: the block runs on to the next $$, which was meant to open another
     * block, and the parser stops at the SQL that follows it. Report the opening $$.
     */
    private static Diagnostic dollarRunOn(TokenStream tokens, Token at, AstBuilder.Positions positions) {
        Token previous = SyntaxErrors.previousOnChannel(tokens, at.getTokenIndex());
        if (previous == null || previous.getType() != RunbookLexer.DOLLAR_STRING) return null;
        String text = previous.getText();
        if (text.indexOf('\n') < 0
                || at.getLine()
                        != previous.getLine()
                                + (int) text.chars().filter(c -> c == '\n').count()) return null;
        String tag = text.substring(0, text.indexOf('$', 1) + 1);
        String body = text.substring(tag.length(), text.length() - tag.length());
        if (!looksLikeRunbook(body)) return null;
        Pos pos = positions.at(previous.getLine(), previous.getCharPositionInLine());
        int closeLine = at.getLine();
        return new Diagnostic(
                pos,
                "'" + tag + "' opened at " + pos.line() + ":" + pos.col() + " is never closed",
                "close the SQL with " + tag + " where it ends: as written, it runs on to the " + tag + " on line "
                        + closeLine + ", which was meant to open the next block");
    }

    /** Runbook structure inside a SQL block: a line that is only `}`, or that starts a step or a phase. */
    private static boolean looksLikeRunbook(String body) {
        for (String line : body.split("\n")) {
            String l = line.strip();
            if (l.equals("}")
                    || l.matches("(phase|check|verify|rollback|preflight)\\b.*\\{")
                    || l.matches("(sql|expect|confirm|echo|let)\\b.*")) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsLine(TokenStream tokens, Token t) {
        return firstOnLine(tokens, t) == t;
    }

    private static Token firstOnLine(TokenStream tokens, Token t) {
        Token first = t;
        for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
            Token p = tokens.get(i);
            if (p.getLine() != t.getLine() || p.getText().indexOf('\n') >= 0) break;
            first = p;
        }
        return first;
    }

    private static int indent(TokenStream tokens, Token t) {
        return t.getCharPositionInLine();
    }
}
