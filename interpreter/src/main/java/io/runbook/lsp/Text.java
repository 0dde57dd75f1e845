package io.runbook.lsp;

import io.runbook.source.Pos;
import java.util.Arrays;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/** Offsets, LSP positions (0-based line and UTF-16 column) and ranges over one text. */
final class Text {
    final String text;
    private final int[] lineStarts;

    Text(String text) {
        this.text = text;
        int n = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') n++;
        lineStarts = new int[n];
        int k = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') lineStarts[k++] = i + 1;
    }

    int offset(Position p) {
        int line = Math.max(0, Math.min(p.getLine(), lineStarts.length - 1));
        return Math.min(lineEnd(line), lineStarts[line] + Math.max(0, p.getCharacter()));
    }

    Position position(int offset) {
        int o = Math.max(0, Math.min(offset, text.length()));
        int i = Arrays.binarySearch(lineStarts, o);
        int line = i >= 0 ? i : -i - 2;
        return new Position(line, o - lineStarts[line]);
    }

    Range range(int start, int end) {
        return new Range(position(start), position(end));
    }

    /** The end of a 0-based line, before its line break. */
    int lineEnd(int line) {
        int end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length();
        return end > lineStarts[line] && text.charAt(end - 1) == '\r' ? end - 1 : end;
    }

    Range all() {
        return range(0, text.length());
    }

    /**
     * The range of what a message points at: the word, string or dollar-quoted body starting at pos, or the rest of
     * the line (wholeLine, for a SQL statement).
     */
    Range at(Pos pos, boolean wholeLine) {
        int line = Math.max(0, Math.min(pos.line() - 1, lineStarts.length - 1));
        int start = Math.min(lineEnd(line), lineStarts[line] + Math.max(0, pos.col() - 1));
        int end = lineEnd(line);
        if (!wholeLine && start < end) end = tokenEnd(start, end);
        if (end == start && start < text.length()) end = start + 1;
        if (end == start && start > 0) start--;
        return range(start, end);
    }

    private int tokenEnd(int start, int lineEnd) {
        char c = text.charAt(start);
        if (Character.isLetterOrDigit(c) || c == '_') {
            int i = start;
            while (i < lineEnd && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) i++;
            return i;
        }
        if (c == '"') {
            int i = text.indexOf('"', start + 1);
            return i < 0 || i >= lineEnd ? lineEnd : i + 1;
        }
        return start + 1;
    }

    /** The identifier characters just before offset (what the user is typing). */
    String wordBefore(int offset) {
        int i = offset;
        while (i > 0 && isWord(text.charAt(i - 1))) i--;
        return text.substring(i, offset);
    }

    /** The identifier around offset, or "" when there is none. */
    int[] wordAround(int offset) {
        int s = Math.min(offset, text.length());
        while (s > 0 && isWord(text.charAt(s - 1))) s--;
        int e = Math.min(offset, text.length());
        while (e < text.length() && isWord(text.charAt(e))) e++;
        return new int[] {s, e};
    }

    static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
