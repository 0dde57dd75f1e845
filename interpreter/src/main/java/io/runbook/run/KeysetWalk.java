package io.runbook.run;

import io.runbook.ast.Durations;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.eval.Scope;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ranges of one keyset batch, walked on one session or on several at once (`parallel N`): each session takes
 * the next range from the shared {@link KeySpace}, runs it in a transaction of its own with its journal row, and
 * takes another, until the keys are walked, a range fails or Ctrl-C. A failure stops the others after the range
 * each has under way (those commit: their work is sound); Ctrl-C cancels them on the server. Events, the journal
 * rows and the phase's list of what committed are written one at a time, under the engine's monitor.
 */
final class KeysetWalk {
    /** What a batch walks: the statement, its key (quoted for SQL) and how it sizes and spaces its ranges. */
    record Plan(
            Step.Batch batch,
            Located statement,
            Scope scope,
            String table,
            String column,
            String label,
            long size,
            boolean auto,
            Duration pause,
            RetryPolicy policy) {}

    private final StepRunner in;
    private final Plan plan;
    private final KeySpace keys;
    private final BigInteger end;
    private final long start = System.nanoTime();
    /** Under the engine's monitor: ranges and rows this run, and the batch's line in the phase's committed list. */
    private long n;

    private long rows;
    private int entry = -1;
    /** The first failure of any session: the others stop after their range. */
    private volatile RuntimeException failure;

    KeysetWalk(StepRunner in, Plan plan, KeySpace keys, BigInteger end) {
        this.in = in;
        this.plan = plan;
        this.keys = keys;
        this.end = end;
    }

    /** Walks the keys on these sessions (the first is the run's own, walked on this thread), then reports. */
    void run(List<Session> sessions) {
        if (sessions.size() == 1) work(sessions.get(0));
        else {
            ExecutorService pool = Executors.newFixedThreadPool(sessions.size() - 1, r -> {
                Thread t = new Thread(r, "runbook batch range");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> others = new ArrayList<>();
                for (Session s : sessions.subList(1, sessions.size())) others.add(pool.submit(() -> work(s)));
                work(sessions.get(0));
                for (Future<?> f : others) await(f);
            } finally {
                pool.shutdown();
            }
        }
        if (failure != null) throw failure;
        Step.Batch b = plan.batch();
        if (in.interrupted()) {
            BigInteger below = keys.firstUndone();
            throw new Failure(
                    ExitCode.ABORTED,
                    new Diagnostic(
                            b.pos(),
                            "stopped by " + in.engine.interruptedBy() + " after " + n + " batches (" + rows
                                    + " rows), below " + b.over().key() + " " + below + above(),
                            "the ranges so far are committed and journaled; re-run with --rerun to go on from "
                                    + b.over().key() + " " + below));
        }
        in.emit(new RunEvent.BatchDone(b.pos(), n, rows, Duration.ofNanos(System.nanoTime() - start)));
    }

    /** A session's share of the walk: ranges until none is left, one fails, or Ctrl-C. */
    private void work(Session s) {
        long size = plan.size();
        try {
            while (!stopping()) {
                BigInteger[] r = keys.take(size);
                if (r == null) return;
                Instant started = Instant.now();
                long t0 = System.nanoTime();
                long affected = range(s, r[0], r[1], started);
                // a range in a gap says nothing of how long rows take
                if (plan.auto() && affected > 0) size = RangeSize.next(size, System.nanoTime() - t0);
                committed(r[0], r[1], affected);
                // A range that touched nothing may sit in a gap: one index probe finds where the keys go on.
                if (affected == 0 && r[1].compareTo(end) < 0) keys.empty(r[1], next(s, r[1]));
                if (!stopping() && keys.more()) in.pause(plan.pause());
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                if (failure == null) failure = e;
            }
        }
    }

    private boolean stopping() {
        return failure != null || in.interrupted();
    }

    /** One range in its own transaction with its journal row; a lock timeout is tried again on the retry policy. */
    private long range(Session s, BigInteger from, BigInteger to, Instant started) {
        Scope sc = new Scope(plan.scope());
        sc.set(Step.Keyset.FROM, new Value.Num(new BigDecimal(from)));
        sc.set(Step.Keyset.TO, new Value.Num(new BigDecimal(to)));
        String what = plan.label() + " [" + from + ", " + to + ")";
        RetryPolicy policy = plan.policy();
        for (int attempt = 1; ; attempt++) {
            try {
                s.begin(false);
                if (policy.enabled()) s.setLocal("lock_timeout", Durations.format(policy.lockTimeout(attempt)));
                StepResult r = s.execute(List.of(plan.statement()), sc, false, null);
                try {
                    synchronized (in.engine) {
                        in.progress().rangeCommitting(s.connection(), what, to.toString(), r.affected(), started);
                    }
                } catch (SQLException e) {
                    s.rollbackQuietly();
                    throw Engine.journalLost(e);
                }
                s.commit();
                return r.affected();
            } catch (SqlFailure e) {
                s.rollbackQuietly();
                Failure f = in.sqlFailure(e);
                if (!in.engine.policy.retryLocks()
                        || !in.retryable(f, policy, attempt)
                        || !in.retry(policy, attempt, what, s)) throw f;
            } catch (SQLException e) {
                s.rollbackQuietly();
                throw Engine.lost(e);
            }
        }
    }

    /** The range committed: counted, listed as committed in the phase, and shown with the share done and time left. */
    private void committed(BigInteger from, BigInteger to, long affected) {
        synchronized (in.engine) {
            keys.finished(from, to);
            n++;
            rows += affected;
            Step.Batch b = plan.batch();
            String done = b.pos().file().name() + ":" + b.pos().line() + " " + plan.label() + ": keys below "
                    + keys.firstUndone() + above() + " (" + rows + " rows in " + n + " batches)";
            entry = in.engine.committedSoFar(entry, done);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            double walked = keys.walked().doubleValue();
            Duration eta = walked <= 0
                    ? null
                    : Duration.ofMillis((long) (elapsed.toMillis() * keys.left().doubleValue() / walked));
            in.emit(new RunEvent.RangeDone(
                    b.pos(),
                    n,
                    b.over().key(),
                    from.toString(),
                    to.toString(),
                    affected,
                    rows,
                    keys.share(),
                    elapsed,
                    eta));
        }
    }

    /** Ranges that committed ahead of a lower one still under way (or failed), in words; "" when none did. */
    private String above() {
        int k = keys.doneAbove();
        return k == 0 ? "" : " and " + k + (k == 1 ? " stretch" : " stretches") + " of keys above it";
    }

    /** The first key at or after `at`, or `end` when there is none. */
    private BigInteger next(Session s, BigInteger at) {
        String sql = "select min(" + plan.column() + ")::text from " + plan.table() + " where " + plan.column() + " >= "
                + at;
        try (Statement st = s.connection().createStatement()) {
            s.running(st);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                String v = rs.getString(1);
                return v == null ? end : new BigInteger(v).min(end);
            }
        } catch (SQLException e) {
            throw KeysetBatch.failure(e, null, in);
        } finally {
            s.running(null);
        }
    }

    /** Waits for another session's share; its failure, if any, is already recorded. */
    private void await(Future<?> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (ExecutionException e) {
                synchronized (this) {
                    if (failure == null)
                        failure = e.getCause() instanceof RuntimeException r
                                ? r
                                : new IllegalStateException(e.getCause());
                }
                break;
            } catch (InterruptedException e) {
                // stop the sessions as Ctrl-C does, then wait for them all the same: none is left running unseen
                interrupted = true;
                in.engine.interrupt();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
