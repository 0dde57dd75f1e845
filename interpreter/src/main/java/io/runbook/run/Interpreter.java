package io.runbook.run;

import io.runbook.ast.Expr;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.eval.Describe;
import io.runbook.eval.EvalException;
import io.runbook.eval.Evaluator;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.SqlText;
import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import io.runbook.term.Prompter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Executes a checked Program: settings, read-only preflight, then each phase as one transaction
 * (or statement by statement for `no transaction` phases), its verify before COMMIT, and on failure
 * the rollback blocks of the phases this run committed.
 */
public final class Interpreter {
    public enum OnFailure { ASK, ROLLBACK, STOP }

    private final Program program;
    final Session session;
    private Progress progress = Progress.NONE;
    private final Prompter prompter;
    final RunListener out;
    final Evaluator evaluator;
    private final Scope scope;
    private final List<RunSummary.Line> summary = new ArrayList<>();
    private volatile boolean interrupted;
    private volatile String haltReason;
    private RunListener.Block block = RunListener.Block.PREFLIGHT;
    private Phase current;

    public Interpreter(Program program, Session session, Prompter prompter, RunListener out, Scope params, Map<String, String> env) {
        this.program = program;
        this.session = session;
        this.prompter = prompter;
        this.out = out;
        this.evaluator = new Evaluator(program.functions(), session, env);
        this.scope = new Scope(params);
    }

    /** Where phases are recorded as applied (the journal), and which to skip. */
    public Interpreter withProgress(Progress progress) {
        this.progress = progress;
        return this;
    }

    // ------------------------------------------------------------------ stepping (runbook shell)

    /** The run's names: params and the lets made so far. */
    public Scope scope() { return scope; }

    public Session session() { return session; }

    public Progress progress() { return progress; }

    public Evaluator evaluator() { return evaluator; }

    /** Applies the runbook's `set` settings to the session (a stepping client calls this once). */
    public void settings() { applySettings(); }

    /**
     * Runs one step of a block, as a run would: phase may be null (preflight); in a transactional phase
     * the caller holds the transaction open (session().begin/commit). Throws Failure on a failed guard,
     * statement or confirmation; the caller decides what to roll back.
     */
    public void runStep(Step step, Phase phase, RunListener.Block block) {
        this.block = block;
        this.current = phase;
        interrupted = false;
        stepsIn(List.of(step), phase, scope, phase != null && !phase.transactional());
    }

