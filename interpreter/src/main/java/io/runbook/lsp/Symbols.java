package io.runbook.lsp;

import io.runbook.grammar.RunbookLexer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.SymbolKind;

/**
 * The outline of a runbook: the runbook, its params, preflight, phases with their checks, verify and rollback
 * blocks, and defs. Read from tokens and braces, so it stays while the text is being edited.
 */
final class Symbols {
    private Symbols() {}

    static List<DocumentSymbol> of(Outline o) {
        List<DocumentSymbol> top = new ArrayList<>();
        Deque<DocumentSymbol> open = new ArrayDeque<>(); // symbols whose block is open, innermost first
        Deque<Boolean> braces = new ArrayDeque<>(); // for each open brace: does it close a symbol?
        DocumentSymbol pending = null; // a symbol whose block starts at the next {
        List<Token> code = o.code;
        for (int i = 0; i < code.size(); i++) {
            Token t = code.get(i);
            Token next = i + 1 < code.size() ? code.get(i + 1) : null;
            DocumentSymbol s = null;
            switch (t.getType()) {
                case RunbookLexer.RUNBOOK -> s = named(o, t, next, "runbook", SymbolKind.Namespace, true);
                case RunbookLexer.PHASE -> s = named(o, t, next, "phase", SymbolKind.Class, true);
                case RunbookLexer.CHECK -> s = named(o, t, next, "check", SymbolKind.Event, true);
                case RunbookLexer.PREFLIGHT, RunbookLexer.VERIFY, RunbookLexer.ROLLBACK ->
                    s = symbol(o, t.getText(), t, t, SymbolKind.Module, null);
                case RunbookLexer.PARAM -> {
                    if (next != null && next.getType() == RunbookLexer.IDENT)
                        s = symbol(o, next.getText(), t, next, SymbolKind.Variable, "param");
                }
                case RunbookLexer.DEF -> {
                    if (next != null && next.getType() == RunbookLexer.IDENT)
                        s = symbol(o, next.getText(), t, next, SymbolKind.Function, "def");
                }
                case RunbookLexer.LBRACE -> {
                    braces.push(pending != null);
                    if (pending != null) open.push(pending);
                    pending = null;
                }
                case RunbookLexer.RBRACE -> {
                    if (!braces.isEmpty() && braces.pop() && !open.isEmpty()) {
                        DocumentSymbol closed = open.pop();
                        closed.setRange(
                                o.text.range(o.text.offset(closed.getRange().getStart()), t.getStopIndex() + 1));
                    }
                }
                default -> {}
            }
            if (s == null) continue;
            (open.isEmpty() ? top : open.peek().getChildren()).add(s);
            boolean block = t.getType() != RunbookLexer.PARAM && t.getType() != RunbookLexer.DEF;
            if (block) pending = s;
        }
        return top;
    }

    private static DocumentSymbol named(
            Outline o, Token keyword, Token name, String what, SymbolKind kind, boolean block) {
        boolean hasName = name != null && name.getType() == RunbookLexer.STRING;
        String label = hasName ? Outline.unquote(name.getText()) : what;
        return symbol(o, label, keyword, hasName ? name : keyword, kind, hasName ? what : null);
    }

    private static DocumentSymbol symbol(
            Outline o, String name, Token start, Token nameToken, SymbolKind kind, String detail) {
        int line = nameToken.getLine() - 1;
        DocumentSymbol s = new DocumentSymbol(
                name.isBlank() ? "(unnamed)" : name,
                kind,
                o.text.range(start.getStartIndex(), Math.max(nameToken.getStopIndex() + 1, o.text.lineEnd(line))),
                o.text.range(nameToken.getStartIndex(), nameToken.getStopIndex() + 1),
                detail);
        s.setChildren(new ArrayList<>());
        return s;
    }
}
