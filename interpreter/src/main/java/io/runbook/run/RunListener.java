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

    /** A phase not run because it was applied before. */
    default void phaseSkipped(Phase phase, int index, int total, String why) {}

    /** The failure that stopped the run (its diagnostic is also rendered through note()). */
    default void failed(Failure failure) {}

    default void phaseFinished(Phase phase, PhaseState state, Duration duration, String detail) {}

    default void runFinished(RunSummary summary) {}

    enum Block { PREFLIGHT, PHASE, VERIFY, ROLLBACK }
}
