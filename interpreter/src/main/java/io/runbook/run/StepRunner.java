package io.runbook.run;

import io.runbook.ast.Durations;
import io.runbook.ast.Expr;
import io.runbook.ast.Phase;
import io.runbook.ast.Retry;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.eval.Describe;
import io.runbook.eval.EvalException;
import io.runbook.eval.Evaluator;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.Pos;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** Runs one step of any kind, for the engine: the engine decides transactions, this does the step's own work. */
final class StepRunner {
    final Engine engine;
    private final LongSteps longSteps;
    private final KeysetBatch keysetBatch = new KeysetBatch(this);
    private final SchemaSteps schemaSteps;
    private final IndexBuilds indexes = new IndexBuilds(this);

    StepRunner(Engine engine) {
        this.engine = engine;
        this.longSteps = new LongSteps(this);
        this.schemaSteps = new SchemaSteps(this);
    }

    Session session() {
        return engine.session;
    }

    Evaluator evaluator() {
        return engine.evaluator;
    }

    void emit(RunEvent e) {
        engine.emit(e);
    }

    /** Runs the step; every failure comes out as a Failure. autocommit: each statement commits on its own. */
    void run(Step step, Phase phase, Scope scope, boolean autocommit) {
        try {
            one(step, phase, scope, autocommit);
        } catch (SqlFailure e) {
            throw sqlFailure(e);
        } catch (EvalException e) {
            throw new Failure(ExitCode.GUARD_FAILED, new Diagnostic(e.pos(), e.getMessage(), e.hint()));
        }
    }

    private void one(Step step, Phase phase, Scope scope, boolean autocommit) {
        if (step instanceof Step.Sql s) {
            sql(s, phase, scope, autocommit);
        } else if (step instanceof Step.Check c) {
            String label = engine.evaluator.eval(c.label(), scope).display();
            java.util.List<String> expected = new java.util.ArrayList<>(); // a passed check shows what it saw too
            java.util.List<String> actual = new java.util.ArrayList<>();
            for (Step inner : c.steps()) {
                if (inner instanceof Step.Expect e) {
                    Evaluator.Outcome o = engine.evaluator.test(e.condition(), scope);
                    if (!o.passed()) {
                        emit(new RunEvent.GuardChecked(e.pos(), label, o));
                        throw guardFailed(e.pos(), "check \"" + label + "\" failed", o);
                    }
                    expected.add(o.expected());
                    actual.add(o.actual());
                } else {
                    one(inner, phase, scope, autocommit);
                }
            }
            emit(new RunEvent.GuardChecked(
                    c.pos(),
                    label,
                    new Evaluator.Outcome(
                            true,
                            expected.isEmpty() ? null : String.join("; ", expected),
                            actual.isEmpty() ? null : String.join("; ", actual))));
        } else if (step instanceof Step.Expect e) {
            Evaluator.Outcome o = engine.evaluator.test(e.condition(), scope);
            emit(new RunEvent.GuardChecked(e.pos(), "expect " + Describe.expr(e.condition()), o));
            if (!o.passed()) throw guardFailed(e.pos(), "expectation failed: " + Describe.expr(e.condition()), o);
        } else if (step instanceof Step.Let l) {
            Value v = engine.evaluator.eval(l.value(), scope);
            scope.set(l.name(), v);
            engine.redactor.let(l.name(), l.value(), v);
            emit(new RunEvent.LetBound(l.pos(), l.name(), v));
        } else if (step instanceof Step.Confirm c) {
            confirm(c, scope);
        } else if (step instanceof Step.Echo e) {
            emit(new RunEvent.Echoed(
                    e.pos(), engine.evaluator.eval(e.message(), scope).display()));
        } else if (step instanceof Step.Batch b && b.keyset()) {
            keysetBatch.run(b, phase, scope);
        } else if (step instanceof Step.Batch b) {
            longSteps.batch(b, scope);
        } else if (step instanceof Step.Monitor m) {
            longSteps.monitor(m, phase, scope, autocommit);
        } else if (step instanceof Step.Shell sh) {
            longSteps.shell(sh, scope, engine.shellEnvironment);
        } else if (step instanceof Step.Snapshot s) {
            schemaSteps.snapshot(s);
        } else if (step instanceof Step.ExpectSchema e) {
            schemaSteps.expect(e);
        }
    }

    private void confirm(Step.Confirm c, Scope scope) {
        String question = engine.evaluator.eval(c.prompt(), scope).display();
        Prompter.Answer a = engine.answered.get(c);
        if (a == null) {
            a = engine.policy.confirmedBy() != null
                    ? new Prompter.Answer(true, engine.policy.confirmedBy())
                    : engine.prompter.confirm(
                            engine.redactor.text(question), c.typing()); // the terminal is an output too
        }
        if (a.yes()) engine.answered.put(c, a);
        emit(new RunEvent.Confirmed(c.pos(), question, a));
        if (!a.yes())
            throw new Failure(
                    ExitCode.ABORTED,
                    new Diagnostic(c.pos(), "the operator declined: " + question, "go on when ready"));
    }

