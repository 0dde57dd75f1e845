package io.runbook.run;

import io.runbook.source.Diagnostic;

/** Why a block stopped: a failed guard, a declined confirmation or Ctrl-C, with the exit code it maps to. */
public final class Failure extends RuntimeException {
    private final Diagnostic diagnostic;
    private final int exitCode;

    public Failure(int exitCode, Diagnostic diagnostic) {
        super(diagnostic.message());
        this.exitCode = exitCode;
        this.diagnostic = diagnostic;
    }

    public Diagnostic diagnostic() { return diagnostic; }

    public int exitCode() { return exitCode; }
}
