package io.runbook.run;

import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import java.util.List;
import java.util.function.Function;

/**
 * Why a block stopped: a failed guard, a refused statement, a declined confirmation, Ctrl-C or a lost
 * connection, with the exit code it maps to and what it left behind (set by the engine, which knows).
 * The diagnostic says what happened and where; the consequence is worded by each front end.
 */
public final class Failure extends RuntimeException {
    private final Diagnostic diagnostic;
    private final int exitCode;
    private final String sqlState;
    private final Consequence consequence;
    private final List<String> lockHolders;

    public Failure(int exitCode, Diagnostic diagnostic) {
        this(exitCode, diagnostic, null, null);
    }

    public Failure(int exitCode, Diagnostic diagnostic, String sqlState) {
        this(exitCode, diagnostic, sqlState, null);
    }

    public Failure(int exitCode, Diagnostic diagnostic, String sqlState, Consequence consequence) {
        this(exitCode, diagnostic, sqlState, consequence, List.of());
    }

    private Failure(
            int exitCode, Diagnostic diagnostic, String sqlState, Consequence consequence, List<String> lockHolders) {
        super(diagnostic.message());
        this.exitCode = exitCode;
        this.diagnostic = diagnostic;
        this.sqlState = sqlState;
        this.consequence = consequence;
        this.lockHolders = List.copyOf(lockHolders);
    }

    /** The same failure, with what it left behind (the first one set stays: it is the most precise). */
    public Failure leaving(Consequence c) {
        return consequence != null ? this : new Failure(exitCode, diagnostic, sqlState, c, lockHolders);
    }

    /** A lock wait that gave up for good, with the sessions that held locks then (LockReport lines), as details. */
    public Failure heldBy(List<String> holders) {
        Diagnostic d = diagnostic.withDetail(
                holders.isEmpty()
                        ? "when the lock_timeout expired, no session held a lock or had a transaction open"
                        : "when the lock_timeout expired, these sessions held locks or had a transaction open:");
        for (String h : holders) d = d.withDetail("  " + h);
        return new Failure(exitCode, d, sqlState, consequence, holders);
    }

    /** Who held locks when a lock wait gave up for good (see heldBy); empty for any other failure. */
    public List<String> lockHolders() {
        return lockHolders;
    }

    /** The server's SQLSTATE when a statement failed, else null. */
    public String sqlState() {
        return sqlState;
    }

    public Diagnostic diagnostic() {
        return diagnostic;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What the failure left behind; null only before the engine has seen it. */
    public Consequence consequence() {
        return consequence;
    }

    /** The connection to the database is gone. */
    public boolean connectionLost() {
        return exitCode == ExitCode.CONNECTION;
    }

    /** The diagnostic with what the failure left behind, in a front end's words, as its last detail. */
    public Diagnostic render(Function<Consequence, String> words) {
        String w = consequence == null ? null : words.apply(consequence);
        return w == null || w.isBlank() ? diagnostic : diagnostic.withDetail(w);
    }
}
