package io.runbook.run;

import io.runbook.source.Diagnostic;

/** Why a block stopped: a failed guard, a declined confirmation or Ctrl-C, with the exit code it maps to. */
public final class Failure extends RuntimeException {
    private final Diagnostic diagnostic;
    private final int exitCode;

    private final String sqlState;

    public Failure(int exitCode, Diagnostic diagnostic) { this(exitCode, diagnostic, null); }

    public Failure(int exitCode, Diagnostic diagnostic, String sqlState) {
        super(diagnostic.message());
        this.exitCode = exitCode;
        this.diagnostic = diagnostic;
        this.sqlState = sqlState;
    }

    /** The server's SQLSTATE when a statement failed, else null. */
    public String sqlState() { return sqlState; }

    public Diagnostic diagnostic() { return diagnostic; }

    public int exitCode() { return exitCode; }
}
