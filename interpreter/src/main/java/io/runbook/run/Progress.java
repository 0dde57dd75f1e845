package io.runbook.run;

import io.runbook.ast.Phase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Where the interpreter keeps and reads progress: the journal, or nothing (a dry interpreter in tests). */
public interface Progress {
    Progress NONE = new Progress() {};

    /** Null when the phase is to run; else why it is skipped (it was applied before). */
    default String skip(Phase phase) {
        return null;
    }

    /** Before a `no transaction` phase runs: recorded on its own, so a crash inside it is seen later. */
    default void starting(Phase phase, Instant started) throws SQLException {}

    /**
     * The phase is complete. For a transactional phase, phaseTransaction is its still-open transaction:
     * the record commits with the phase or not at all. For a `no transaction` phase it is null.
     */
    default void applied(Phase phase, Connection phaseTransaction, Instant started) throws SQLException {}

    /**
     * A `no transaction` phase stopped at a failure the runner saw (not a lost connection): partly false means
     * nothing of it committed, so a run may run it again; true means some statements did. detail says what is
     * known (what committed, what the failure left behind).
     */
    default void stopped(Phase phase, boolean partly, String detail, Instant started) throws SQLException {}

    /** A `snapshot` step recorded the schema (JSON): kept so a later run, or a rollback, can compare with it. */
    default void snapshotTaken(String name, String json) throws SQLException {}

    /** The latest snapshot of that name kept by an earlier run, or null. */
    default String snapshot(String name) throws SQLException {
        return null;
    }

    /** The phase is recorded as applied without running it (`runbook baseline`: the database already has it). */
    default void baseline(Phase phase) throws SQLException {}

    /**
     * A range of a keyset batch is about to commit: its record goes into the range's own transaction (tx), so the
     * journal says exactly which ranges are done. next: the key the following range starts at (or after).
     */
    default void rangeCommitting(Connection tx, String label, String next, long rows, Instant started)
            throws SQLException {}

    /**
     * The labels (`... [from, to)`) of the ranges of the keyset batch named by labelPrefix committed in the phase
     * since the phase was last applied, rolled back or marked done (an earlier run interrupted in it): the ranges a
     * re-run skips. Empty to start at the start.
     */
    default List<String> finishedRanges(Phase phase, String labelPrefix) throws SQLException {
        return List.of();
    }

    /** The phase's rollback block ran and committed. */
    default void undone(Phase phase, Instant started) throws SQLException {}
}
