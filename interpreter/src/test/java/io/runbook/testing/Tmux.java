package io.runbook.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A real terminal for a test: tmux runs a shell command in a detached 150x50 session, send-keys types into it and
 * capture-pane reads the screen back. Close it to kill the session.
 */
public final class Tmux implements AutoCloseable {
    private static final String COLOURS = "\u001b\\[[0-9;]*m";
    private final String session;

    private Tmux(String session) {
        this.session = session;
    }

    public static boolean installed() {
        try {
            return new ProcessBuilder("tmux", "-V")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A session named name plus this JVM's pid, running the shell command line. */
    public static Tmux start(String name, String commandLine) {
        Tmux t = new Tmux(name + "-" + ProcessHandle.current().pid());
        tmux("new-session", "-d", "-s", t.session, "-x", "150", "-y", "50", commandLine);
        return t;
    }

    /** `runbook ARGS` as a shell command line (each word single-quoted), for {@link #start}. */
    public static String runbook(String... args) {
        return RunbookProcess.command(args).stream()
                .map(w -> "'" + w.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    /** Types the text as it is (send-keys -l). */
    public void type(String text) {
        tmux("send-keys", "-t", session, "-l", text);
    }

    /** Presses keys by tmux's names: Enter, C-d, C-c. */
    public void press(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** The screen's text once it contains text; fails after the given seconds. */
    public String waitFor(String text, int seconds) {
        return waitFor(text, seconds, false);
    }

    /**
     * The screen with its colours (capture-pane -e) once its text, colours aside, contains text; fails after the
     * given seconds.
     */
    public String waitForColoured(String text, int seconds) {
        return waitFor(text, seconds, true);
    }

    private String waitFor(String text, int seconds, boolean colours) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String pane = colours
                    ? tmux("capture-pane", "-p", "-e", "-J", "-S", "-200", "-t", session)
                    : tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session);
            if (pane.replaceAll(COLOURS, "").contains(text)) return pane;
            assertThat(System.nanoTime())
                    .as("no \"%s\" in the pane:\n%s", text, pane)
                    .isLessThan(deadline);
            LockSupport.parkNanos(10_000_000);
        }
    }

    @Override
    public void close() {
        tmux("kill-session", "-t", session);
    }

    private static String tmux(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("tmux");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
