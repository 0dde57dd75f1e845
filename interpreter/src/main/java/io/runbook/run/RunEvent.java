package io.runbook.run;

import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.source.Pos;
import java.time.Duration;
import java.util.List;

/**
 * What happened in a run, as data: the engine creates these, and the console, the journal, the run
 * summary and the shell each subscribe (RunListener). Nothing else carries a run's story.
 */
public sealed interface RunEvent {
    /** A preflight, phase, verify or rollback block: what a failure in it leaves behind depends on it. */
    enum Block {
        PREFLIGHT,
        PHASE,
        VERIFY,
        ROLLBACK
    }

    record RunStarted(Runbook runbook, String target) implements RunEvent {}

    /** A block begins. phase is null for the preflight; index and total count the selected phases (0 outside PHASE). */
    record BlockStarted(Block block, Phase phase, int index, int total) implements RunEvent {}

    record SqlDone(Pos at, String label, StepResult result) implements RunEvent {}

    /** An expectation or a check, passed or failed. */
    record GuardChecked(Pos at, String label, Evaluator.Outcome outcome) implements RunEvent {}

    record Confirmed(Pos at, String question, Prompter.Answer answer) implements RunEvent {}

    record Echoed(Pos at, String text) implements RunEvent {}

    record LetBound(Pos at, String name, Value value) implements RunEvent {}

    /** Something the operator should know that is no step of its own. */
    record Note(String text) implements RunEvent {}

    /**
     * A lock_timeout expired and the work is tried again: attempt (1-based) of attempts, with the
     * lock_timeout it had, the pause before the next one and that one's lock_timeout; holders are the
     * sessions holding or waiting for locks at that moment.
     */
    record LockRetry(
            String what,
            int attempt,
            int attempts,
            Duration lockTimeout,
            Duration pause,
            Duration nextLockTimeout,
            List<String> holders)
            implements RunEvent {}

    /** Sessions holding or waiting for locks before a phase (--show-locks). */
    record LocksShown(List<String> holders) implements RunEvent {}

    /** One batch of a batch step committed. */
    record BatchProgress(Pos at, long batch, long rows, long totalRows, Duration elapsed, Duration took)
            implements RunEvent {}

    /**
     * One range of a keyset batch committed (its journal row with it): keys [from, to), done is the share of the
     * key range walked (0 to 1), eta the time left at this run's pace (null before there is a pace).
     */
    record RangeDone(
            Pos at,
            long batch,
            String key,
            String from,
            String to,
            long rows,
            long totalRows,
            double done,
            Duration elapsed,
            Duration eta)
            implements RunEvent {}

    record BatchDone(Pos at, long batches, long totalRows, Duration elapsed) implements RunEvent {}

    /** One round of a monitor: failure is null when its checks passed. */
    record MonitorRound(Pos at, String label, long round, long rounds, String failure) implements RunEvent {}

    /** A monitor the operator ended early (Ctrl-C) after some rounds: not a failure. */
    record MonitorEnded(Pos at, String label, long round, long rounds) implements RunEvent {}

    /** A line the command of an sh step printed. */
    record ShellOutput(Pos at, String line) implements RunEvent {}

    /** An sh step's command ended; passed: its exit code met the step's `expect exit` (default: exit == 0). */
    record ShellDone(Pos at, String command, int exitCode, Duration duration, boolean passed) implements RunEvent {}

    /** A snapshot step recorded the schema. */
    record SnapshotTaken(Pos at, String name, int tables, int indexes) implements RunEvent {}

    /** A step the operator went past without running it (runbook shell). */
    record StepSkipped(Block block, Phase phase, String label) implements RunEvent {}

    /** A phase not run because it was applied before. */
    record PhaseSkipped(Phase phase, int index, int total, String why) implements RunEvent {}

    /** A failure: the one that stopped a run, or a failed step in the shell. */
    record Failed(Block block, Phase phase, Failure failure) implements RunEvent {}

    record PhaseFinished(Phase phase, PhaseState state, Duration duration, String detail) implements RunEvent {}

    record RunFinished(RunSummary summary) implements RunEvent {}

    /** An event of a look that changes nothing (the shell's `check`, `verify` of another phase): shown, not journaled. */
    record Looked(RunEvent event) implements RunEvent {}
}
