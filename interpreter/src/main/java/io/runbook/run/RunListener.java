package io.runbook.run;

import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.source.Pos;
import io.runbook.term.Prompter;
import java.time.Duration;

/** What a run reports as it goes: the console prints it; the journal and reports will record it. */
public interface RunListener {
    default void runStarted(Runbook runbook, String target) {}

    /** A preflight, phase, verify or rollback block begins. phase is null for preflight. */
    default void blockStarted(Block block, Phase phase, int index, int total) {}

    default void sqlDone(Pos at, String label, StepResult result) {}

    default void guard(Pos at, String label, Evaluator.Outcome outcome) {}

    default void confirmed(Pos at, String question, Prompter.Answer answer) {}

    default void echo(Pos at, String text) {}

    default void let(Pos at, String name, Value value) {}

    default void note(String text) {}

    /** One batch of a batch step committed. */
    default void batchProgress(Pos at, long batch, long rows, long totalRows, Duration elapsed) {}

    default void batchDone(Pos at, long batches, long totalRows, Duration elapsed) {}

    /** One round of a monitor: failure is null when its checks passed. */
    default void monitorRound(Pos at, String label, long round, long rounds, String failure) {}

    /** A line the command of an sh step printed. */
    default void shellOutput(Pos at, String line) {}

    default void shellDone(Pos at, String command, int exitCode, Duration duration) {}

    /** A phase not run because it was applied before. */
    default void phaseSkipped(Phase phase, int index, int total, String why) {}

    /** The failure that stopped the run (its diagnostic is also rendered through note()). */
    default void failed(Failure failure) {}

    default void phaseFinished(Phase phase, PhaseState state, Duration duration, String detail) {}

    default void runFinished(RunSummary summary) {}

    enum Block { PREFLIGHT, PHASE, VERIFY, ROLLBACK }
}
