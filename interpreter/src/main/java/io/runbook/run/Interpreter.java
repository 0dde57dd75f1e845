package io.runbook.run;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.run.RunEvent.Block;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * `runbook run` (and rehearse, rollback): the engine's operations in a loop. Settings, the read-only
 * preflight when the selection has work, then each phase: begin, its steps, its verify, finish; a lock
 * timeout retried on the phase's policy; on failure the rollback blocks of the phases this run
 * committed, when asked to. The summary is a listener of the run's own events.
 */
public final class Interpreter {
    public enum OnFailure {
        ASK,
        ROLLBACK,
        STOP
    }

    private final Engine engine;
    private final Prompter prompter;
    private final List<RunSummary.Line> summary = new ArrayList<>();
    private volatile String haltReason;

    public Interpreter(
            Program program,
            Session session,
            Prompter prompter,
            RunListener out,
            Scope params,
            Map<String, String> env) {
        this(program, session, prompter, out, params, env, Engine.Policy.RUN);
    }

    public Interpreter(
            Program program,
            Session session,
            Prompter prompter,
            RunListener out,
            Scope params,
            Map<String, String> env,
            Engine.Policy policy) {
        this.prompter = prompter;
        this.engine = new Engine(program, session, prompter, RunListener.all(this::count, out), params, env, policy);
    }

    /** The engine this loop drives, for the options a front end sets (journal, sh environment, lock report). */
    public Engine engine() {
        return engine;
    }

    /** Where phases are recorded as applied (the journal), and which to skip. */
    public Interpreter withProgress(Progress progress) {
        engine.withProgress(progress);
        return this;
    }

    public Interpreter withShellEnvironment(Map<String, String> env) {
        engine.withShellEnvironment(env);
        return this;
    }

    public Interpreter withLockReport(boolean on) {
        engine.withLockReport(on);
        return this;
    }

    /** Ctrl-C: cancel the running statement on the server and stop at the next step. */
    public void interrupt() {
        engine.interrupt();
    }

    private void count(RunEvent e) {
        if (e instanceof RunEvent.PhaseFinished f)
            summary.add(new RunSummary.Line(f.phase().name(), f.state(), f.duration(), f.detail()));
        if (e instanceof RunEvent.PhaseSkipped s)
            summary.add(new RunSummary.Line(s.phase().name(), PhaseState.SKIPPED, Duration.ZERO, s.why()));
    }

    /**
     * Lets the running phase finish, then stops before the next one (exit ABORTED): the fleet halting after
     * failures on other targets. Safe to call from another thread.
     */
    public void haltBeforeNextPhase(String reason) {
        haltReason = reason;
    }

