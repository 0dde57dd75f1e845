package io.runbook.source;

/**
 * SQL as it stands in a source: the text and where its first character is, so that a server error
 * position inside it maps back to file:line:col.
 */
public record SqlText(String text, SourceFile file, int offset) {
    /** The position of a 0-based char offset inside this SQL text. */
    public Pos posAt(int offsetInText) {
        return file.posAt(offset + Math.max(0, Math.min(offsetInText, text.length())));
    }

    public Pos pos() { return posAt(0); }
}