    /** Ctrl-C: cancel the running statement on the server and stop at the next step. */
    public void interrupt() {
        interrupted = true;
        session.cancel();
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
        Runbook rb = program.runbook();
        List<Phase> committed = new ArrayList<>();
        int exit = ExitCode.OK;
        String outcome = "completed";
        try {
            applySettings();
            // The preflight checks the state before the work: with every phase applied there is no work.
            if (!phases.isEmpty() && phases.stream().allMatch(p -> progress.skip(p) != null)) {
                out.note("every phase is applied already: nothing to do (the preflight is skipped too)");
            } else {
                preflight();
            }
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                String skip = progress.skip(phase);
                if (skip != null) {
                    out.phaseSkipped(phase, i + 1, phases.size(), skip);
                    summary.add(new RunSummary.Line(phase.name(), PhaseState.SKIPPED, Duration.ZERO, skip));
                    continue;
                }
                if (haltReason != null) {
                    throw new Failure(ExitCode.ABORTED, new Diagnostic(phase.pos(), "phase \"" + phase.name() + "\" not started: " + haltReason,
                            "nothing of this phase ran; re-run to continue where it stopped"));
                }
                out.blockStarted(RunListener.Block.PHASE, phase, i + 1, phases.size());
                block = RunListener.Block.PHASE;
                current = phase;
                if (phase.transactional()) transactional(phase);
                else autocommit(phase);
                committed.add(phase);
            }
        } catch (Failure f) {
            exit = f.exitCode();
            outcome = "stopped: " + f.getMessage();
            out.failed(f);
            out.note(f.diagnostic().render());
            for (Phase p : phases) if (!committed.contains(p) && summary.stream().noneMatch(l -> l.name().equals(p.name()))) {
                summary.add(new RunSummary.Line(p.name(), PhaseState.NOT_RUN, Duration.ZERO, null));
            }
            if (!committed.isEmpty() && exit != ExitCode.CONNECTION && decideRollback(committed, onFailure)) {
                int undo = undo(reversed(committed));
                exit = undo == ExitCode.OK ? ExitCode.ROLLED_BACK : undo;
                outcome = undo == ExitCode.OK ? "rolled back after failure" : "rollback failed";
            }
        }
        out.runFinished(new RunSummary(rb.name(), List.copyOf(summary), exit, outcome, Duration.ofNanos(System.nanoTime() - start)));
        return exit;
    }

    /**
     * Runs a phase's verify block read-only, as evidence of how far an interrupted phase got. Reports
     * every guard; returns whether all passed. Changes nothing.
     */
    public boolean evidence(Phase phase) {
        if (phase.verify().isEmpty()) {
            out.note("phase \"" + phase.name() + "\" has no verify block to show how far it got");
            return false;
        }
        out.blockStarted(RunListener.Block.VERIFY, phase, 0, 0);
        block = RunListener.Block.PREFLIGHT;
        current = phase;
        try {
            applySettings();
            session.begin(true);
            stepsIn(phase.verify(), phase, new Scope(scope), false);
            return true;
        } catch (Failure f) {
            out.note(f.diagnostic().render());
            return false;
        } catch (SQLException e) {
            out.note("cannot run the verify block: " + e.getMessage());
            return false;
        } finally {
            session.rollbackQuietly();
        }
    }

    /** `runbook rollback`: runs rollback blocks of the given phases, in the order given. */
    public int rollback(List<Phase> phases) {
        long start = System.nanoTime();
        int exit;
        try {
            applySettings();
            exit = undo(phases);
        } catch (Failure f) {
            out.note(f.diagnostic().render());
            exit = f.exitCode();
        }
        out.runFinished(new RunSummary(program.runbook().name(), List.copyOf(summary), exit,
                exit == ExitCode.OK ? "rolled back" : "rollback failed", Duration.ofNanos(System.nanoTime() - start)));
        return exit;
    }

    // ------------------------------------------------------------------ blocks

    private void applySettings() {
        boolean lockTimeoutSet = false;
        for (Runbook.Setting s : program.runbook().settings()) {
            Value v = guarded(() -> evaluator.eval(s.value(), scope));
            try {
                session.set(s.name(), v.display());
            } catch (SQLException e) {
                throw new Failure(ExitCode.SQL_ERROR, new Diagnostic(s.pos(), "cannot set " + s.name() + " = " + v.display() + ": " + e.getMessage(),
                        "check the setting's name and value (SHOW ALL lists them)"));
            }
            if (s.name().equals("lock_timeout")) {
                lockTimeoutSet = true;
                Duration d = v instanceof Value.Dur dur ? dur.value() : io.runbook.ast.Durations.parse(v.display());
                sessionLockTimeout = d != null ? d : sessionLockTimeout;
            }
        }
        // A DDL statement stuck behind a lock makes every query behind it queue: give up early by default.
        if (!lockTimeoutSet) {
            try {
                session.set("lock_timeout", io.runbook.ast.Durations.format(sessionLockTimeout));
            } catch (SQLException e) {
                throw connectionLost(e);
            }
        }
    }

    private Duration sessionLockTimeout = RetryPolicy.DEFAULT_LOCK_TIMEOUT;

    /** The retry policy in force: the step's, else the phase's, else the default (on, starting at the session's lock_timeout). */
    RetryPolicy policy(io.runbook.ast.Retry step, Phase phase) {
        io.runbook.ast.Retry written = step != null ? step : phase == null ? null : phase.retry();
        if (written != null && !written.enabled()) return RetryPolicy.off(sessionLockTimeout);
        java.util.function.BiFunction<String, Duration, Duration> dur = (name, dflt) -> {
            Expr e = written == null ? null : written.options().get(name);
            if (e == null) return dflt;
            Value v = guarded(() -> evaluator.eval(e, scope));
            if (v instanceof Value.Dur d) return d.value();
            throw new Failure(ExitCode.GUARD_FAILED, new Diagnostic(e.pos(), "retry option " + name + " must be a duration, got " + Value.quoted(v), "write e.g. 500ms or 5s"));
        };
        Duration lock = dur.apply("lock_timeout", sessionLockTimeout);
        int attempts = RetryPolicy.DEFAULT_ATTEMPTS;
        Expr a = written == null ? null : written.options().get("attempts");
        if (a != null) {
            Value v = guarded(() -> evaluator.eval(a, scope));
            if (!(v instanceof Value.Num n) || n.value().intValue() < 1) {
                throw new Failure(ExitCode.GUARD_FAILED, new Diagnostic(a.pos(), "retry attempts must be a whole number of at least 1", null));
            }
            attempts = n.value().intValue();
        }
        Duration maxLock = dur.apply("max_lock_timeout", lock.compareTo(RetryPolicy.DEFAULT_MAX_LOCK_TIMEOUT) > 0 ? lock : RetryPolicy.DEFAULT_MAX_LOCK_TIMEOUT);
        return new RetryPolicy(true, attempts, lock, maxLock, dur.apply("sleep", RetryPolicy.DEFAULT_SLEEP), dur.apply("max_sleep", RetryPolicy.DEFAULT_MAX_SLEEP));
    }

    /** After a lock timeout: say so, show who holds locks, and wait (Ctrl-C stops the wait). False when no attempt is left. */
    private boolean retryAfterLockTimeout(Failure f, RetryPolicy policy, int attempt, String what) {
        if (!"55P03".equals(f.sqlState()) || !policy.enabled() || attempt >= policy.attempts() || interrupted) return false;
        Duration wait = policy.sleepAfter(attempt);
        out.note("lock_timeout (" + io.runbook.ast.Durations.format(policy.lockTimeout(attempt)) + ") expired on attempt " + attempt + "/"
                + policy.attempts() + " of " + what + ": rolled back; retrying in " + io.runbook.ast.Durations.human(wait)
                + " with lock_timeout " + io.runbook.ast.Durations.format(policy.lockTimeout(attempt + 1)));
        for (String line : LockReport.lines(session.connection())) out.note("    " + line);
        pause(wait);
        return !interrupted;
    }

    /** Sleeps, waking early on Ctrl-C. */
    void pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (!interrupted) {
                long left = end - System.nanoTime();
                if (left <= 0) return;
                Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupted = true;
        }
    }

    boolean interrupted() { return interrupted; }

    /** The PG* variables an sh step gets, so pg_dump and psql reach the same database without a password on the command line. */
    public Interpreter withShellEnvironment(java.util.Map<String, String> env) {
        this.shellEnvironment = java.util.Map.copyOf(env);
        return this;
    }

    private java.util.Map<String, String> shellEnvironment = java.util.Map.of();

    private final SchemaSteps schemaSteps = new SchemaSteps(this);

    /** Runs one step (package use: a monitor's checks). */
    void stepIn(Step step, Phase phase, Scope scope, boolean autocommit) { step(step, phase, scope, autocommit); }

    void clearInterrupt() { interrupted = false; }

    /** Before each phase, with --show-locks: who holds or waits for locks now. */
    public Interpreter withLockReport(boolean on) {
        this.lockReport = on;
        return this;
    }

    private boolean lockReport;

    private void preflight() {
        List<Step> steps = program.runbook().preflight();
        if (steps.isEmpty()) return;
        long start = System.nanoTime();
        out.blockStarted(RunListener.Block.PREFLIGHT, null, 0, 0);
        block = RunListener.Block.PREFLIGHT;
        current = null;
        try {
            session.begin(true);
            steps(steps, null);
        } catch (SQLException e) {
            throw connectionLost(e);
        } finally {
            session.rollbackQuietly();
        }
        summary.add(new RunSummary.Line("preflight", PhaseState.PASSED, Duration.ofNanos(System.nanoTime() - start), "read-only, all checks passed"));
    }

    private void transactional(Phase phase) {
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        RetryPolicy policy = policy(null, phase);
        answered.clear();
        for (int attempt = 1; ; attempt++) {
            try {
                transactionalAttempt(phase, policy, attempt, startMillis);
                break;
            } catch (Failure | SQLException e) {
                session.rollbackQuietly();
                Failure f = e instanceof Failure x ? x : connectionLost((SQLException) e);
                if (retryAfterLockTimeout(f, policy, attempt, "phase \"" + phase.name() + "\"")) continue;
                finish(phase, PhaseState.ROLLED_BACK, start, "nothing of this phase was applied");
                throw f;
            }
        }
        finish(phase, PhaseState.COMMITTED, start, null);
    }

    private void transactionalAttempt(Phase phase, RetryPolicy policy, int attempt, long startMillis) throws SQLException {
        if (lockReport) for (String line : LockReport.lines(session.connection())) out.note("  lock: " + line);
        session.begin(false);
        if (policy.enabled()) session.setLocal("lock_timeout", io.runbook.ast.Durations.format(policy.lockTimeout(attempt)));
        {
            steps(phase.steps(), phase);
            if (!phase.verify().isEmpty()) {
                out.blockStarted(RunListener.Block.VERIFY, phase, 0, 0);
                steps(phase.verify(), phase);
            }
            checkInterrupt(phase);
            progress.applied(phase, session.connection(), Instant.ofEpochMilli(startMillis));
            session.commit();
        }
    }

    /** Confirmations answered yes in an earlier attempt of the same phase are not asked again. */
    private final java.util.Map<Step.Confirm, Prompter.Answer> answered = new java.util.HashMap<>();

    private final List<String> committedStatements = new ArrayList<>();

    private void autocommit(Phase phase) {
        long start = System.nanoTime();
        Instant started = Instant.now();
        committedStatements.clear();
        try {
            record(() -> progress.starting(phase, started));
            steps(phase.steps(), phase);
            if (!phase.verify().isEmpty()) {
                out.blockStarted(RunListener.Block.VERIFY, phase, 0, 0);
                steps(phase.verify(), phase);
            }
            record(() -> progress.applied(phase, null, started));
        } catch (Failure f) {
            session.rollbackQuietly();
            String detail = committedStatements.isEmpty() ? "no statement had committed"
                    : "already committed: " + String.join("; ", committedStatements);
            finish(phase, committedStatements.isEmpty() ? PhaseState.ROLLED_BACK : PhaseState.PARTIAL, start, detail);
            if (committedStatements.isEmpty()) throw f;
            throw new Failure(f.exitCode(), f.diagnostic().withDetail("this `no transaction` phase " + detail));
        }
        finish(phase, PhaseState.COMPLETED, start, null);
    }

    private void finish(Phase phase, PhaseState state, long start, String detail) {
        Duration d = Duration.ofNanos(System.nanoTime() - start);
        summary.add(new RunSummary.Line(phase.name(), state, d, detail));
        out.phaseFinished(phase, state, d, detail);
    }

    private boolean decideRollback(List<Phase> committed, OnFailure onFailure) {
        if (onFailure == OnFailure.ROLLBACK) return true;
        if (onFailure == OnFailure.ASK) {
            List<String> names = reversed(committed).stream().map(Phase::name).toList();
            Prompter.Answer a = prompter.confirm("Run the rollback blocks of " + String.join(", ", names) + " (in that order)?", null);
            out.confirmed(null, "roll back committed phases", a);
            if (a.yes()) return true;
        }
        out.note(committed.size() + " phase(s) committed earlier in this run stay applied; `runbook rollback` undoes them");
        return false;
    }

    private int undo(List<Phase> phases) {
        for (Phase phase : phases) {
            if (!phase.hasRollback()) {
                out.note("phase \"" + phase.name() + "\" has no rollback block: left as it is");
                continue;
            }
            out.blockStarted(RunListener.Block.ROLLBACK, phase, 0, 0);
            block = RunListener.Block.ROLLBACK;
            current = phase;
            long start = System.nanoTime();
            Scope rollbackScope = new Scope(scope);
            try {
                // A no-transaction phase's rollback may hold DROP INDEX CONCURRENTLY: same rules as the phase.
                if (phase.transactional()) session.begin(false);
                stepsIn(phase.rollback(), phase, rollbackScope, !phase.transactional());
                if (phase.transactional()) session.commit();
                progress.undone(phase, Instant.ofEpochMilli(System.currentTimeMillis() - (System.nanoTime() - start) / 1_000_000));
            } catch (Failure | SQLException e) {
                session.rollbackQuietly();
                Failure f = e instanceof Failure x ? x : connectionLost((SQLException) e);
                finish(phase, PhaseState.UNDO_FAILED, start, f.getMessage());
                out.note(f.diagnostic().render());
                return f.exitCode();
            }
            finish(phase, PhaseState.UNDONE, start, null);
        }
        return ExitCode.OK;
    }

    // ------------------------------------------------------------------ steps

    private void steps(List<Step> steps, Phase phase) {
        stepsIn(steps, phase, scope, phase != null && !phase.transactional());
    }

    private void stepsIn(List<Step> steps, Phase phase, Scope scope, boolean autocommit) {
        for (Step step : steps) {
            checkInterrupt(phase);
            try {
                step(step, phase, scope, autocommit);
            } catch (SqlFailure e) {
                throw sqlFailure(e);
            } catch (EvalException e) {
                throw new Failure(ExitCode.GUARD_FAILED, new Diagnostic(e.pos(), e.getMessage(), e.hint()));
            }
        }
    }

    private void step(Step step, Phase phase, Scope scope, boolean autocommit) {
        if (step instanceof Step.Sql s) {
            sql(s, scope, autocommit);
        } else if (step instanceof Step.Check c) {
            String label = evaluator.eval(c.label(), scope).display();
            for (Step inner : c.steps()) {
                if (inner instanceof Step.Expect e) {
                    Evaluator.Outcome o = evaluator.test(e.condition(), scope);
                    if (!o.passed()) {
                        out.guard(e.pos(), label, o);
                        throw guardFailed(e.pos(), "check \"" + label + "\" failed", o);
                    }
                } else {
                    step(inner, phase, scope, autocommit);
                }
            }
            out.guard(c.pos(), label, new Evaluator.Outcome(true, null, null));
        } else if (step instanceof Step.Expect e) {
            Evaluator.Outcome o = evaluator.test(e.condition(), scope);
            out.guard(e.pos(), "expect " + Describe.expr(e.condition()), o);
            if (!o.passed()) throw guardFailed(e.pos(), "expectation failed: " + Describe.expr(e.condition()), o);
        } else if (step instanceof Step.Let l) {
            Value v = evaluator.eval(l.value(), scope);
            scope.set(l.name(), v);
            out.let(l.pos(), l.name(), v);
        } else if (step instanceof Step.Confirm c) {
            String question = evaluator.eval(c.prompt(), scope).display();
            Prompter.Answer a = answered.containsKey(c) ? answered.get(c) : prompter.confirm(question, c.typing());
            if (a.yes()) answered.put(c, a);
            out.confirmed(c.pos(), question, a);
            if (!a.yes()) {
                throw new Failure(ExitCode.ABORTED, new Diagnostic(c.pos(), "the operator declined: " + question,
                        consequence() + "; re-run when ready"));
            }
        } else if (step instanceof Step.Echo e) {
            out.echo(e.pos(), evaluator.eval(e.message(), scope).display());
        } else if (step instanceof Step.Batch b) {
            new LongSteps(this).batch(b, scope);
        } else if (step instanceof Step.Monitor m) {
            new LongSteps(this).monitor(m, phase, scope, autocommit);
        } else if (step instanceof Step.Shell sh) {
            new LongSteps(this).shell(sh, scope, shellEnvironment);
        } else if (step instanceof Step.Snapshot s) {
            schemaSteps.snapshot(s);
        } else if (step instanceof Step.ExpectSchema e) {
            schemaSteps.expect(e);
        }
    }

    private void sql(Step.Sql s, Scope scope, boolean autocommit) {
        List<Located> statements = new ArrayList<>();
        String label;
        boolean ownTransaction = false;
        if (s.source() instanceof Step.Inline in) {
            for (SqlStatement st : SqlSplitter.split(in.sql().text()).statements()) statements.add(new Located(st, in.sql()));
            label = "sql $$ " + Describe.sql(in.sql().text()) + " $$";
        } else {
            Step.FileRef ref = (Step.FileRef) s.source();
            Program.SqlScript script = program.script(ref);
            SqlText origin = new SqlText(script.file().text(), script.file(), 0);
            for (SqlStatement st : script.statements()) statements.add(new Located(st, origin));
            label = "sql file " + ref.path();
            if (script.unwrapped()) {
                ownTransaction = autocommit;
                out.note(ref.path() + " wraps itself in BEGIN/COMMIT: " + (autocommit
                        ? "run as one transaction of its own" : "the phase's transaction takes their place"));
            }
        }
        StepResult r;
        if (ownTransaction) {
            try {
                session.begin(false);
                r = session.execute(statements, scope, false, null);
                session.commit();
            } catch (SQLException e) {
                throw connectionLost(e);
            }
            committedStatements.add(label);
        } else if (autocommit) {
            r = autocommitWithRetry(statements, scope, policy(s.retry(), current));
        } else {
            r = session.execute(statements, scope, false, null);
        }
        out.sqlDone(s.pos(), label, r);
        Scope guardScope = new Scope(scope);
        guardScope.set(Step.AFFECTED, Value.Num.of(r.affected()));
        guardScope.set(Step.DURATION, new Value.Dur(r.duration()));
        for (Expr g : s.guards()) {
            Evaluator.Outcome o = evaluator.test(g, guardScope);
            out.guard(g.pos(), "expect " + Describe.expr(g), o);
            if (!o.passed()) throw guardFailed(g.pos(), "expectation failed: " + Describe.expr(g) + " (" + label + ")", o);
        }
    }

    /** Statement by statement; a statement that times out waiting for a lock is tried again on the policy's schedule. */
    private StepResult autocommitWithRetry(List<Located> statements, Scope scope, RetryPolicy policy) {
        long affected = 0;
        long start = System.nanoTime();
        List<StepResult.ResultTable> tables = new ArrayList<>();
        for (Located l : statements) {
            for (int attempt = 1; ; attempt++) {
                try {
                    if (policy.enabled()) session.set("lock_timeout", io.runbook.ast.Durations.format(policy.lockTimeout(attempt)));
                    StepResult one = session.execute(List.of(l), scope, true, x -> committedStatements.add(describe(x)));
                    affected += one.affected();
                    tables.addAll(one.results());
                    break;
                } catch (SqlFailure e) {
                    Failure f = sqlFailure(e);
                    if (!retryAfterLockTimeout(f, policy, attempt, "statement at " + l.pos())) throw e;
                } catch (SQLException e) {
                    throw connectionLost(e);
                } finally {
                    if (policy.enabled()) resetLockTimeout();
                }
            }
        }
        return new StepResult(affected, statements.size(), Duration.ofNanos(System.nanoTime() - start), List.copyOf(tables));
    }

    private void resetLockTimeout() {
        try {
            session.set("lock_timeout", io.runbook.ast.Durations.format(sessionLockTimeout));
        } catch (SQLException ignored) {
            // the connection is gone; the failure that follows says so
        }
    }

    private static String describe(Located l) {
        return l.pos().file().name() + ":" + l.pos().line() + " " + Describe.sql(l.statement().text());
    }

    void checkInterrupt(Phase phase) {
        if (interrupted) {
            throw new Failure(ExitCode.ABORTED, new Diagnostic(phase == null ? null : phase.pos(), "interrupted by Ctrl-C",
                    TRANSACTION_ROLLED_BACK));
        }
    }

    Failure sqlFailure(SqlFailure e) {
        Diagnostic d = e.diagnostic().withDetail(consequence());
        if (e.cancelled() && interrupted) return new Failure(ExitCode.ABORTED, d, e.sqlState());
        return new Failure(e.connectionLost() ? ExitCode.CONNECTION : ExitCode.SQL_ERROR, d, e.sqlState());
    }

    static Failure connectionLost(SQLException e) {
        return new Failure(ExitCode.CONNECTION, new Diagnostic(null, "database connection failed: " + e.getMessage(),
                "the server rolled back the open transaction; check the server and re-run"));
    }

    Failure guardFailed(io.runbook.source.Pos pos, String message, Evaluator.Outcome o) {
        return new Failure(ExitCode.GUARD_FAILED, new Diagnostic(pos, message,
                List.of("expected: " + o.expected(), "actual:   " + o.actual()), consequence() + "; fix the data or the expectation, then re-run"));
    }

    public static final String PREFLIGHT_UNCHANGED = "preflight is read-only: nothing was changed";
    public static final String ROLLBACK_ROLLED_BACK = "this rollback block was rolled back; `runbook rollback` runs it again";
    public static final String PARTLY_COMMITTED = "statements of this `no transaction` phase that ran before stay committed";
    public static final String PHASE_ROLLED_BACK = "the phase was rolled back: nothing of it was applied";
    public static final String TRANSACTION_ROLLED_BACK = "the open transaction was rolled back";
    /** What `runbook run` says a failure left behind; a stepping client that owns the transaction says otherwise. */
    public static final List<String> RUN_CONSEQUENCES = List.of(PREFLIGHT_UNCHANGED, PHASE_ROLLED_BACK, PARTLY_COMMITTED,
            ROLLBACK_ROLLED_BACK, TRANSACTION_ROLLED_BACK);

    /** What a failure in the block now running leaves behind, for hints. */
    private String consequence() {
        return switch (block) {
            case PREFLIGHT -> PREFLIGHT_UNCHANGED;
            case ROLLBACK -> ROLLBACK_ROLLED_BACK;
            default -> current != null && !current.transactional() ? PARTLY_COMMITTED : PHASE_ROLLED_BACK;
        };
    }

    Value guarded(java.util.function.Supplier<Value> f) {
        try {
            return f.get();
        } catch (SqlFailure e) {
            throw sqlFailure(e);
        } catch (EvalException e) {
            throw new Failure(ExitCode.GUARD_FAILED, new Diagnostic(e.pos(), e.getMessage(), e.hint()));
        }
    }

    private interface JournalWrite {
        void run() throws SQLException;
    }

    /** A journal write outside a transaction; losing the journal's connection stops the run like losing the database. */
    private static void record(JournalWrite w) {
        try {
            w.run();
        } catch (SQLException e) {
            throw new Failure(ExitCode.CONNECTION, new Diagnostic(null, "cannot write the journal: " + e.getMessage(),
                    "check the connection to the database; the run stopped so that nothing runs unrecorded"));
        }
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }
}
