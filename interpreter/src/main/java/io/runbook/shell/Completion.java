package io.runbook.shell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab: commands and SQL statement words at the start of a line; phase names after run/verify/rollback;
 * check labels after check; variables after set and as :name in SQL; tables, columns and keywords in SQL.
 */
final class Completion implements Completer {
    /** What there is to complete, asked at each Tab. */
    interface Names {
        List<String> phases();

        List<String> checks();

        List<String> variables();

        List<Catalog.Table> tables();
    }

    /** After these words SQL names a table. */
    private static final Set<String> BEFORE_TABLE =
            Set.of("from", "join", "into", "update", "table", "truncate", "only");

    private final Names names;

    Completion(Names names) {
        this.names = names;
    }

    @Override
    public void complete(LineReader reader, ParsedLine parsed, List<Candidate> out) {
        Input.Words line = parsed instanceof Input.Words w ? w : Input.words(parsed.line(), parsed.cursor());
        // A `schema.` is not a whole word yet: no space after it.
        for (String value : values(line))
            out.add(new Candidate(value, value, null, null, null, null, !value.endsWith(".")));
    }

    /** Candidate values for the word at the cursor; JLine keeps those that start with what is typed. */
    List<String> values(Input.Words line) {
        Set<String> out = new LinkedHashSet<>();
        String first = line.first();
        if (line.atStart()) {
            out.addAll(Input.COMMANDS);
            out.addAll(Input.META);
            out.addAll(Highlighting.STARTERS);
            return List.copyOf(out);
        }
        switch (first) {
            case "run", "verify", "rollback" -> {
                if (line.wordIndex() == 1 && line.words().size() == 2) {
                    out.addAll(names.phases());
                    if (first.equals("run")) out.add("preflight");
                    return List.copyOf(out);
                }
            }
            case "check" -> {
                if (line.wordIndex() == 1 && line.words().size() == 2) return names.checks();
            }
            case "skip" -> {
                return List.of("phase");
            }
            case "help" -> {
                return Input.COMMANDS;
            }
            case "\\x" -> {
                return List.of("on", "off", "auto");
            }
            case "\\pager" -> {
                return List.of("on", "off");
            }
            case "set" -> {
                if (line.wordIndex() == 1) {
                    out.addAll(names.variables());
                    return List.copyOf(out);
                }
            }
            default -> {}
        }
        return sql(line);
    }

    private List<String> sql(Input.Words line) {
        String word = line.word().substring(0, line.wordCursor());
        List<String> out = new ArrayList<>();
        if (word.startsWith(":")) {
            for (String v : names.variables()) out.add(":" + v);
            return out;
        }
        List<Catalog.Table> tables = names.tables();
        int dot = word.lastIndexOf('.');
        if (dot > 0) {
            String left = unquote(word.substring(0, dot));
            String prefix = word.substring(0, dot + 1);
            for (Catalog.Table t : tables) {
                if (t.name().equals(left) || (t.schema() + "." + t.name()).equals(left)) {
                    for (String c : t.columns()) out.add(prefix + c);
                }
                if (t.schema().equals(left)) out.add(prefix + t.name());
            }
            return out;
        }
        boolean tablePosition = BEFORE_TABLE.contains(line.previous());
        for (Catalog.Table t : tables) {
            out.add(t.visible() ? t.name() : t.schema() + "." + t.name());
        }
        for (String s : Catalog.schemas(tables)) out.add(s + ".");
        if (tablePosition) return out;
        // Columns of the tables the statement mentions.
        Set<String> mentioned = new LinkedHashSet<>();
        for (String w : line.words()) mentioned.add(unquote(w).toLowerCase(Locale.ROOT));
        for (Catalog.Table t : tables) {
            if (mentioned.contains(t.name().toLowerCase(Locale.ROOT))
                    || mentioned.contains((t.schema() + "." + t.name()).toLowerCase(Locale.ROOT))) {
                out.addAll(t.columns());
            }
        }
        out.addAll(Highlighting.KEYWORDS);
        return out;
    }

    private static String unquote(String s) {
        return s.replace("\"", "");
    }
}
