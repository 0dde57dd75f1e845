package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `runbook run X | tee run.log` in a real terminal (tmux): stdout is a pipe, so the confirmation is asked
 * on the terminal itself, whole, and the answer is in the log.
 */
class PipedConfirmTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() {
        db = new TestDatabase(PipedConfirmTest.class);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void theWholeQuestionIsOnTheTerminalAndTheAnswerInTheLog() throws IOException {
        assumeTrue(tmuxInstalled(), "tmux is not installed");
        Path rb = Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "one" {
                    confirm "Drop the old table now, with all of its rows gone forever?"
                    sql $$ create table piped (id int) $$
                  }
                }
                """);
        Path log = dir.resolve("run.log");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String session = "runbook-piped-test-" + ProcessHandle.current().pid();
        String command = String.join(
                " ",
                List.of(
                        javaBin,
                        "-cp",
                        "'" + System.getProperty("java.class.path") + "'",
                        "io.runbook.cli.Main",
                        "run",
                        "'" + rb + "'",
                        "--db",
                        "'" + db.uri() + "'",
                        "| tee '" + log + "'; echo piped-done; sleep 60"));
        tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "50", command);
        try {
            waitForPane(session, "Drop the old table now, with all of its rows gone forever? [y/N]");
            tmux("send-keys", "-t", session, "y", "Enter");
            String pane = waitForPane(session, "piped-done");
            assertThat(pane).contains("exit 0: completed");
            assertThat(java.nio.file.Files.readString(log))
                    .contains("ok confirm \"Drop the old table now, with all of its rows gone forever?\"  yes")
                    .contains("exit 0: completed");
            assertThat(db.scalar("select count(*) from pg_tables where tablename = 'piped'"))
                    .isEqualTo("1");
        } finally {
            tmux("kill-session", "-t", session);
        }
    }

    private static boolean tmuxInstalled() {
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

    /** The pane's text once it contains text; fails after 60 s. */
    private static String waitForPane(String session, String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String pane = tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session);
            if (pane.contains(text)) return pane;
            assertThat(System.nanoTime())
                    .as("no \"%s\" in the pane:\n%s", text, pane)
                    .isLessThan(deadline);
            LockSupport.parkNanos(10_000_000);
        }
    }
}