    /** Runs the selected phases; returns the exit code. */
    public int run(List<Phase> phases, OnFailure onFailure) {
        long start = System.nanoTime();
        List<Phase> committed = new ArrayList<>();
        int exit = ExitCode.OK;
        String outcome = "completed";
        try {
            engine.settings();
            if (engine.preflightNeeded(phases)) preflight();
            else engine.note("every phase is applied already: nothing to do (the preflight is skipped too)");
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                String skip = engine.appliedBefore(phase);
                if (skip != null) {
                    engine.emit(new RunEvent.PhaseSkipped(phase, i + 1, phases.size(), skip));
                    continue;
                }
                if (haltReason != null) {
                    throw new Failure(
                            ExitCode.ABORTED,
                            new Diagnostic(
                                    phase.pos(),
                                    "phase \"" + phase.name() + "\" not started: " + haltReason,
                                    "nothing of this phase ran; re-run to continue where it stopped"));
                }
                engine.enter(Block.PHASE, phase, i + 1, phases.size());
                phase(phase);
                committed.add(phase);
            }
        } catch (Failure | Reported x) {
            Failure f = x instanceof Reported r ? r.failure : (Failure) x;
            if (!(x instanceof Reported)) engine.report(f);
            exit = f.exitCode();
            outcome = "stopped: " + f.getMessage();
            for (Phase p : phases) {
                if (!committed.contains(p)
                        && summary.stream().noneMatch(l -> l.name().equals(p.name()))) {
                    summary.add(new RunSummary.Line(p.name(), PhaseState.NOT_RUN, Duration.ZERO, null));
                }
            }
            if (!committed.isEmpty() && exit != ExitCode.CONNECTION && decideRollback(committed, onFailure)) {
                Collections.reverse(committed);
                int undo = undo(committed);
                exit = undo == ExitCode.OK ? ExitCode.ROLLED_BACK : undo;
                outcome = undo == ExitCode.OK ? "rolled back after failure" : "rollback failed";
            }
        }
        finished(exit, outcome, start);
        return exit;
    }

    /** The preflight: every check runs (the engine's rule); any failure stops the run before the first phase. */
    private void preflight() {
        List<Step> steps = engine.program().runbook().preflight();
        if (steps.isEmpty()) return;
        long start = System.nanoTime();
        List<Failure> failed = engine.preflight(steps);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (failed.isEmpty()) {
            summary.add(new RunSummary.Line("preflight", PhaseState.PASSED, took, "read-only, all checks passed"));
            return;
        }
        String counted = failed.size() + " of " + steps.size() + " preflight steps failed";
        summary.add(new RunSummary.Line("preflight", PhaseState.CHECKS_FAILED, took, counted));
        if (failed.size() == 1) throw new Reported(failed.get(0));
        Failure first = failed.get(0);
        List<String> each = failed.stream()
                .map(f -> (f.diagnostic().pos() == null ? "" : f.diagnostic().pos() + ": ") + f.getMessage())
                .toList();
        throw new Reported(new Failure(
                first.exitCode(),
                new Diagnostic(null, counted + ": " + String.join("; ", each), "fix them all, then run again"),
                first.sqlState(),
                Consequence.of(Consequence.Kind.NOTHING_CHANGED)));
    }

    /** One phase: begin, steps, verify, finish; a lock timeout in a transactional phase is tried again on its policy. */
    private void phase(Phase phase) {
        for (int attempt = 1; ; attempt++) {
            try {
                engine.begin(phase, attempt);
                for (Step s : phase.steps()) engine.step(s);
                if (!phase.verify().isEmpty()) {
                    engine.enterVerify();
                    for (Step s : phase.verify()) engine.step(s);
                }
                engine.finish(null);
                return;
            } catch (Failure f) {
                if (engine.retryAfterLockTimeout(f, attempt)) continue;
                engine.report(f);
                engine.discardAfter(f);
                throw new Reported(f);
            }
        }
    }

    /** A phase's failure, reported before its phase was discarded (so the journal has the failure first). */
    private static final class Reported extends RuntimeException {
        final Failure failure;

        Reported(Failure f) {
            super(f.getMessage(), null, false, false);
            this.failure = f;
        }
    }

    private boolean decideRollback(List<Phase> committed, OnFailure onFailure) {
        if (onFailure == OnFailure.ROLLBACK) return true;
        if (onFailure == OnFailure.ASK) {
            List<String> names =
                    new ArrayList<>(committed.stream().map(Phase::name).toList());
            Collections.reverse(names);
            Prompter.Answer a = prompter.confirm(
                    "Run the rollback blocks of " + String.join(", ", names) + " (in that order)?", null);
            engine.emit(new RunEvent.Confirmed(null, "roll back committed phases", a));
            if (a.yes()) return true;
        }
        engine.note(committed.size()
                + " phase(s) committed earlier in this run stay applied; `runbook rollback` undoes them");
        return false;
    }

    /** Runs the rollback blocks of the given phases, in the order given; returns the exit code. */
    private int undo(List<Phase> phases) {
        for (Phase phase : phases) {
            if (!phase.hasRollback()) {
                engine.note("phase \"" + phase.name() + "\" has no rollback block: left as it is");
                continue;
            }
            try {
                engine.undo(phase);
            } catch (Failure f) {
                engine.report(f);
                return f.exitCode();
            }
        }
        return ExitCode.OK;
    }

    /**
     * Runs a phase's verify block read-only, as evidence of how far an interrupted phase got. Reports
     * every guard; returns whether all passed. Changes nothing.
     */
    public boolean evidence(Phase phase) {
        if (phase.verify().isEmpty()) {
            engine.note("phase \"" + phase.name() + "\" has no verify block to show how far it got");
            return false;
        }
        try {
            engine.settings();
            engine.enter(Block.VERIFY, phase, 0, 0);
            return engine.probe(phase.verify(), phase, Block.VERIFY, true);
        } catch (Failure f) {
            engine.report(f);
            return false;
        }
    }

    /** `runbook rollback`: runs rollback blocks of the given phases, in the order given. */
    public int rollback(List<Phase> phases) {
        long start = System.nanoTime();
        int exit;
        try {
            engine.settings();
            exit = undo(phases);
        } catch (Failure f) {
            engine.report(f);
            exit = f.exitCode();
        }
        finished(exit, exit == ExitCode.OK ? "rolled back" : "rollback failed", start);
        return exit;
    }

    private void finished(int exit, String outcome, long start) {
        finished = engine.redactor()
                .summary(new RunSummary(
                        engine.program().runbook().name(),
                        List.copyOf(summary),
                        exit,
                        outcome,
                        Duration.ofNanos(System.nanoTime() - start)));
        engine.emit(new RunEvent.RunFinished(finished));
    }

    private RunSummary finished;

    /**
     * The summary of the last run() or rollback(): each phase's state, the exit code and the outcome. With a
     * JournalRecorder as progress and listener, `new Interpreter(...).withProgress(recorder).run(...)` then
     * summary() is the whole of a journaled run (what a fleet runs on each target).
     */
    public RunSummary summary() {
        return finished;
    }
}
