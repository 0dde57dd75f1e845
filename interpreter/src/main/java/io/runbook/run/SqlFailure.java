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

    public Diagnostic diagnostic() {
        return diagnostic;
    }

    public String sqlState() {
        return sqlState;
    }

    /** The session is gone (ConnectionLoss's rule). */
    public boolean connectionLost() {
        return ConnectionLoss.is(sqlState);
    }

    /** 57014: cancelled by Ctrl-C (or statement_timeout). */
    public boolean cancelled() {
        return "57014".equals(sqlState);
    }
}
