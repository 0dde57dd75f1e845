package io.runbook.run;

import io.runbook.sql.PsqlVariables;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * JDBC batches of a SQL file's statements, executed in order on a thread of its own: while the server runs one
 * batch, the file's next statements are read and split, and the next batch waits its turn on the worker, which
 * sends it as soon as the server has answered (psql reads the next statement only after the server answered the
 * last). At most two batches are out at a time; after a failure the batches behind it are not sent (the
 * transaction is aborted). The caller uses the connection again only after {@link #settle}, which reports the
 * first failure at its statement's own position.
 */
final class BatchInFlight implements AutoCloseable {
    private static final int OUT = 2;

    private record Batch(List<Located> located, List<PsqlVariables.Substituted> sql, Future<int[]> counts) {}

    private final Statement st;
    private final ArrayDeque<Batch> out = new ArrayDeque<>(); // sent, result not yet taken
    private ExecutorService worker;
    private volatile boolean broken; // a batch failed: later ones are not sent

    BatchInFlight(Statement st) {
        this.st = st;
    }

    /** Whether a batch is out (the connection is busy). */
    boolean busy() {
        return !out.isEmpty();
    }

    /**
     * Hands the statements to the worker (the lists are the batch's own from now on); first takes the result of
     * the oldest batch out when two are. Returns the rows affected by batches that ended.
     */
    long send(List<Located> located, List<PsqlVariables.Substituted> sql) {
        long affected = 0;
        while (out.size() >= OUT) affected += take();
        if (worker == null)
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "runbook-sql-batches");
                t.setDaemon(true); // never keeps the process alive; the caller closes it
                return t;
            });
        out.add(new Batch(located, sql, worker.submit(() -> execute(sql))));
        return affected;
    }

    /** Waits until every batch out has ended; the rows they affected. The first failure is thrown. */
    long settle() {
        long affected = 0;
        try {
            while (!out.isEmpty()) affected += take();
        } finally {
            while (!out.isEmpty())
                endedQuietly(out.poll()); // behind a failure: skipped, but wait (the connection is one)
        }
        return affected;
    }

    @Override
    public void close() {
        if (worker == null) return;
        while (!out.isEmpty()) endedQuietly(out.poll());
        worker.shutdown(); // idle now: every batch it was given has ended
    }

    private long take() {
        Batch b = out.poll();
        int[] counts;
        try {
            counts = ended(b);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BatchUpdateException f) {
                int at = Session.failedEntry(f, b.sql());
                throw SqlErrors.failure(f, b.located().get(at), b.sql().get(at));
            }
            if (e.getCause() instanceof SQLException f)
                throw SqlErrors.failure(f, b.located().get(0), b.sql().get(0));
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
        long affected = 0;
        if (counts != null) for (int n : counts) affected += Math.max(n, 0);
        return affected;
    }

    /** Waits for one batch, whatever interrupts the wait (the connection is not free before); its counts. */
    private static int[] ended(Batch b) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return b.counts().get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Waits for a batch whose failure, if any, is not reported: one before it failed, or the step is over. */
    private static void endedQuietly(Batch b) {
        try {
            ended(b);
        } catch (ExecutionException ignored) {
            // see above
        }
    }

    /** On the worker: one batch, or nothing behind a failure (null counts). */
    private int[] execute(List<PsqlVariables.Substituted> sql) throws SQLException {
        if (broken) return null;
        try {
            for (PsqlVariables.Substituted s : sql) st.addBatch(s.sql());
            return st.executeBatch();
        } catch (SQLException | RuntimeException | Error e) {
            broken = true;
            throw e;
        } finally {
            try {
                st.clearBatch();
            } catch (SQLException ignored) {
                // The statement is closed with the step.
            }
        }
    }
}