    private void sql(Step.Sql s, Phase phase, Scope scope, boolean autocommit) {
        List<Located> statements = new ArrayList<>();
        String label;
        boolean ownTransaction = false;
        Program.SqlScript script = null;
        if (s.source() instanceof Step.Inline in) {
            for (var st : engine.program.statements(in.sql())) statements.add(new Located(st, in.sql()));
            label = "sql $$ " + Describe.sql(in.sql().text()) + " $$";
        } else {
            Step.FileRef ref = (Step.FileRef) s.source();
            script = engine.program.script(ref); // streamed by ScriptRunner, never held whole
            label = "sql file " + ref.path();
            if (script.unwrapped()) {
                ownTransaction = autocommit;
                emit(new RunEvent.Note(ref.path() + " wraps itself in BEGIN/COMMIT: "
                        + (autocommit
                                ? "run as one transaction of its own"
                                : "the phase's transaction takes their place")));
            }
        }
        StepResult r;
        DurationGuard limit = DurationGuard.start(s.guards(), this, scope);
        try {
            r = statements(statements, script, scope, label, ownTransaction, autocommit, s.retry(), phase);
        } catch (SqlFailure e) {
            if (e.cancelled() && limit.fired()) throw limit.failure(e, label, this);
            throw e;
        } finally {
            limit.close();
        }
        emit(new RunEvent.SqlDone(s.pos(), label, r));
        Scope guardScope = new Scope(scope);
        guardScope.set(Step.AFFECTED, Value.Num.of(r.affected()));
        guardScope.set(Step.DURATION, new Value.Dur(r.duration()));
        for (Expr g : s.guards()) {
            Evaluator.Outcome o = engine.evaluator.test(g, guardScope);
            emit(new RunEvent.GuardChecked(g.pos(), "expect " + Describe.expr(g), o));
            if (!o.passed())
                throw guardFailed(g.pos(), "expectation failed: " + Describe.expr(g) + " (" + label + ")", o);
        }
    }

    /** The step's statements: in a transaction of their own (a file that wraps itself), one by one in autocommit, or in the phase's. */
    private StepResult statements(
            List<Located> statements,
            Program.SqlScript script,
            Scope scope,
            String label,
            boolean ownTransaction,
            boolean autocommit,
            Retry retry,
            Phase phase) {
        if (ownTransaction) {
            StepResult r;
            try {
                session().begin(false);
                r = script != null ? files(scope, null).run(script) : session().execute(statements, scope, false, null);
                session().commit();
            } catch (SQLException e) {
                throw Engine.lost(e);
            }
            engine.committed.add(label);
            return r;
        }
        if (autocommit) {
            RetryPolicy policy = retryPolicy(retry, phase);
            return script != null
                    ? files(scope, l -> autocommitWithRetry(List.of(l), scope, policy))
                            .run(script)
                    : autocommitWithRetry(statements, scope, policy);
        }
        return script != null ? files(scope, null).run(script) : session().execute(statements, scope, false, null);
    }

    private ScriptRunner files(Scope scope, java.util.function.Function<Located, StepResult> oneAtATime) {
        return new ScriptRunner(session(), scope, (pos, text) -> emit(new RunEvent.Echoed(pos, text)), oneAtATime);
    }

    /** Statement by statement; a statement that times out waiting for a lock is tried again on the policy's schedule. */
    private StepResult autocommitWithRetry(Iterable<Located> statements, Scope scope, RetryPolicy policy) {
        long affected = 0;
        long start = System.nanoTime();
        List<StepResult.ResultTable> tables = new ArrayList<>();
        int count = 0;
        for (Located l : statements) {
            count++;
            IndexBuilds.Build build = IndexBuilds.of(l.statement());
            for (int attempt = 1; ; attempt++) {
                try {
                    if (policy.enabled()) session().set("lock_timeout", Durations.format(policy.lockTimeout(attempt)));
                    if (build != null) indexes.clear(build, l, false);
                    StepResult one = session().execute(List.of(l), scope, true, x -> engine.committed.add(describe(x)));
                    if (build != null) indexes.requireValid(build, l);
                    affected += one.affected();
                    tables.addAll(one.results());
                    break;
                } catch (SqlFailure e) {
                    if (build != null && !e.connectionLost()) indexes.clear(build, l, true);
                    Failure f = sqlFailure(e);
                    if (!engine.policy.retryLocks()
                            || !retryable(f, policy, attempt)
                            || !retry(policy, attempt, "statement at " + l.pos())) throw e;
                } catch (SQLException e) {
                    throw Engine.lost(e);
                } finally {
                    if (policy.enabled()) resetLockTimeout();
                }
            }
        }
        return new StepResult(affected, count, Duration.ofNanos(System.nanoTime() - start), List.copyOf(tables));
    }

