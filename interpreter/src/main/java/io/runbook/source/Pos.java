package io.runbook.source;

/** A 1-based line and column in a source file: every AST node and every message carries one. */
public record Pos(SourceFile file, int line, int col) {
    @Override
    public String toString() {
        return file.name() + ":" + line + ":" + col;
    }
}
