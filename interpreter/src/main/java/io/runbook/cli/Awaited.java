package io.runbook.cli;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The result of work begun on a thread of its own, waited for where the command needs it. */
final class Awaited {
    private Awaited() {}

    /** Waits for the work; rethrows what it threw, as if it had run here. */
    static <T> T get(Future<T> work, String doing) {
        try {
            return work.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        }
    }
}
