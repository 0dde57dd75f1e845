package io.runbook.source;

import java.util.List;

/** A failure the operator must see as diagnostics (never as a stack trace), with the exit code it maps to. */
public class RunbookException extends RuntimeException {
    private final List<Diagnostic> diagnostics;
    private final int exitCode;

    public RunbookException(int exitCode, List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "error" : diagnostics.get(0).message());
        this.exitCode = exitCode;
        this.diagnostics = List.copyOf(diagnostics);
    }

    public RunbookException(int exitCode, Diagnostic diagnostic) {
        this(exitCode, List.of(diagnostic));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public int exitCode() {
        return exitCode;
    }
}
