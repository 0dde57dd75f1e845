package io.runbook.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The text of one input file (a runbook, a library or a SQL file), with the line index that error messages need.
 * A SQL file read as a stream keeps its text only when it is small; a large one is read again, as a stream, for
 * the line an error message shows (and whole only for tools that ask for all of its text).
 */
public final class SourceFile {
    /** SQL files up to this size keep their text (for lint, plan and the journal's copy of a phase). */
    public static final int KEPT_TEXT = 1 << 20;

    private final String name;
    private final Path path;
    private String text;
    private final long size;
    private final String sha256;
    private final long modified;
    private int[] lineStarts;

    public SourceFile(String name, Path path, String text) {
        this(name, path, text, -1, null, 0);
    }

    private SourceFile(String name, Path path, String text, long size, String sha256, long modified) {
        this.name = name;
        this.path = path;
        this.text = text;
        this.size = size;
        this.sha256 = sha256;
        this.modified = modified;
    }

    /**
     * A file that was read as a stream: its normalised size, SHA-256 (null when not computed) and modification
     * time (ms), and its text if it was kept.
     */
    public static SourceFile streamed(
            String name, Path path, String keptText, long size, String sha256, long modified) {
        return new SourceFile(name, path, keptText, size, sha256, modified);
    }

    /** For a streamed file: when it was last modified (ms since the epoch) as it was read. */
    public long modified() {
        return modified;
    }

    /** The name shown in messages: the path as the operator typed it, or a stdlib resource name. */
    public String name() {
        return name;
    }

    /** The file on disk, or null for a classpath resource. */
    public Path path() {
        return path;
    }

    /** Whether the text is in memory (always, except for a large SQL file read as a stream). */
    public boolean hasText() {
        return text != null;
    }

    /** For a streamed file: its normalised size in bytes and SHA-256 (hex); else -1 and null. */
    public long size() {
        return size;
    }

    public String sha256() {
        return sha256;
    }

    /** The whole text; a large streamed file is read whole for this (use the SQL stream instead where you can). */
    public String text() {
        if (text == null) {
            try {
                String t = Files.readString(path, StandardCharsets.UTF_8);
                if (t.startsWith("\uFEFF")) t = t.substring(1);
                text = t.indexOf('\r') < 0 ? t : t.replace("\r\n", "\n").replace('\r', '\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return text;
    }

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
        return Math.min(text().length(), starts[l] + Math.max(0, col - 1));
    }

    /** The text of a 1-based line, without its line terminator. */
    public String line(int line) {
        if (text == null) return streamedLine(line);
        int[] starts = lineStarts();
        if (line < 1 || line > starts.length) return "";
        int start = starts[line - 1];
        int end = line < starts.length ? starts[line] : text.length();
        while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) end--;
        return text.substring(start, end);
    }

    /** Reads up to the line: an error near the end of a gigabyte file must not load it. */
    private String streamedLine(int line) {
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String l = null;
            for (int i = 0; i < line; i++) {
                l = r.readLine();
                if (l == null) return "";
            }
            return line == 1 && l.startsWith("\uFEFF") ? l.substring(1) : l;
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /**
     * The 0-based char column of a 0-based code point column on a 1-based line (they differ after an emoji).
     * Without characters outside the BMP in the file, they are the same: no scan, so long lines stay linear.
     */
    public int charColumn(int line, int codePointColumn) {
        if (text == null || !hasSupplementary()) return codePointColumn; // streamed SQL files: columns as read
        int[] starts = lineStarts();
        if (line < 1 || line > starts.length) return codePointColumn;
        int start = starts[line - 1];
        int end = line < starts.length ? starts[line] : text.length();
        int i = start;
        for (int cp = 0; cp < codePointColumn && i < end; cp++)
            i += Character.isHighSurrogate(text.charAt(i)) && i + 1 < end ? 2 : 1;
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
            String text = text();
            int[] starts = new int[Math.max(16, text.length() / 32)];
            int n = 1;
            for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) { // indexOf: no bounds check a char
                if (n == starts.length) starts = Arrays.copyOf(starts, n * 2);
                starts[n++] = i + 1;
            }
            lineStarts = Arrays.copyOf(starts, n);
        }
        return lineStarts;
    }

    @Override
    public String toString() {
        return name;
    }
}
