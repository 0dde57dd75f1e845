package io.runbook.run;

import io.runbook.ast.Durations;
import io.runbook.ast.Expr;
import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.eval.Scope;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Steps that take a while: batched backfills, monitoring windows, shell commands. */
final class LongSteps {
    private final StepRunner in;

    LongSteps(StepRunner in) {
        this.in = in;
    }

    // ------------------------------------------------------------------ batch

    /** Each batch in a short transaction of its own, until the condition on its affected rows holds. */
    void batch(Step.Batch b, Scope scope) {
        Duration pause = b.pause() == null ? Duration.ZERO : duration(b.pause(), scope, "pause");
        long max = b.maxBatches() == null ? 10_000 : number(b.maxBatches(), scope, "max batches");
        Located statement = new Located(in.engine.program.statements(b.sql()).get(0), b.sql());
        int entry = -1;
        long start = System.nanoTime();
        long rows = 0;
        for (long n = 1; ; n++) {
            StepResult r;
            long began = System.nanoTime();
            try {
                in.session().begin(false);
                r = in.session().execute(List.of(statement), scope, false, null);
                in.session().commit();
            } catch (SqlFailure e) {
                in.session().rollbackQuietly();
                throw in.sqlFailure(e);
            } catch (SQLException e) {
                throw Engine.lost(e);
            }
            rows += r.affected();
            // What a failure later leaves behind: the batches so far are committed, and a re-run continues from there.
            String done =
                    b.pos().file().name() + ":" + b.pos().line() + " batch: batches 1 to " + n + " (" + rows + " rows)";
            entry = in.engine.committedSoFar(entry, done);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            in.emit(new RunEvent.BatchProgress(
                    b.pos(), n, r.affected(), rows, elapsed, Duration.ofNanos(System.nanoTime() - began)));
            Scope s = new Scope(scope);
            s.set(Step.AFFECTED, Value.Num.of(r.affected()));
            if (in.evaluator().test(b.until(), s).passed()) {
                in.emit(new RunEvent.BatchDone(b.pos(), n, rows, elapsed));
                return;
            }
            if (n >= max) {
                throw new Failure(
                        ExitCode.GUARD_FAILED,
                        new Diagnostic(
                                b.pos(),
                                "batch did not finish within " + max + " batches (" + rows + " rows)",
                                List.of("the batches so far are committed"),
                                "raise `max N batches`, or check the until condition"));
            }
            if (in.interrupted()) {
                throw new Failure(
                        ExitCode.ABORTED,
                        new Diagnostic(
                                b.pos(),
                                "stopped by Ctrl-C after " + n + " batches (" + rows + " rows)",
                                "the batches so far are committed; re-run with --rerun to continue"));
            }
            in.pause(pause);
        }
    }

    // ------------------------------------------------------------------ monitor