    private void resetLockTimeout() {
        try {
            session().set("lock_timeout", Durations.format(engine.sessionLockTimeout));
        } catch (SQLException ignored) {
            // the connection is gone; the failure that follows says so
        }
    }

    private static String describe(Located l) {
        return l.pos().file().name() + ":" + l.pos().line() + " "
                + Describe.sql(l.statement().text());
    }

    // ------------------------------------------------------------------ lock retries

    /** The retry policy in force: the step's, else the phase's, else the default (on, starting at the session's lock_timeout). */
    RetryPolicy retryPolicy(Retry step, Phase phase) {
        Retry written = step != null ? step : phase == null ? null : phase.retry();
        Duration sessionLock = engine.sessionLockTimeout;
        if (written != null && !written.enabled()) return RetryPolicy.off(sessionLock);
        BiFunction<String, Duration, Duration> dur = (name, dflt) -> {
            Expr e = written == null ? null : written.options().get(name);
            if (e == null) return dflt;
            Value v = guarded(() -> engine.evaluator.eval(e, engine.scope));
            if (v instanceof Value.Dur d) return d.value();
            throw new Failure(
                    ExitCode.GUARD_FAILED,
                    new Diagnostic(
                            e.pos(),
                            "retry option " + name + " must be a duration, got " + Value.quoted(v),
                            "write e.g. 500ms or 5s"));
        };
        Duration lock = dur.apply("lock_timeout", sessionLock);
        int attempts = RetryPolicy.DEFAULT_ATTEMPTS;
        Expr a = written == null ? null : written.options().get("attempts");
        if (a != null) {
            Value v = guarded(() -> engine.evaluator.eval(a, engine.scope));
            if (!(v instanceof Value.Num n) || n.value().intValue() < 1) {
                throw new Failure(
                        ExitCode.GUARD_FAILED,
                        new Diagnostic(a.pos(), "retry attempts must be a whole number of at least 1", null));
            }
            attempts = n.value().intValue();
        }
        // No escalation unless asked: a longer lock_timeout is a longer stall for every reader queued behind the
        // statement.
        Duration maxLock = dur.apply("max_lock_timeout", lock);
        return new RetryPolicy(
                true,
                attempts,
                lock,
                maxLock,
                dur.apply("sleep", RetryPolicy.DEFAULT_SLEEP),
                dur.apply("max_sleep", RetryPolicy.DEFAULT_MAX_SLEEP));
    }

    /** A lock timeout with an attempt left, and no Ctrl-C. */
    boolean retryable(Failure f, RetryPolicy policy, int attempt) {
        return "55P03".equals(f.sqlState()) && policy.enabled() && attempt < policy.attempts() && !engine.interrupted();
    }

    /** Reports the retry with who holds locks, and waits (Ctrl-C stops the wait). False when interrupted meanwhile. */
    boolean retry(RetryPolicy policy, int attempt, String what) {
        return retry(policy, attempt, what, session());
    }

    /** The same, for a statement that waited on `on` (a parallel batch's own session): who holds locks, seen from it. */
    boolean retry(RetryPolicy policy, int attempt, String what, Session on) {
        Duration wait = policy.sleepAfter(attempt);
        emit(new RunEvent.LockRetry(
                what,
                attempt,
                policy.attempts(),
                policy.lockTimeout(attempt),
                wait,
                policy.lockTimeout(attempt + 1),
                LockReport.lines(on.connection())));
        engine.pause(wait);
        return !engine.interrupted();
    }

    // ------------------------------------------------------------------ failures

    Failure sqlFailure(SqlFailure e) {
        if (e.cancelled() && engine.interrupted())
            return new Failure(
                    ExitCode.ABORTED,
                    new Diagnostic(
                            e.diagnostic().pos(),
                            "interrupted by " + engine.interruptedBy()
                                    + " during this statement (cancelled on the server)",
                            null),
                    e.sqlState());
        return new Failure(e.connectionLost() ? ExitCode.CONNECTION : ExitCode.SQL_ERROR, e.diagnostic(), e.sqlState());
    }

    Failure guardFailed(Pos pos, String message, Evaluator.Outcome o) {
        return new Failure(
                ExitCode.GUARD_FAILED,
                new Diagnostic(
                        pos,
                        message,
                        List.of("expected: " + o.expected(), "actual:   " + o.actual()),
                        "fix the data or the expectation"));
    }

    Value guarded(Supplier<Value> f) {
        try {
            return f.get();
        } catch (SqlFailure e) {
            throw sqlFailure(e);
        } catch (EvalException e) {
            throw new Failure(ExitCode.GUARD_FAILED, new Diagnostic(e.pos(), e.getMessage(), e.hint()));
        }
    }

    void pause(Duration d) {
        engine.pause(d);
    }

    boolean interrupted() {
        return engine.interrupted();
    }

    void clearInterrupt() {
        engine.clearInterrupt();
    }

    LongSteps longSteps() {
        return longSteps;
    }

    Progress progress() {
        return engine.progress;
    }
}
