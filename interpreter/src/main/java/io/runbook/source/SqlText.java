package io.runbook.source;

/**
 * SQL as it stands in a source: the text and where its first character is, so that a server error
 * position inside it maps back to file:line:col. Text cut out of a whole file knows its offset in it;
 * text read from a stream (a file never held whole) knows its first line and column instead.
 */
public record SqlText(String text, SourceFile file, int offset, int line, int col) {
    public SqlText(String text, SourceFile file, int offset) {
        this(text, file, offset, 0, 0);
    }

    /** SQL read from a stream: its first character is at line:col (1-based) of file. */
    public static SqlText at(String text, SourceFile file, int line, int col) {
        return new SqlText(text, file, 0, line, col);
    }

    /** The position of a 0-based char offset inside this SQL text. */
    public Pos posAt(int offsetInText) {
        int o = Math.max(0, Math.min(offsetInText, text.length()));
        if (line == 0) return file.posAt(offset + o);
        int l = line;
        int c = col;
        for (int i = 0; i < o; i++) {
            if (text.charAt(i) == '\n') {
                l++;
                c = 1;
            } else {
                c++;
            }
        }
        return new Pos(file, l, c);
    }

    public Pos pos() {
        return posAt(0);
    }

    // Written out rather than generated: a record's generated equals and hashCode spin method handles at their first
    // call, a tenth of a short command's start-up (the checker keys its map of split statements by SqlText).
    @Override
    public boolean equals(Object o) {
        return o instanceof SqlText s
                && offset == s.offset
                && line == s.line
                && col == s.col
                && java.util.Objects.equals(text, s.text)
                && java.util.Objects.equals(file, s.file);
    }

    @Override
    public int hashCode() {
        int h = java.util.Objects.hashCode(text);
        h = 31 * h + java.util.Objects.hashCode(file);
        h = 31 * h + offset;
        h = 31 * h + line;
        return 31 * h + col;
    }
}
