package io.runbook.lsp;

import io.runbook.grammar.RunbookLexer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.antlr.v4.runtime.Token;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;

/** What may come next at the cursor: keywords, names, functions; file paths in strings; tables and columns in SQL. */
final class Completions {
    static final List<String> KEYWORDS = keywords();

    private Completions() {}

    static List<CompletionItem> at(Path doc, Outline o, int offset, DevDatabase db) {
        Token inside = o.inside(offset);
        String prefix = o.text.wordBefore(offset);
        if (inside != null) {
            switch (inside.getType()) {
                case RunbookLexer.DOLLAR_STRING, io.runbook.grammar.RunbookParser.UNTERMINATED_DOLLAR -> {
                    return sql(o, inside, offset, prefix, db);
                }
                case RunbookLexer.STRING, RunbookLexer.UNTERMINATED_STRING -> {
                    return inString(doc, o, inside);
                }
                case RunbookLexer.LINE_COMMENT, RunbookLexer.TRIPLE_STRING, RunbookLexer.UNTERMINATED_TRIPLE -> {
                    return List.of();
                }
                default -> {}
            }
        }
        List<CompletionItem> out = new ArrayList<>();
        for (String k : KEYWORDS) if (k.startsWith(prefix)) out.add(item(k, CompletionItemKind.Keyword, null, null));
        for (Outline.Decl d : o.decls) {
            if (d.kind() == Outline.Kind.DEF || !d.name().startsWith(prefix)) continue;
            out.add(item(d.name(), CompletionItemKind.Variable, d.line(), null));
        }
        for (Names.Visible v : Names.functions(doc, o).values()) {
            Library.Function f = v.function();
            if (!f.name().startsWith(prefix)) continue;
            CompletionItem item =
                    item(f.name(), CompletionItemKind.Function, f.signature() + "  (" + f.module() + ")", f.doc());
            if (!v.imported()) {
                item.setDetail(f.signature() + "  (adds import \"" + f.module() + "\")");
                item.setAdditionalTextEdits(List.of(new TextEdit(
                        new Range(new Position(importLine(o), 0), new Position(importLine(o), 0)),
                        "import \"" + f.module() + "\"\n")));
            }
            out.add(item);
        }
        return out;
    }

    /** Where an added import goes: after the last import, else before the first code line. */
    private static int importLine(Outline o) {
        if (!o.imports.isEmpty()) return o.imports.get(o.imports.size() - 1).getLine();
        return o.code.isEmpty() ? 0 : o.code.get(0).getLine() - 1;
    }

    private static List<CompletionItem> inString(Path doc, Outline o, Token string) {
        Token before = o.before(string);
        int kind = before == null ? -1 : before.getType();
        List<CompletionItem> out = new ArrayList<>();
        if (kind == RunbookLexer.IMPORT) {
            for (String m : Library.STDLIB) out.add(item(m, CompletionItemKind.Module, "standard library", null));
            for (String f : files(doc, ".runbook"))
                out.add(item(f.substring(0, f.length() - ".runbook".length()), CompletionItemKind.File, f, null));
        } else if (kind == RunbookLexer.FILE || kind == RunbookLexer.FIXTURE) {
            for (String f : files(doc, ".sql")) out.add(item(f, CompletionItemKind.File, null, null));
        } else {
            for (String p : new LinkedHashSet<>(o.phases)) out.add(item(p, CompletionItemKind.Event, "phase", null));
        }
        return out;
    }

    /** Files with the extension below the runbook's folder, as relative paths. */
    private static List<String> files(Path doc, String extension) {
        Path dir = doc.toAbsolutePath().getParent();
        if (dir == null) return List.of();
        try (Stream<Path> walk = Files.walk(dir, 4)) {
            return walk.filter(p -> p.toString().endsWith(extension) && !p.equals(doc.toAbsolutePath()))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .limit(200)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<CompletionItem> sql(Outline o, Token body, int offset, String prefix, DevDatabase db) {
        List<CompletionItem> out = new ArrayList<>();
        int start = offset - prefix.length();
        char before = start > 0 ? o.text.text.charAt(start - 1) : ' ';
        if (before == ':') { // a psql variable: the runbook's params and lets
            for (Outline.Decl d : o.decls)
                if (d.kind() != Outline.Kind.DEF && d.name().startsWith(prefix))
                    out.add(item(d.name(), CompletionItemKind.Variable, d.line(), null));
            return out;
        }
        if (db == null) return out;
        String sql = body.getText();
        if (before == '.') {
            String qualifier = o.text.wordBefore(start - 1);
            DevDatabase.Table t = db.table(qualifier);
            if (t == null) t = db.table(aliased(sql, qualifier));
            if (t != null) {
                for (DevDatabase.Column c : t.columns())
                    if (c.name().startsWith(prefix)) out.add(item(c.name(), CompletionItemKind.Field, c.type(), null));
                return out;
            }
            for (DevDatabase.Table s : db.tables())
                if (s.schema().equals(qualifier) && s.name().startsWith(prefix)) out.add(table(s));
            return out;
        }
        Set<String> words = words(sql);
        for (DevDatabase.Table t : db.tables()) {
            if (t.name().startsWith(prefix)) out.add(table(t));
            if (!words.contains(t.name())) continue;
            for (DevDatabase.Column c : t.columns()) {
                if (c.name().startsWith(prefix))
                    out.add(item(c.name(), CompletionItemKind.Field, t.name() + "." + c.name() + " " + c.type(), null));
            }
        }
        return out;
    }

    private static CompletionItem table(DevDatabase.Table t) {
        StringBuilder doc = new StringBuilder();
        for (DevDatabase.Column c : t.columns())
            doc.append("- ").append(c.name()).append(' ').append(c.type()).append('\n');
        return item(t.name(), CompletionItemKind.Class, t.kind() + " " + t.qualified(), doc.toString());
    }

    /** The table an alias stands for in `from orders o` / `join orders as o`; the alias itself when none. */
    static String aliased(String sql, String alias) {
        Matcher m = Pattern.compile("(?i)\\b([a-z_][a-z0-9_.]*)\\s+(?:as\\s+)?" + Pattern.quote(alias) + "\\b")
                .matcher(sql);
        while (m.find()) {
            String w = m.group(1).toLowerCase(Locale.ROOT);
            if (!Set.of("from", "join", "update", "into", "as", "on", "and", "or", "where", "select")
                    .contains(w)) return m.group(1);
        }
        return alias;
    }

    static Set<String> words(String sql) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*").matcher(sql);
        while (m.find()) out.add(m.group());
        return out;
    }

    static CompletionItem item(String label, CompletionItemKind kind, String detail, String doc) {
        CompletionItem item = new CompletionItem(label);
        item.setKind(kind);
        if (detail != null) item.setDetail(detail);
        if (doc != null && !doc.isBlank()) item.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, doc));
        return item;
    }

    private static List<String> keywords() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= RunbookLexer.VOCABULARY.getMaxTokenType(); i++) {
            String lit = RunbookLexer.VOCABULARY.getLiteralName(i);
            if (lit != null && lit.matches("'[a-z]+'")) out.add(lit.substring(1, lit.length() - 1));
        }
        // Words the grammar reads as plain names where they count: step options and the keyset batch's header.
        out.addAll(List.of("over", "by", "size", "parallel", "pause", "max", "batches", "timeout"));
        return List.copyOf(out);
    }
}
