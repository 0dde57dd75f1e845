package io.runbook.run;

import io.runbook.ast.Expr;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.eval.Describe;
import io.runbook.eval.Evaluator;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * `expect duration < X` (or `<= X`, `between A and X`) on a sql step is a limit, not a verdict after the
 * fact: at X the running statement is cancelled on the server, the step fails, and its phase rolls back.
 * The limit covers the whole step (every statement of a `sql file`, and lock retries with their waits).
 */
final class DurationGuard implements AutoCloseable {
    /** After the limit, the cancel is repeated this often, so a statement starting between two cancels is caught too. */
    private static final long REPEAT_MILLIS = 100;

    private final Expr guard;
    private final Duration limit;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;
    private volatile boolean fired;

    private DurationGuard(Expr guard, Duration limit, Session session) {
        this.guard = guard;
        this.limit = limit;
        if (limit == null) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runbook duration limit");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(
                () -> {
                    fired = true;
                    session.cancel();
                },
                limit.toMillis(),
                REPEAT_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Starts the clock for a step with these guards; a guard without an upper bound on duration sets none. */
    static DurationGuard start(List<Expr> guards, StepRunner steps, io.runbook.eval.Scope scope) {
        Expr tightest = null;
        Duration limit = null;
        for (Expr g : guards) {
            Expr bound = upperBound(g);
            if (bound == null) continue;
            Duration d;
            try {
                Value v = steps.evaluator().eval(bound, scope);
                d = v instanceof Value.Dur dur ? dur.value() : null;
            } catch (RuntimeException e) {
                d = null; // the guard itself reports the problem after the step
            }
            if (d != null && (limit == null || d.compareTo(limit) < 0)) {
                limit = d;
                tightest = g;
            }
        }
        return new DurationGuard(tightest, limit, steps.session());
    }

    /** The expression bounding `duration` from above in this guard, or null. */
    private static Expr upperBound(Expr g) {
        if (g instanceof Expr.Binary b) {
            if (b.op() == Expr.BinaryOp.AND) {
                Expr l = upperBound(b.left());
                return l != null ? l : upperBound(b.right());
            }
            if ((b.op() == Expr.BinaryOp.LT || b.op() == Expr.BinaryOp.LE) && isDuration(b.left())) return b.right();
            if ((b.op() == Expr.BinaryOp.GT || b.op() == Expr.BinaryOp.GE) && isDuration(b.right())) return b.left();
        }
        if (g instanceof Expr.Between b && isDuration(b.value())) return b.high();
        return null;
    }

    private static boolean isDuration(Expr e) {
        return e instanceof Expr.Variable v && v.name().equals(Step.DURATION);
    }

    /** Whether the limit was reached (and the statement cancelled). */
    boolean fired() {
        return fired;
    }

    /** The failure of a step cancelled at its limit. */
    Failure failure(SqlFailure cancelled, String label, StepRunner steps) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        String expected = Describe.expr(guard);
        String actual = "still running at " + seconds(limit) + ", cancelled on the server after " + seconds(took);
        steps.emit(new RunEvent.GuardChecked(
                guard.pos(), "expect " + expected, new Evaluator.Outcome(false, expected, actual)));
        return new Failure(
                ExitCode.GUARD_FAILED,
                new Diagnostic(
                        guard.pos(),
                        "expectation failed: " + expected + " (" + label + "): cancelled at the limit",
                        List.of("expected: " + expected, "actual:   " + actual),
                        "the statement was cancelled on the server; make it faster, or raise the limit"),
                cancelled.sqlState());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2fs", d.toNanos() / 1e9);
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }
}
