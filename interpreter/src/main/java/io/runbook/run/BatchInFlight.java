package io.runbook.run;

import io.runbook.sql.PsqlVariables;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

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

    private static final class Batch {
        final List<Located> located;
        final List<PsqlVariables.Substituted> sql;
        int[] counts;
        SQLException failed;
        Throwable crashed;
        boolean done;

        Batch(List<Located> located, List<PsqlVariables.Substituted> sql) {
            this.located = located;
            this.sql = sql;
        }
    }

    private static final Batch STOP = new Batch(List.of(), List.of());

    private final Statement st;
    private final BlockingQueue<Batch> queue = new LinkedBlockingQueue<>();
    private final ArrayDeque<Batch> out = new ArrayDeque<>(); // the caller's: sent, result not yet taken
    private Thread worker;
    private boolean broken; // the worker's: a batch failed, later ones are skipped

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
        if (worker == null) {
            worker = new Thread(this::work, "runbook-sql-batches");
            worker.setDaemon(true); // never keeps the process alive; the caller closes it
            worker.start();
        }
        Batch b = new Batch(located, sql);
        out.add(b);
        queue.add(b);
        return affected;
    }

    /** Waits until every batch out has ended; the rows they affected. The first failure is thrown. */
    long settle() {
        long affected = 0;
        try {
            while (!out.isEmpty()) affected += take();
        } finally {
            while (!out.isEmpty()) await(out.poll()); // behind a failure: skipped, but wait (the connection is one)
        }
        return affected;
    }

    @Override
    public void close() {
        if (worker == null) return;
        while (!out.isEmpty()) await(out.poll());
        queue.add(STOP);
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private long take() {
        Batch b = out.poll();
        await(b);
        if (b.crashed instanceof RuntimeException r) throw r;
        if (b.crashed instanceof Error e) throw e;
        if (b.failed instanceof BatchUpdateException e) {
            int at = Session.failedEntry(e, b.sql);
            throw SqlErrors.failure(e, b.located.get(at), b.sql.get(at));
        }
        if (b.failed != null) throw SqlErrors.failure(b.failed, b.located.get(0), b.sql.get(0));
        long affected = 0;
        if (b.counts != null) for (int n : b.counts) affected += Math.max(n, 0);
        return affected;
    }

    /** Waits for one batch (whatever interrupts the wait: the connection is not free before). */
    private static void await(Batch b) {
        boolean interrupted = false;
        synchronized (b) {
            while (!b.done) {
                try {
                    b.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void work() {
        while (true) {
            Batch b;
            try {
                b = queue.take();
            } catch (InterruptedException e) {
                continue; // only the caller ends the worker, once nothing is out
            }
            if (b == STOP) return;
            if (!broken) execute(b);
            synchronized (b) {
                b.done = true;
                b.notifyAll();
            }
        }
    }

    private void execute(Batch b) {
        try {
            for (PsqlVariables.Substituted s : b.sql) st.addBatch(s.sql());
            b.counts = st.executeBatch();
        } catch (SQLException e) {
            b.failed = e;
            broken = true;
        } catch (RuntimeException | Error e) {
            b.crashed = e;
            broken = true;
        } finally {
            try {
                st.clearBatch();
            } catch (SQLException ignored) {
                // The statement is closed with the step.
            }
        }
    }
}
