package io.runbook.cli;

import io.runbook.parse.Checker;
import io.runbook.parse.Program;
import java.nio.file.Path;
import java.util.concurrent.FutureTask;

/**
 * A runbook read and checked on a thread of its own while picocli reads the command line (which takes longer). The
 * command takes the result only for the file picocli read; what loading threw is thrown where the command loads, so
 * its messages, their order and the exit code stay as they were.
 */
final class EarlyLoad {
    private final Path file;
    private final FutureTask<Program> task;

    private EarlyLoad(Path file) {
        this.file = file;
        this.task = new FutureTask<>(() -> Checker.load(file));
    }

    /**
     * Loads the file (null: none), on a thread that first readies the locale data the connection will need, and then
     * what the run will need (see {@link Warmup}).
     */
    static EarlyLoad start(Path file) {
        EarlyLoad l = file == null ? null : new EarlyLoad(file);
        Thread thread = new Thread(
                () -> {
                    Warmup.localeData();
                    if (l != null) l.task.run();
                    Warmup.run();
                },
                "runbook load");
        thread.setDaemon(true); // only reads: a command line that fails does not wait for it
        thread.start();
        return l;
    }

    boolean isFor(Path file) {
        return this.file.equals(file);
    }

    /** Waits for the load; rethrows what loading threw. */
    Program get() {
        return Awaited.get(task, "loading the runbook");
    }
}
