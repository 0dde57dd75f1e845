package io.runbook.source;

import java.nio.file.Path;
import java.util.Arrays;

/** The text of one input file (a runbook, a library or a SQL file), with the line index that error messages need. */
public final class SourceFile {
    private final String name;
    private final Path path;
    private final String text;
    private int[] lineStarts;

    public SourceFile(String name, Path path, String text) {
        this.name = name;
        this.path = path;
        this.text = text;
    }

    /** The name shown in messages: the path as the operator typed it, or a stdlib resource name. */
    public String name() { return name; }

    /** The file on disk, or null for a classpath resource. */
    public Path path() { return path; }

    public String text() { return text; }

    /** 1-based line and column of a 0-based char offset. */
    public Pos posAt(int offset) {
        int[] starts = lineStarts();
        int i = Arrays.binarySearch(starts, offset);
        int line = i >= 0 ? i : -i - 2;
        return new Pos(this, line + 1, offset - starts[line] + 1);
    }

    /** 0-based char offset of a 1-based line and column. */
    public int offsetOf(int line, int col) {
        int[] starts = lineStarts();
        int l = Math.max(0, Math.min(line - 1, starts.length - 1));
        return Math.min(text.length(), starts[l] + Math.max(0, col - 1));
    }

    /** The text of a 1-based line, without its line terminator. */
    public String line(int line) {
        int[] starts = lineStarts();
        if (line < 1 || line > starts.length) return "";
        int start = starts[line - 1];
        int end = line < starts.length ? starts[line] : text.length();
        while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) end--;
        return text.substring(start, end);
    }

    /**
     * The 0-based char column of a 0-based code point column on a 1-based line (they differ after an emoji).
     * Without characters outside the BMP in the file, they are the same: no scan, so long lines stay linear.
     */
    public int charColumn(int line, int codePointColumn) {
        if (!hasSupplementary()) return codePointColumn;
        int[] starts = lineStarts();
        if (line < 1 || line > starts.length) return codePointColumn;
        int start = starts[line - 1];
        int end = line < starts.length ? starts[line] : text.length();
        int i = start;
        for (int cp = 0; cp < codePointColumn && i < end; cp++) i += Character.isHighSurrogate(text.charAt(i)) && i + 1 < end ? 2 : 1;
        return i - start + Math.max(0, codePointColumn - text.codePointCount(start, i));
    }

    private Boolean supplementary;

    private boolean hasSupplementary() {
        if (supplementary == null) {
            boolean found = false;
            for (int i = 0; i < text.length() && !found; i++) found = Character.isSurrogate(text.charAt(i));
            supplementary = found;
        }
        return supplementary;
    }

    private int[] lineStarts() {
        if (lineStarts == null) {
            int n = 1;
            for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') n++;
            int[] starts = new int[n];
            int k = 1;
            for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts[k++] = i + 1;
            lineStarts = starts;
        }
        return lineStarts;
    }

    @Override public String toString() { return name; }
}
