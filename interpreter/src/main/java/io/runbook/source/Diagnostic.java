package io.runbook.source;

import java.util.ArrayList;
import java.util.List;

/**
 * A user-facing problem: where (file:line:col), what, and what to do about it. Rendered as
 * <pre>
 * file:12:5: ERROR: what happened
 *    12 | the offending line
 *       |     ^
 *   hint: what to do
 * </pre>
 */
public record Diagnostic(Pos pos, String message, List<String> details, String hint) {
    public Diagnostic(Pos pos, String message, String hint) { this(pos, message, List.of(), hint); }

    public Diagnostic withDetail(String detail) {
        List<String> d = new ArrayList<>(details);
        d.add(detail);
        return new Diagnostic(pos, message, List.copyOf(d), hint);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        if (pos != null) sb.append(pos).append(": ");
        sb.append("ERROR: ").append(message).append('\n');
        if (pos != null) {
            String text = pos.file().line(pos.line());
            String num = String.valueOf(pos.line());
            String gutter = " ".repeat(num.length());
            sb.append(' ').append(num).append(" | ").append(text.replace('\t', ' ')).append('\n');
            int col = Math.min(Math.max(pos.col(), 1), text.length() + 1);
            sb.append(' ').append(gutter).append(" | ").append(" ".repeat(col - 1)).append("^\n");
        }
        for (String d : details) sb.append("  ").append(d).append('\n');
        if (hint != null && !hint.isBlank()) sb.append("  hint: ").append(hint).append('\n');
        return sb.toString();
    }
}
