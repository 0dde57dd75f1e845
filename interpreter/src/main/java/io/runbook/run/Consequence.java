package io.runbook.run;

import java.util.List;

/**
 * What a failure left behind in the database, as the engine knows it; each front end words it itself
 * (`runbook run` says what to re-run, the shell what to type next). committed lists what a `no
 * transaction` phase had already committed, as "file:line statement".
 */
public record Consequence(Kind kind, List<String> committed) {
    public enum Kind {
        /** The preflight, or a look that changes nothing: read-only, nothing was changed. */
        NOTHING_CHANGED,
        /** The phase's transaction was (or will be, by the caller) rolled back: nothing of it was applied. */
        PHASE_ROLLED_BACK,
        /** Only the failed step was undone (to its savepoint): the phase's transaction is still open. */
        STEP_UNDONE,
        /** A `no transaction` phase: the statements in committed stay committed. */
        PARTLY_COMMITTED,
        /** A rollback block was rolled back: the phase stays applied. */
        UNDO_ROLLED_BACK,
        /** The connection is gone: the server rolled back whatever was open. */
        CONNECTION_LOST
    }

    public Consequence {
        committed = List.copyOf(committed);
    }

    public static Consequence of(Kind kind) {
        return new Consequence(kind, List.of());
    }
}
