package io.runbook.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs one runbook on many targets: canaries first, alone; then the rest, at most {@code parallel} at a time.
 * After more than {@code maxFailures} failures, or a first Ctrl-C, no new target starts and the running ones stop
 * after their current phase; a second Ctrl-C cancels them (each rolls its phase back). Each target is a normal run
 * ({@link TargetRun}); the fleet only decides which starts when.
 */
public final class Fleet {
    /** Every target's run opens two connections: the phase session and the journal. */
    static final int CONNECTIONS_PER_TARGET = 2;

    public record Options(int canary, int parallel, int maxFailures, int maxConnections) {}

    /** What the console (or a test) hears: a target started or finished, or the fleet changed course. */
    public interface View {
        default void started(Target target, boolean canary) {}

        default void finished(TargetResult result) {}

        default void halted(String reason) {}
    }

    private final TargetRun.Plan plan;
    private final Options options;
    private final View view;
    private final Semaphore connections;
    private final Set<TargetRun> running = ConcurrentHashMap.newKeySet();
    private volatile String stopReason;
    private int failures;

    public Fleet(TargetRun.Plan plan, Options options, View view) {
        this.plan = plan;
        this.options = options;
        this.view = view;
        this.connections = new Semaphore(Math.max(CONNECTIONS_PER_TARGET, options.maxConnections()), true);
    }

    /** The results, in the targets' order; targets never started are NOT_STARTED with the reason. */
    public List<TargetResult> run(List<Target> targets) {
        AtomicReferenceArray<TargetResult> results = new AtomicReferenceArray<>(targets.size());
        int next = canaries(targets, results);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.parallel()), r -> {
            Thread t = new Thread(r, "fleet");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = next; i < targets.size(); i++) {
                if (results.get(i) != null) continue;
                int index = i;
                pool.execute(() -> results.set(index, runOne(targets.get(index), false)));
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                // a target's run has no overall time limit: its own statements and guards have theirs
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
        List<TargetResult> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            out.add(results.get(i) != null ? results.get(i) : TargetResult.notStarted(targets.get(i), stopReason));
        }
        return out;
    }

    /**
     * The first targets, one at a time, until {@code canary} of them applied. A canary another runner holds is not
     * evidence: the next target takes its place. Returns the index where the waves start.
     */
    private int canaries(List<Target> targets, AtomicReferenceArray<TargetResult> results) {
        int passed = 0;
        int i = 0;
        while (passed < options.canary() && i < targets.size() && stopReason == null) {
            TargetResult r = runOne(targets.get(i), true);
            results.set(i++, r);
            if (r.ok()) {
                passed++;
            } else if (r.state() != TargetResult.State.RUNNING_ELSEWHERE && stopReason == null) {
                stop("canary " + r.target().name() + " " + r.describe() + ": no other target was started");
            }
        }
        return i;
    }

    private TargetResult runOne(Target target, boolean canary) {
        if (stopReason != null) return TargetResult.notStarted(target, stopReason);
        try {
            connections.acquire(CONNECTIONS_PER_TARGET);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TargetResult.notStarted(target, "interrupted");
        }
        TargetRun run = new TargetRun(plan, target);
        try {
            if (stopReason != null) return TargetResult.notStarted(target, stopReason);
            running.add(run);
            if (stopReason != null) run.halt(stopReason);
            view.started(target, canary);
            TargetResult r = run.run();
            view.finished(r);
            if (r.failed() && !canary) failed();
            return r;
        } finally {
            running.remove(run);
            connections.release(CONNECTIONS_PER_TARGET);
        }
    }

    private synchronized void failed() {
        failures++;
        if (failures > options.maxFailures() && stopReason == null) {
            stop(failures + " target(s) failed, more than --max-failures " + options.maxFailures());
        }
    }

    private synchronized void stop(String reason) {
        if (stopReason != null) return;
        stopReason = "the fleet halted: " + reason;
        view.halted(stopReason);
        for (TargetRun r : running) r.halt(stopReason);
    }

    /** First Ctrl-C: no new target starts; the running ones stop after their current phase. */
    public void interrupt() {
        stop("Ctrl-C");
    }

    /** Second Ctrl-C: cancel the running targets' statements; each rolls its phase back. */
    public void cancel() {
        stop("Ctrl-C");
        for (TargetRun r : running) r.cancel();
    }
}
