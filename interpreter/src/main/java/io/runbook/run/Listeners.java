package io.runbook.run;

import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.source.Pos;
import io.runbook.term.Prompter;
import java.time.Duration;
import java.util.List;

/** Several listeners heard as one: the console and the journal. */
public final class Listeners implements RunListener {
    private final List<RunListener> all;

    public Listeners(RunListener... all) { this.all = List.of(all); }

    public void runStarted(Runbook r, String t) { all.forEach(l -> l.runStarted(r, t)); }
    public void blockStarted(Block b, Phase p, int i, int n) { all.forEach(l -> l.blockStarted(b, p, i, n)); }
    public void sqlDone(Pos at, String label, StepResult r) { all.forEach(l -> l.sqlDone(at, label, r)); }
    public void guard(Pos at, String label, Evaluator.Outcome o) { all.forEach(l -> l.guard(at, label, o)); }
    public void confirmed(Pos at, String q, Prompter.Answer a) { all.forEach(l -> l.confirmed(at, q, a)); }
    public void echo(Pos at, String text) { all.forEach(l -> l.echo(at, text)); }
    public void let(Pos at, String name, Value v) { all.forEach(l -> l.let(at, name, v)); }
    public void note(String text) { all.forEach(l -> l.note(text)); }
    public void phaseSkipped(Phase p, int i, int n, String why) { all.forEach(l -> l.phaseSkipped(p, i, n, why)); }
    public void failed(Failure f) { all.forEach(l -> l.failed(f)); }
    public void phaseFinished(Phase p, PhaseState s, Duration d, String detail) { all.forEach(l -> l.phaseFinished(p, s, d, detail)); }
    public void runFinished(RunSummary s) { all.forEach(l -> l.runFinished(s)); }
    public void batchProgress(Pos at, long n, long rows, long total, Duration e) { all.forEach(l -> l.batchProgress(at, n, rows, total, e)); }
    public void batchDone(Pos at, long n, long total, Duration e) { all.forEach(l -> l.batchDone(at, n, total, e)); }
    public void monitorRound(Pos at, String label, long r, long n, String f) { all.forEach(l -> l.monitorRound(at, label, r, n, f)); }
    public void shellOutput(Pos at, String line) { all.forEach(l -> l.shellOutput(at, line)); }
    public void shellDone(Pos at, String c, int exit, Duration d) { all.forEach(l -> l.shellDone(at, c, exit, d)); }
}
