package io.runbook.fleet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs one runbook on many targets: canaries first, alone; then the rest, at most {@code parallel} at a time and, on
 * each server, at most {@code maxConnectionsPerServer} connections. After more than {@code maxFailures} failures, or a
 * first Ctrl-C, no new target starts and the running ones stop after their current phase; a second Ctrl-C cancels
 * them (each rolls its phase back). Each target is a normal run ({@link TargetRun}); the fleet only decides which
 * starts when.
 */
public final class Fleet {
    /** Every target's run opens two connections: the phase session and the journal. */
    static final int CONNECTIONS_PER_TARGET = 2;

    /** {@code maxConnectionsPerServer}: 0 for no limit but {@code parallel}'s. */
    public record Options(int canary, int parallel, int maxFailures, int maxConnectionsPerServer) {}

    /** What the console (or a test) hears: a target started or finished, or the fleet changed course. */
    public interface View {
        default void started(Target target, boolean canary) {}

        default void finished(TargetResult result) {}

        default void halted(String reason) {}
    }

    private final TargetRun.Plan plan;
    private final Options options;
    private final View view;
    private final Set<TargetRun> running = ConcurrentHashMap.newKeySet();
    /** Guarded by this: the targets of the waves not yet started, in order, and the connections open per server. */
    private final Deque<Integer> waiting = new ArrayDeque<>();

    private final Map<String, Integer> open = new HashMap<>();
    private volatile String stopReason;
    private int failures;

    public Fleet(TargetRun.Plan plan, Options options, View view) {
        this.plan = plan;
        this.options = options;
        this.view = view;
    }

    /** The results, in the targets' order; targets never started are NOT_STARTED with the reason. */
    public List<TargetResult> run(List<Target> targets) {
        AtomicReferenceArray<TargetResult> results = new AtomicReferenceArray<>(targets.size());
        int next = canaries(targets, results);
        synchronized (this) {
            for (int i = next; i < targets.size(); i++) waiting.add(i);
        }
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < Math.max(1, options.parallel()); w++) {
            Thread t = new Thread(
                    () -> {
                        for (int i; (i = take(targets)) >= 0; ) {
                            try {
                                results.set(i, runOne(targets.get(i), false));
                            } finally {
                                release(targets.get(i));
                            }
                        }
                    },
                    "fleet");
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        try {
            for (Thread t : workers) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop("interrupted");
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

    /**
     * The next waiting target, in order, whose server has room for its connections (taken here, given back by
     * {@link #release}); waits while every waiting target's server is full. -1 when the fleet is done or halted.
     */
    private synchronized int take(List<Target> targets) {
        try {
            while (stopReason == null && !waiting.isEmpty()) {
                for (Iterator<Integer> it = waiting.iterator(); it.hasNext(); ) {
                    int i = it.next();
                    String server = targets.get(i).server();
                    int used = open.getOrDefault(server, 0);
                    if (options.maxConnectionsPerServer() <= 0
                            || used + CONNECTIONS_PER_TARGET <= options.maxConnectionsPerServer()) {
                        it.remove();
                        open.put(server, used + CONNECTIONS_PER_TARGET);
                        return i;
                    }
                }
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private synchronized void release(Target target) {
        open.merge(target.server(), -CONNECTIONS_PER_TARGET, Integer::sum);
        notifyAll();
    }

    private TargetResult runOne(Target target, boolean canary) {
        if (stopReason != null) return TargetResult.notStarted(target, stopReason);
        TargetRun run = new TargetRun(plan, target);
        try {
            running.add(run);
            if (stopReason != null) run.halt(stopReason);
            view.started(target, canary);
            TargetResult r = run.run();
            view.finished(r);
            if (r.failed() && !canary) failed();
            return r;
        } finally {
            running.remove(run);
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
        notifyAll();
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
