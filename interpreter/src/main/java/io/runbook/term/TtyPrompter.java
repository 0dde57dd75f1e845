package io.runbook.term;

import io.runbook.run.Prompter;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Confirmations asked on the controlling terminal (/dev/tty) when stdout is not a terminal (`runbook run
 * ... | tee run.log`), as sudo and ssh ask: the whole question is written to the terminal and the answer
 * read back in the terminal's own line mode, which echoes and edits it. (A line editor on a terminal it
 * does not own knows neither its width nor its echo, and drew the question as `>....`.) The answer goes
 * to stdout with the run's other lines, so the log has it too.
 */
public final class TtyPrompter implements Prompter {
    private final BufferedReader in;
    private final PrintStream out;
    private final String who;
    /**
     * Reads the terminal's lines, one when asked: a blocking read is the only way to see Ctrl-D (the terminal
     * hands over an empty read, which "ready" never shows). Daemon: a read left waiting never holds the exit.
     */
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tty-reader");
        t.setDaemon(true);
        return t;
    });
    /** A read still waiting after Ctrl-C answered no: the next question takes the line it brings. */
    private Future<String> pending;

    TtyPrompter(BufferedReader in, PrintStream out, String who) {
        this.in = in;
        this.out = out;
        this.who = who;
    }

    /** The prompter on /dev/tty; throws when there is no controlling terminal (cron, CI, nohup). */
    public static TtyPrompter open(String who) throws IOException {
        FileInputStream tty = new FileInputStream("/dev/tty");
        try {
            PrintStream out = new PrintStream(new FileOutputStream("/dev/tty"), true, StandardCharsets.UTF_8);
            return new TtyPrompter(new BufferedReader(new InputStreamReader(tty, StandardCharsets.UTF_8)), out, who);
        } catch (IOException | RuntimeException e) {
            tty.close();
            throw e;
        }
    }

    @Override
    public Answer confirm(String question, String typing) {
        out.print(TerminalPrompter.prompt(question, typing));
        out.flush();
        String line = read();
        if (line == null) out.println(); // Ctrl-C or Ctrl-D: no (the terminal echoed no newline)
        return new Answer(TerminalPrompter.yes(line, typing), who);
    }

    /**
     * The line typed, or null on Ctrl-D (end of input) or Ctrl-C. The line is read on the reader thread while
     * this one waits for it, so Ctrl-C (caught here for the while) can still answer no.
     */
    private String read() {
        Signal sigint = new Signal("INT");
        AtomicBoolean cancelled = new AtomicBoolean();
        SignalHandler previous = Signal.handle(sigint, s -> cancelled.set(true));
        try {
            if (pending == null) pending = reader.submit(in::readLine);
            while (!cancelled.get()) {
                try {
                    String line = pending.get(50, TimeUnit.MILLISECONDS);
                    pending = null;
                    return line;
                } catch (TimeoutException e) {
                    // nothing typed yet: look at Ctrl-C again
                }
            }
            return null;
        } catch (ExecutionException e) {
            pending = null;
            throw new UncheckedIOException(e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            Signal.handle(sigint, previous);
        }
    }

    @Override
    public boolean canAsk() {
        return true;
    }
}
