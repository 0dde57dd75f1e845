package io.runbook.source;

import java.util.ArrayList;
import java.util.List;

/**
 * A user-facing problem, from parse, check or lint alike: how bad, where (file:line:col, and where it ends
 * when known, for editors), what, and what to do about it. Rendered as
 * <pre>
 * file:12:5: ERROR: what happened
 *    12 | the offending line
 *       |     ^
 *   hint: what to do
 * </pre>
 */
public record Diagnostic(Severity severity, Pos pos, Pos end, String message, List<String> details, String hint) {
    public enum Severity {
        ERROR,
        WARNING,
        INFO
    }

    /** Lines longer than this are shown as a window around the column. */
    private static final int MAX_SHOWN = 160;

    public Diagnostic(Pos pos, String message, List<String> details, String hint) {
        this(Severity.ERROR, pos, null, message, details, hint);
    }

    public Diagnostic(Pos pos, String message, String hint) {
        this(Severity.ERROR, pos, null, message, List.of(), hint);
    }

    public Diagnostic withDetail(String detail) {
        List<String> d = new ArrayList<>(details);
        d.add(detail);
        return new Diagnostic(severity, pos, end, message, List.copyOf(d), hint);
    }

    public Diagnostic withSeverity(Severity s) {
        return new Diagnostic(s, pos, end, message, details, hint);
    }

    /** Where the offending text ends (exclusive), for an editor's squiggle. */
    public Diagnostic withEnd(Pos e) {
        return new Diagnostic(severity, pos, e, message, details, hint);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        if (pos != null) sb.append(pos).append(": ");
        sb.append(severity.name()).append(": ").append(message).append('\n');
        if (pos != null) appendLine(sb, pos.file().line(pos.line()), pos.line(), pos.col());
        for (String d : details) sb.append("  ").append(d).append('\n');
        if (hint != null && !hint.isBlank()) sb.append("  hint: ").append(hint).append('\n');
        return sb.toString();
    }

    /** The source line and a caret under column `col` (1-based, in chars), whatever tabs and wide characters precede it. */
    static void appendLine(StringBuilder sb, String line, int lineNumber, int col) {
        int at = Math.min(Math.max(col, 1), line.length() + 1) - 1;
        int from = 0;
        int to = line.length();
        if (line.length() > MAX_SHOWN) {
            from = Math.max(0, at - MAX_SHOWN / 2);
            if (from > 0 && Character.isLowSurrogate(line.charAt(from))) from--;
            to = Math.min(line.length(), from + MAX_SHOWN);
            if (to < line.length() && to > 0 && Character.isHighSurrogate(line.charAt(to - 1))) to--;
        }
        String shown =
                (from > 0 ? "..." : "") + printable(line.substring(from, to)) + (to < line.length() ? "..." : "");
        String num = String.valueOf(lineNumber);
        sb.append(' ').append(num).append(" | ").append(shown).append('\n');
        sb.append(' ')
                .append(" ".repeat(num.length()))
                .append(" | ")
                .append(from > 0 ? "   " : "")
                .append(padding(line.substring(from, Math.max(from, at))))
                .append("^\n");
    }

    /** Blank space as wide as `text` on a terminal: tabs stay tabs, wide characters take two columns. */
    static String padding(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp == '\t') sb.append('\t');
            else sb.append(" ".repeat(width(cp)));
        });
        return sb.toString();
    }

    /** Columns a code point takes on a terminal: 0 for combining marks, 2 for East Asian wide and emoji, else 1. */
    static int width(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT)
            return 0;
        boolean wide = (cp >= 0x1100 && cp <= 0x115F)
                || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F)
                || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0xFE30 && cp <= 0xFE4F)
                || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x1F300 && cp <= 0x1F64F)
                || (cp >= 0x1F900 && cp <= 0x1F9FF)
                || (cp >= 0x20000 && cp <= 0x3FFFD);
        return wide ? 2 : 1;
    }

    /** Control characters (other than tab) shown as '?', one column each, so the caret stays in place. */
    private static String printable(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c != '\t' && Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }
}
