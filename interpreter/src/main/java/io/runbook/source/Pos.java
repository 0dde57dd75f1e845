package io.runbook.source;

/** A 1-based line and column in a source file: every AST node and every message carries one. */
public record Pos(SourceFile file, int line, int col) {
    // Written out: a record's generated equals/hashCode are bootstrapped with method handles at their first call,
    // which cost a check of a runbook with a SQL file a quarter of its time (the checker keys its scripts by FileRef).
    @Override
    public boolean equals(Object o) {
        return o instanceof Pos p && line == p.line && col == p.col && java.util.Objects.equals(file, p.file);
    }

    @Override
    public int hashCode() {
        return (31 * java.util.Objects.hashCode(file) + line) * 31 + col;
    }

    @Override
    public String toString() {
        return file.name() + ":" + line + ":" + col;
    }
}
