package io.runbook.shell;

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

/** `runbook shell` in a real terminal: tmux runs it, send-keys types, capture-pane -e shows the screen with its colours. */
class ShellTerminalTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() {
        db = new TestDatabase(ShellTerminalTest.class);
    }

    @AfterAll
    static void drop() {
        db.close();
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

    /** The pane's text with colours (capture-pane -e), once it contains text; fails after 30 s. */
    private static String waitForPane(String session, String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String pane = tmux("capture-pane", "-p", "-e", "-J", "-S", "-200", "-t", session);
            if (pane.replaceAll("\u001b\\[[0-9;]*m", "").contains(text)) return pane;
            assertThat(System.nanoTime())
                    .as("no \"%s\" in the pane:\n%s", text, pane)
                    .isLessThan(deadline);
            LockSupport.parkNanos(10_000_000);
        }
    }

    @Test
    void promptTableResultAndColourInARealTerminal() {
        assumeTrue(tmuxInstalled(), "tmux is not installed");
        db.execute("create table t_items (id int, name text); insert into t_items values (1, 'bolt'), (2, 'nut')");
        Path rb = Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "one" { sql $$ insert into t_items values (3, 'washer') $$ }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        String session = "runbook-shell-test-" + ProcessHandle.current().pid();
        String command = String.join(
                " ",
                List.of(
                        java,
                        "-cp",
                        "'" + System.getProperty("java.class.path") + "'",
                        "io.runbook.cli.Main",
                        "shell",
                        "'" + rb + "'",
                        "--db",
                        "'" + db.uri() + "'",
                        "--history",
                        "'" + dir.resolve("history") + "'"));
        tmux(
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                "150",
                "-y",
                "50",
                "env TERM=xterm-256color " + command + "; sleep 60");
        try {
            String start = waitForPane(session, "[phase 1/1]=>");
            assertThat(start).contains("runbook shell").contains("phase 1/1 \"one\"");
            tmux("send-keys", "-t", session, "-l", "select id, name from t_items order by id\\;");
            tmux("send-keys", "-t", session, "Enter");
            String pane = waitForPane(session, "(2 rows)");
            String plain = pane.replaceAll("\u001b\\[[0-9;]*m", "");
            assertThat(plain).contains(" id | name").contains("  1 | bolt").contains("  2 | nut");
            assertThat(pane)
                    .as("colour: the prompt in bold, SQL keywords highlighted")
                    .contains("\u001b[");
            assertThat(pane).containsPattern("\u001b\\[[0-9;]*m(\u001b\\[[0-9;]*m)*select");

            tmux("send-keys", "-t", session, "-l", "next");
            tmux("send-keys", "-t", session, "Enter");
            waitForPane(session, "[phase 1/1]=*>");
            tmux("send-keys", "-t", session, "-l", "next");
            tmux("send-keys", "-t", session, "Enter");
            waitForPane(session, "[done]=>");
            tmux("send-keys", "-t", session, "-l", "quit");
            tmux("send-keys", "-t", session, "Enter");
            assertThat(db.scalar("select count(*) from t_items")).isEqualTo("3");
        } finally {
            tmux("kill-session", "-t", session);
        }
    }
}
