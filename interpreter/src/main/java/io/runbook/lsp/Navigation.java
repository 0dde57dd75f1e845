package io.runbook.lsp;

import io.runbook.grammar.RunbookLexer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/** Hover and go to definition: functions, params and lets, imported files, `sql file` and `fixture` paths, tables. */
final class Navigation {
    private Navigation() {}

    static Hover hover(Path doc, Outline o, int offset, DevDatabase db) {
        Token inside = o.inside(offset);
        int[] w = o.text.wordAround(offset);
        if (w[0] == w[1]) return null;
        String word = o.text.text.substring(w[0], w[1]);
        Range range = o.text.range(w[0], w[1]);
        if (inside != null
                && (inside.getType() == RunbookLexer.DOLLAR_STRING
                        || inside.getType() == io.runbook.grammar.RunbookParser.UNTERMINATED_DOLLAR)) {
            return db == null ? null : sqlHover(inside.getText(), word, range, db);
        }
        if (inside != null && inside.getType() != RunbookLexer.IDENT) return null;
        Outline.Decl d = o.decl(word);
        if (d != null && d.kind() != Outline.Kind.DEF) return hover("```runbook\n" + d.line() + "\n```", range);
        Names.Visible v = Names.functions(doc, o).get(word);
        if (v != null) {
            Library.Function f = v.function();
            String from = f.module().equals("built-in")
                    ? "built-in"
                    : "from `" + (f.file() != null && f.module().equals(doc.toString()) ? "this file" : f.module())
                            + "`";
            return hover(
                    "```runbook\n" + f.signature() + "\n```\n" + (f.doc().isBlank() ? "" : f.doc() + "\n\n") + "_"
                            + from + (v.imported() ? "" : " (not imported yet)") + "_",
                    range);
        }
        return null;
    }

    private static Hover sqlHover(String sql, String word, Range range, DevDatabase db) {
        DevDatabase.Table t = db.table(word);
        if (t != null) {
            StringBuilder sb = new StringBuilder("**" + t.kind() + "** `" + t.qualified() + "`\n\n");
            for (DevDatabase.Column c : t.columns())
                sb.append("- `").append(c.name()).append("` ").append(c.type()).append('\n');
            return hover(sb.toString(), range);
        }
        for (DevDatabase.Table table : db.tables()) {
            if (!Completions.words(sql).contains(table.name())) continue;
            for (DevDatabase.Column c : table.columns()) {
                if (c.name().equals(word))
                    return hover("**column** `" + table.qualified() + "." + c.name() + "` " + c.type(), range);
            }
        }
        return null;
    }

    private static Hover hover(String markdown, Range range) {
        return new Hover(new MarkupContent(MarkupKind.MARKDOWN, markdown), range);
    }

    static List<Location> definition(Path doc, Outline o, int offset) {
        Token inside = o.inside(offset);
        if (inside != null && inside.getType() == RunbookLexer.STRING) {
            Token before = o.before(inside);
            String path = Outline.unquote(inside.getText());
            Path target = null;
            if (before != null && before.getType() == RunbookLexer.IMPORT) target = Names.importFile(doc, path);
            else if (before != null
                    && (before.getType() == RunbookLexer.FILE || before.getType() == RunbookLexer.FIXTURE))
                target = Names.relative(doc, path);
            if (target == null || !Files.exists(target)) return List.of();
            return List.of(new Location(target.toUri().toString(), new Range(new Position(0, 0), new Position(0, 0))));
        }
        int[] w = o.text.wordAround(offset);
        if (w[0] == w[1]) return List.of();
        String word = o.text.text.substring(w[0], w[1]);
        Outline.Decl d = o.decl(word);
        if (d != null) {
            Token t = d.token();
            return List.of(new Location(doc.toUri().toString(), o.text.range(t.getStartIndex(), t.getStopIndex() + 1)));
        }
        Names.Visible v = Names.functions(doc, o).get(word);
        if (v == null || v.function().file() == null) return List.of();
        Library.Function f = v.function();
        Position p = new Position(f.line() - 1, f.col() - 1);
        return List.of(new Location(f.file().toUri().toString(), new Range(p, p)));
    }
}