    /** Rounds of checks every `every` for `duration`; fails after more than `tolerate` failed rounds in a row. Ctrl-C ends it early. */
    void monitor(Step.Monitor m, Phase phase, Scope scope, boolean autocommit) {
        String label = in.evaluator().eval(m.label(), scope).display();
        Duration every = duration(m.every(), scope, "every");
        Duration window = duration(m.duration(), scope, "for");
        long tolerate = m.tolerate() == null ? 0 : number(m.tolerate(), scope, "tolerate");
        long rounds = Math.max(1, window.toMillis() / Math.max(1, every.toMillis()));
        long consecutive = 0;
        long next = System.nanoTime();
        for (long round = 1; round <= rounds; round++) {
            Failure failed = null;
            try {
                for (Step s : m.steps()) in.run(s, phase, scope, autocommit);
            } catch (Failure f) {
                if (f.exitCode() != ExitCode.GUARD_FAILED) throw f;
                failed = f;
            }
            consecutive = failed == null ? 0 : consecutive + 1;
            in.emit(new RunEvent.MonitorRound(
                    m.pos(), label, round, rounds, failed == null ? null : failed.getMessage()));
            if (consecutive > tolerate) {
                throw new Failure(
                        ExitCode.GUARD_FAILED,
                        failed.diagnostic()
                                .withDetail("monitor \"" + label + "\": " + consecutive
                                        + " failed round(s) in a row (tolerate " + tolerate + "), at round " + round
                                        + "/" + rounds));
            }
            if (round == rounds) break;
            next += every.toNanos();
            in.pause(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
            if (in.interrupted()) {
                in.clearInterrupt();
                in.emit(new RunEvent.MonitorEnded(m.pos(), label, round, rounds));
                return;
            }
        }
    }

    // ------------------------------------------------------------------ sh

    /** Runs the command with /bin/sh, streaming its output; its exit code is guarded (default: 0). */
    void shell(Step.Shell sh, Scope scope, Map<String, String> env) {
        Duration timeout = sh.timeout() == null ? Duration.ofHours(1) : duration(sh.timeout(), scope, "timeout");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", sh.command().text()).redirectErrorStream(true);
        pb.environment().putAll(env);
        long start = System.nanoTime();
        int exit;
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            Thread pump = new Thread(
                    () -> {
                        try (BufferedReader r =
                                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line; (line = r.readLine()) != null; )
                                in.emit(new RunEvent.ShellOutput(sh.pos(), line));
                        } catch (IOException ignored) {
                            // the process ended; its exit code tells the rest
                        }
                    },
                    "sh-output");
            pump.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                if (in.interrupted() || System.nanoTime() > deadline) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor();
                    pump.join(1000);
                    boolean timedOut = !in.interrupted();
                    throw new Failure(
                            timedOut ? ExitCode.GUARD_FAILED : ExitCode.ABORTED,
                            new Diagnostic(
                                    sh.pos(),
                                    timedOut
                                            ? "sh step did not finish within " + Durations.human(timeout) + ": killed"
                                            : "sh step stopped by Ctrl-C",
                                    timedOut ? "raise `timeout`, or look at what the command waits for" : null));
                }
            }
            pump.join(5000);
            exit = p.exitValue();
        } catch (IOException e) {
            throw new Failure(
                    ExitCode.GUARD_FAILED, new Diagnostic(sh.pos(), "cannot start /bin/sh: " + e.getMessage(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(ExitCode.ABORTED, new Diagnostic(sh.pos(), "interrupted", null));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Expr guard = sh.exitGuard() != null
                ? sh.exitGuard()
                : new Expr.Binary(
                        sh.pos(),
                        Expr.BinaryOp.EQ,
                        new Expr.Variable(sh.pos(), Step.EXIT),
                        new Expr.Literal(sh.pos(), Value.Num.of(0)));
        Scope s = new Scope(scope);
        s.set(Step.EXIT, Value.Num.of(exit));
        String command = sh.command().text().strip();
        Evaluator.Outcome o;
        try {
            o = in.evaluator().test(guard, s);
        } catch (RuntimeException x) {
            in.emit(new RunEvent.ShellDone(sh.pos(), command, exit, took, false));
            throw x;
        }
        in.emit(new RunEvent.ShellDone(sh.pos(), command, exit, took, o.passed()));
        in.emit(new RunEvent.GuardChecked(guard.pos(), "expect " + io.runbook.eval.Describe.expr(guard), o));
        if (!o.passed())
            throw in.guardFailed(guard.pos(), "sh step failed: expect " + io.runbook.eval.Describe.expr(guard), o);
    }

    // ------------------------------------------------------------------ values

    Duration duration(Expr e, Scope scope, String what) {
        Value v = in.guarded(() -> in.evaluator().eval(e, scope));
        if (v instanceof Value.Dur d && !d.value().isNegative()) return d.value();
        throw new Failure(
                ExitCode.GUARD_FAILED,
                new Diagnostic(
                        e.pos(),
                        what + " must be a duration, got " + Value.quoted(v),
                        "write e.g. 50ms, 30s or 15min"));
    }

    long number(Expr e, Scope scope, String what) {
        Value v = in.guarded(() -> in.evaluator().eval(e, scope));
        if (v instanceof Value.Num n && n.value().signum() >= 0)
            return n.value().longValue();
        throw new Failure(
                ExitCode.GUARD_FAILED,
                new Diagnostic(e.pos(), what + " must be a whole number, got " + Value.quoted(v), null));
    }
}
