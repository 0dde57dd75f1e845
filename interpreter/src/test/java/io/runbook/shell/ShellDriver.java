package io.runbook.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.cli.Context;
import io.runbook.cli.ShellCommand;
import io.runbook.term.Style;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * `runbook shell` on a JLine terminal over in-memory streams, in a thread of its own: the test types on a
 * keyboard that stays open (a JLine terminal closes at end of input) and waits for text on the screen.
 */
final class ShellDriver implements AutoCloseable {
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final Pattern ANSI =
            Pattern.compile("\u001b\\[[0-9;?]*[ -/]*[@-~]|\u001b[()][A-Za-z0-9]|\u001b[=>]|\r");

    private final PipedOutputStream keys;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Terminal terminal;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private int mark;

    private ShellDriver(String type, Map<String, String> env, String... args) {
        try {
            keys = new PipedOutputStream();
            PipedInputStream keyboard = new PipedInputStream(keys, 1 << 16);
            // Not TerminalBuilder: given streams it opens a pseudo-terminal, whose Ctrl-C goes nowhere. This one has
            // JLine's own line discipline, which turns Ctrl-C into SIGINT for the shell, as a real terminal does.
            terminal = new ExternalTerminal("test", type, keyboard, screen, StandardCharsets.UTF_8);
            terminal.setSize(new Size(200, 60));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Context ctx = new Context(
                new PrintStream(screen, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new HashMap<>(env),
                "tester",
                null,
                Style.plain());
        Thread t = new Thread(
                () -> {
                    try {
                        exit.complete(ShellCommand.run(ctx, terminal, args));
                    } catch (Throwable e) {
                        exit.completeExceptionally(e);
                    }
                },
                "shell-under-test");
        t.setDaemon(true);
        t.start();
    }

    /** A dumb terminal: plain text on the screen. */
    static ShellDriver start(String... args) {
        return new ShellDriver("dumb", Map.of(), args);
    }

    /** A terminal that understands escapes (completion lists, colour). */
    static ShellDriver startAnsi(String... args) {
        return new ShellDriver("xterm-256color", Map.of(), args);
    }

    /** Types text (\n is Enter, \u0003 Ctrl-C, \u0004 Ctrl-D, \t Tab). */
    void type(String text) {
        try {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything on the screen so far, escapes removed. */
    String screen() {
        return ANSI.matcher(screen.toString(StandardCharsets.UTF_8)).replaceAll("");
    }

    /** The raw bytes on the screen, escapes kept. */
    String raw() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    /** The screen since the last wait returned. */
    String recent() {
        return screen().substring(Math.min(mark, screen().length()));
    }

    /** Waits until text appears after the last wait's mark; moves the mark past it; returns what appeared up to it. */
    String waitFor(String text) {
        return waitFor(Pattern.compile(Pattern.quote(text)));
    }

    String waitFor(Pattern p) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            String s = screen();
            Matcher m = p.matcher(s);
            if (mark <= s.length() && m.find(mark)) {
                String seen = s.substring(mark, m.end());
                mark = m.end();
                return seen;
            }
            if (exit.isDone()) {
                throw new AssertionError("the shell ended (" + exit.getNow(null) + ") before " + p
                        + " appeared; screen:\n" + s + "\nerr:\n" + err);
            }
            if (System.nanoTime() > deadline)
                throw new AssertionError("no " + p + " on the screen after the mark; screen:\n"
                        + s.substring(0, Math.min(mark, s.length())) + "<<<MARK>>>"
                        + s.substring(Math.min(mark, s.length())));
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The prompt of a runbook shell or SQL shell: db[where]=> , =*> , =!> . */
    static final Pattern PROMPT = Pattern.compile("[a-z0-9_]+(\\[[^\\]]*\\])?=[*!]?> ");

    /** Types a line and waits for the next prompt; returns what was printed in between. */
    String line(String text) {
        type(text + "\n");
        return waitFor(PROMPT);
    }

    String prompt() {
        return waitFor(PROMPT);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Waits for the shell to end; returns its exit code. */
    int exit() {
        try {
            return exit.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the shell did not end; screen:\n" + screen(), e);
        }
    }

    int quit() {
        type("quit\n");
        return exit();
    }

    Terminal terminal() {
        return terminal;
    }

    @Override
    public void close() {
        if (!exit.isDone()) {
            type("\nquit\n");
            try {
                exit.get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the test failed already
            }
        }
        try {
            terminal.close();
            keys.close();
        } catch (IOException ignored) {
            // closing
        }
        assertThat(exit).as("the shell ended; screen:\n%s", raw()).isDone();
    }
}
