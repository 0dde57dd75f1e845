package io.runbook.run;

import io.runbook.source.Diagnostic;

/** A statement the server refused (or the connection dropped), already mapped to its source position. */
public final class SqlFailure extends RuntimeException {
    private final Diagnostic diagnostic;
    private final String sqlState;

    public SqlFailure(Diagnostic diagnostic, String sqlState) {
        super(diagnostic.message());
        this.diagnostic = diagnostic;
        this.sqlState = sqlState;
    }

    public Diagnostic diagnostic() { return diagnostic; }

    public String sqlState() { return sqlState; }

    /** Class 08 (connection exception) and 57P01-03 (admin shutdown, crash): the session is gone. */
    public boolean connectionLost() {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
    }

    /** 57014: cancelled by Ctrl-C (or statement_timeout). */
    public boolean cancelled() { return "57014".equals(sqlState); }
}
