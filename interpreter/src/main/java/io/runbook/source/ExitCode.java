package io.runbook.source;

/** The documented exit codes (docs/reference.md). Scripts depend on them: never renumber. */
public final class ExitCode {
    public static final int OK = 0;
    /** A check, expect or verify guard failed; the phase was rolled back. */
    public static final int GUARD_FAILED = 1;
    /** Usage error, syntax error, missing file, unknown name: nothing was run. */
    public static final int INVALID = 2;
    /** The database could not be reached or the connection was lost. */
    public static final int CONNECTION = 3;
    /** A SQL statement failed; the phase was rolled back. */
    public static final int SQL_ERROR = 4;
    /** The operator declined a confirmation or pressed Ctrl-C; the phase was rolled back. */
    public static final int ABORTED = 5;
    /** A failure happened and the rollback blocks of the completed phases were run. */
    public static final int ROLLED_BACK = 6;
    /** Confirmations need a terminal or --yes: refused to start. */
    public static final int NEEDS_TERMINAL = 7;
    /** Another runner holds this runbook's lock on this database. */
    public static final int LOCKED = 8;
    /** A `no transaction` phase was interrupted in an earlier run: the operator must decide (--rerun, --mark-done, rollback). */
    public static final int INTERRUPTED = 9;
    /** Phases that already ran have changed since: refused (--allow-changed overrides). */
    public static final int CHANGED = 10;
    /** `runbook baseline`: a phase's verify block fails on the target, or it has none: nothing was recorded (--force records anyway). */
    public static final int UNPROVEN = 11;
    /** A bug in runbook itself. */
    public static final int INTERNAL = 70;

    private ExitCode() {}
}
