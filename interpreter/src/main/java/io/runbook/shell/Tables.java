package io.runbook.shell;

import io.runbook.term.Style;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;

/** Query results as psql shows them: an aligned table, or one record per block (`\x`). */
final class Tables {
    /** Rows as text; a null cell is SQL NULL. total counts all rows, also those not kept. */
    record Result(List<String> columns, List<Boolean> numeric, List<List<String>> rows, long total) {}

    private Tables() {}

    static List<String> aligned(Result r, Style style) {
        int n = r.columns().size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = width(r.columns().get(i));
        for (List<String> row : r.rows()) {
            for (int i = 0; i < n; i++) for (String part : lines(row.get(i))) w[i] = Math.max(w[i], width(part));
        }
        List<String> out = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String c = r.columns().get(i);
            int left = (w[i] - width(c)) / 2;
            head.append(i == 0 ? " " : " | ")
                    .append(" ".repeat(left))
                    .append(c)
                    .append(" ".repeat(w[i] - width(c) - left));
            rule.append(i == 0 ? "-" : "-+-").append("-".repeat(w[i]));
        }
        out.add(style.bold(head.toString().stripTrailing()));
        out.add(rule.append('-').toString());
        for (List<String> row : r.rows()) {
            List<List<String>> cells = new ArrayList<>();
            int height = 1;
            for (int i = 0; i < n; i++) {
                List<String> parts = lines(row.get(i));
                cells.add(parts);
                height = Math.max(height, parts.size());
            }
            for (int k = 0; k < height; k++) {
                StringBuilder sb = new StringBuilder(" ");
                for (int i = 0; i < n; i++) {
                    List<String> parts = cells.get(i);
                    String text = k < parts.size() ? parts.get(k) : "";
                    boolean nullCell = row.get(i) == null;
                    String shown = nullCell ? style.dim(text) : text;
                    String pad = " ".repeat(w[i] - width(text));
                    sb.append(r.numeric().get(i) ? pad + shown : shown + pad);
                    boolean more = k + 1 < parts.size();
                    if (i + 1 < n) sb.append(more ? "+| " : " | ");
                    else if (more) sb.append('+');
                }
                out.add(stripEnd(sb.toString()));
            }
        }
        out.add(footer(r));
        return out;
    }

    static List<String> expanded(Result r, Style style) {
        int n = r.columns().size();
        int label = 0;
        int value = 0;
        for (String c : r.columns()) label = Math.max(label, width(c));
        for (List<String> row : r.rows())
            for (String cell : row) for (String part : lines(cell)) value = Math.max(value, width(part));
        List<String> out = new ArrayList<>();
        if (r.rows().isEmpty()) out.add("(0 rows)");
        int record = 0;
        for (List<String> row : r.rows()) {
            String title = "-[ RECORD " + ++record + " ]";
            // As psql: the title, then dashes over the labels, `+`, dashes over the values; a long title takes the
            // labels' place.
            String line = title.length() < label + 1
                    ? title + "-".repeat(label + 1 - title.length()) + "+" + "-".repeat(value + 1)
                    : title + "-".repeat(Math.max(0, label + 3 + value - title.length()));
            out.add(style.dim(line));
            for (int i = 0; i < n; i++) {
                List<String> parts = lines(row.get(i));
                for (int k = 0; k < parts.size(); k++) {
                    String name = k == 0 ? r.columns().get(i) : "";
                    String text = row.get(i) == null ? style.dim(parts.get(k)) : parts.get(k);
                    out.add(stripEnd(style.bold(name) + " ".repeat(label - width(name)) + " | " + text
                            + (k + 1 < parts.size() ? "+" : "")));
                }
            }
        }
        if (r.total() > r.rows().size()) out.add(footer(r));
        return out;
    }

    private static String footer(Result r) {
        String rows = "(" + r.total() + (r.total() == 1 ? " row" : " rows");
        if (r.total() > r.rows().size()) rows += ", first " + r.rows().size() + " shown";
        return rows + ")";
    }

    /** The widest line, in terminal columns (colour escapes do not count). */
    static int widest(List<String> lines) {
        int w = 0;
        for (String l : lines) w = Math.max(w, AttributedString.fromAnsi(l).columnLength());
        return w;
    }

    private static List<String> lines(String cell) {
        if (cell == null) return List.of("NULL");
        return List.of(cell.replace("\r\n", "\n").replace('\t', ' ').split("\n", -1));
    }

    static int width(String s) {
        return new AttributedString(s).columnLength();
    }

    private static String stripEnd(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == ' ') e--;
        return s.substring(0, e);
    }
}
