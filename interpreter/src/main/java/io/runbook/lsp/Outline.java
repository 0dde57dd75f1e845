package io.runbook.lsp;

import io.runbook.grammar.RunbookLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * What a runbook buffer declares and names (params, lets, defs, imports, phases), read from its tokens so that it
 * works while the text is half-typed and does not parse.
 */
final class Outline {
    enum Kind {
        PARAM,
        LET,
        DEF
    }

    /** A declared name: its kind, the token of the name, and the declaration's line as written. */
    record Decl(Kind kind, String name, Token token, String line) {}

    final Text text;
    final List<Token> tokens; // all of them, comments included
    final List<Token> code; // without comments
    final List<Decl> decls = new ArrayList<>();
    final List<String> phases = new ArrayList<>();
    final List<Token> imports = new ArrayList<>();

    Outline(String source) {
        text = new Text(source);
        RunbookLexer lexer = new RunbookLexer(CharStreams.fromString(source));
        lexer.removeErrorListeners();
        tokens = new ArrayList<>(lexer.getAllTokens());
        code = tokens.stream()
                .filter(t -> t.getChannel() == Token.DEFAULT_CHANNEL)
                .toList();
        for (int i = 0; i + 1 < code.size(); i++) {
            Token t = code.get(i);
            Token next = code.get(i + 1);
            switch (t.getType()) {
                case RunbookLexer.PARAM -> {
                    if (next.getType() == RunbookLexer.IDENT) decl(Kind.PARAM, next);
                }
                case RunbookLexer.LET -> {
                    if (next.getType() == RunbookLexer.IDENT) decl(Kind.LET, next);
                }
                case RunbookLexer.DEF -> {
                    if (next.getType() == RunbookLexer.IDENT) decl(Kind.DEF, next);
                }
                case RunbookLexer.PHASE -> {
                    if (next.getType() == RunbookLexer.STRING) phases.add(unquote(next.getText()));
                }
                case RunbookLexer.IMPORT -> {
                    if (next.getType() == RunbookLexer.STRING) imports.add(next);
                }
                default -> {}
            }
        }
    }

    private void decl(Kind kind, Token name) {
        String line = text.text
                .substring(
                        text.offset(new org.eclipse.lsp4j.Position(name.getLine() - 1, 0)),
                        text.lineEnd(name.getLine() - 1))
                .strip();
        decls.add(new Decl(kind, name.getText(), name, line));
    }

    Decl decl(String name) {
        for (Decl d : decls) if (d.name().equals(name)) return d;
        return null;
    }

    /** The token that contains offset, or ends right at it; null in whitespace. */
    Token at(int offset) {
        for (Token t : tokens) {
            if (t.getStartIndex() <= offset && offset <= t.getStopIndex() + 1) {
                if (offset == t.getStopIndex() + 1
                        && !Text.isWord(t.getText().charAt(t.getText().length() - 1))) continue;
                return t;
            }
            if (t.getStartIndex() > offset) break;
        }
        return null;
    }

    /** The token strictly containing offset (for strings and SQL bodies: the cursor is inside the quotes). */
    Token inside(int offset) {
        for (Token t : tokens) {
            if (t.getStartIndex() < offset && offset <= t.getStopIndex()) return t;
            if (t.getStartIndex() >= offset) break;
        }
        return null;
    }

    /** The code token before t, or null. */
    Token before(Token t) {
        Token prev = null;
        for (Token c : code) {
            if (c.getStartIndex() >= t.getStartIndex()) return prev;
            prev = c;
        }
        return prev;
    }

    /** The code token before an offset, skipping the word being typed. */
    Token codeBefore(int offset) {
        Token prev = null;
        for (Token c : code) {
            if (c.getStopIndex() >= offset - 1 && c.getStartIndex() < offset && c.getType() == RunbookLexer.IDENT)
                break;
            if (c.getStartIndex() >= offset) break;
            prev = c;
        }
        return prev;
    }

    static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) return s.substring(1, s.length() - 1);
        return s;
    }
}
