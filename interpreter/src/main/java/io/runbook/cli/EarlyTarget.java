package io.runbook.cli;

import io.runbook.db.ConnectionSettings;
import io.runbook.db.Database;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The target's first connection, made on a thread of its own while the runbook is read and checked: the two take
 * about as long, and a run waited for one and then the other. What the command says and the order it says it in stay
 * as they were: a runbook that does not load is reported first (its connection, once made, is closed unused), then
 * the target line, then a connection failure.
 */
final class EarlyTarget {
    /** Settings resolved, then a connection made; either may throw, and the command sees it when it asks. */
    interface Connect {
        ConnectionSettings resolve();

        Database open(ConnectionSettings settings);
    }

    private final String db;
    private final FutureTask<Database> task;
    private volatile ConnectionSettings settings;
    private volatile boolean abandoned;

    private EarlyTarget(String db, Connect connect) {
        this.db = db;
        task =
                new FutureTask<>(() -> {
                    settings = connect.resolve();
                    return connect.open(settings);
                }) {
                    @Override
                    protected void done() {
                        if (abandoned) closeQuietly();
                    }
                };
    }

    /** Connects, on a thread of its own, to the target that --db (null: not given) and the environment name. */
    static EarlyTarget start(String db, Connect connect) {
        EarlyTarget t = new EarlyTarget(db, connect);
        Thread thread = new Thread(t.task, "runbook connect");
        thread.setDaemon(true); // a runbook that did not load does not wait for a slow server
        thread.start();
        return t;
    }

    /** Whether this is the target of the given --db (null: not given). */
    boolean isFor(String db) {
        return java.util.Objects.equals(this.db, db);
    }

    /** The settings once resolved (null if resolving failed), after waiting for the connection. */
    ConnectionSettings settings() {
        return settings;
    }

    /** Waits for the connection; rethrows what connecting threw. */
    Database get() {
        return Awaited.get(task, "connecting");
    }

    /** Not needed after all (the runbook did not load): closed as soon as it is made, never waited for. */
    void abandon() {
        abandoned = true;
        if (task.isDone()) closeQuietly();
    }

    private void closeQuietly() {
        try {
            task.get().close();
        } catch (ExecutionException | InterruptedException | RuntimeException ignored) {
            // nothing was connected, or it is closed already
        }
    }
}
