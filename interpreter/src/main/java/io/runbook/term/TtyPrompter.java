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
        if (line == null) out.println(); // Ctrl-C: no
        return new Answer(TerminalPrompter.yes(line, typing), who);
    }

    /**
     * The line typed, or null on Ctrl-C. The terminal hands over a line only at Enter, so it is
     * read once it is there; until then Ctrl-C (caught here for the while) can still answer no.
     */
    private String read() {
        Signal sigint = new Signal("INT");
        AtomicBoolean cancelled = new AtomicBoolean();
        SignalHandler previous = Signal.handle(sigint, s -> cancelled.set(true));
        try {
            while (!cancelled.get()) {
                if (in.ready()) return in.readLine();
                Thread.sleep(50);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
