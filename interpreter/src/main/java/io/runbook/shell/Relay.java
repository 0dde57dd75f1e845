package io.runbook.shell;

import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.run.Failure;
import io.runbook.run.PhaseState;
import io.runbook.run.RunListener;
import io.runbook.run.RunSummary;
import io.runbook.run.StepResult;
import io.runbook.source.Pos;
import io.runbook.term.Prompter;
import java.time.Duration;

/**
 * What the interpreter reports goes to the console and, for work that counts (stepping, rollback blocks),
 * to the journal; re-running a check to look (`check`, `verify` of another phase) is not journaled.
 */
final class Relay implements RunListener {
    private final RunListener console;
    private RunListener journal;
    private boolean journaling = true;

    Relay(RunListener console) { this.console = console; }

    void journal(RunListener j) { journal = j; }

    /** Turns journaling off or on; returns the previous setting. */
    boolean journaling(boolean on) {
        boolean was = journaling;
        journaling = on;
        return was;
    }

    private boolean j() { return journaling && journal != null; }

    @Override public void runStarted(Runbook r, String target) { console.runStarted(r, target); }

    @Override public void blockStarted(Block b, Phase p, int i, int n) {
        console.blockStarted(b, p, i, n);
        if (j()) journal.blockStarted(b, p, i, n);
    }

    @Override public void sqlDone(Pos at, String label, StepResult r) {
        console.sqlDone(at, label, r);
        if (j()) journal.sqlDone(at, label, r);
    }

    @Override public void guard(Pos at, String label, Evaluator.Outcome o) {
        console.guard(at, label, o);
        if (j()) journal.guard(at, label, o);
    }

    @Override public void confirmed(Pos at, String q, Prompter.Answer a) {
        console.confirmed(at, q, a);
        if (j()) journal.confirmed(at, q, a);
    }

    @Override public void echo(Pos at, String text) {
        console.echo(at, text);
        if (j()) journal.echo(at, text);
    }

    @Override public void let(Pos at, String name, Value v) {
        console.let(at, name, v);
        if (j()) journal.let(at, name, v);
    }

    @Override public void note(String text) { console.note(text); }

    @Override public void phaseSkipped(Phase p, int i, int n, String why) {
        console.phaseSkipped(p, i, n, why);
        if (j()) journal.phaseSkipped(p, i, n, why);
    }

    @Override public void failed(Failure f) {
        console.failed(f);
        if (j()) journal.failed(f);
    }

    @Override public void phaseFinished(Phase p, PhaseState s, Duration d, String detail) {
        console.phaseFinished(p, s, d, detail);
        if (j()) journal.phaseFinished(p, s, d, detail);
    }

    /** A shell has no end-of-run summary: each command reports as it goes. */
    @Override public void runFinished(RunSummary s) {}
}
