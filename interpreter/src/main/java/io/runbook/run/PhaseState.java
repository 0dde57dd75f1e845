package io.runbook.run;

/** How a phase ended in this run. */
public enum PhaseState {
    PASSED("passed"),
    /** The preflight: a check failed (each is reported); read-only, so nothing was changed. */
    CHECKS_FAILED("failed, nothing changed"),
    COMMITTED("committed"),
    COMPLETED("completed (no transaction)"),
    ROLLED_BACK("failed, rolled back"),
    PARTIAL("failed, partly committed"),
    /** Ctrl-C or SIGTERM during the phase: its transaction was rolled back. */
    INTERRUPTED("interrupted, rolled back"),
    /** Ctrl-C or SIGTERM during a `no transaction` phase: what had committed stays. */
    INTERRUPTED_PARTIAL("interrupted, partly committed"),
    DISCARDED("rolled back by the operator"),
    BASELINE("marked applied (baseline)"),
    NOT_RUN("not run"),
    SKIPPED("already applied, skipped"),
    UNDONE("undone by its rollback block"),
    UNDO_FAILED("rollback block failed");

    public final String label;

    PhaseState(String label) {
        this.label = label;
    }
}
