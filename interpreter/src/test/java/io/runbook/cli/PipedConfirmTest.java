package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runbook.source.ExitCode;
import io.runbook.testing.Files;
import io.runbook.testing.RunbookProcess;
import io.runbook.testing.TestDatabase;
import io.runbook.testing.Tmux;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `runbook run X | tee run.log` in a real terminal (tmux): stdout is a pipe, so the confirmation is asked
 * on the terminal itself, whole, and the answer is in the log.
 */
class PipedConfirmTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(PipedConfirmTest.class);

    @TempDir
    Path dir;

    private Path runbook() {
        return Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "one" {
                    confirm "Drop the old table now, with all of its rows gone forever?"
                    sql $$ create table piped (id int) $$
                  }
                }
                """);
    }

    /** `runbook run t.runbook | tee run.log` in tmux; the pane stays up a minute after the run. */
    private Tmux pipedRun(Path log) {
        return Tmux.start(
                "runbook-piped-test",
                Tmux.runbook("run", runbook().toString(), "--db", db.uri()) + " | tee '" + log
                        + "'; echo piped-done; sleep 60");
    }

    @Test
    void theWholeQuestionIsOnTheTerminalAndTheAnswerInTheLog() throws IOException {
        assumeTrue(Tmux.installed(), "tmux is not installed");
        db.reset();
        Path log = dir.resolve("run.log");
        try (Tmux tmux = pipedRun(log)) {
            tmux.waitFor("Drop the old table now, with all of its rows gone forever? [y/N]", 60);
            tmux.press("y", "Enter");
            String pane = tmux.waitFor("piped-done", 60);
            assertThat(pane).contains("exit 0: completed");
            assertThat(java.nio.file.Files.readString(log))
                    .contains("ok confirm \"Drop the old table now, with all of its rows gone forever?\"  yes")
                    .contains("exit 0: completed");
            assertThat(db.scalar("select count(*) from pg_tables where tablename = 'piped'"))
                    .isEqualTo("1");
        }
    }

    @Test
    void ctrlDAtTheQuestionAnswersNo() throws IOException {
        assumeTrue(Tmux.installed(), "tmux is not installed");
        db.reset();
        Path log = dir.resolve("run.log");
        try (Tmux tmux = pipedRun(log)) {
            tmux.waitFor("Drop the old table now, with all of its rows gone forever? [y/N]", 60);
            tmux.press("C-d");
            // before the fix, the read waited for a line that never came: no piped-done within the minute
            String pane = tmux.waitFor("piped-done", 60);
            assertThat(pane).contains("the operator declined");
            assertThat(java.nio.file.Files.readString(log))
                    .contains("confirm \"Drop the old table now, with all of its rows gone forever?\"  no")
                    .contains("exit " + ExitCode.ABORTED);
            assertThat(db.scalar("select count(*) from pg_tables where tablename = 'piped'"))
                    .isEqualTo("0");
        }
    }

    @Test
    void withNoTerminalAndStdinClosedTheRunRefusesAtOnceInsteadOfWaiting() throws Exception {
        db.reset();
        Process p = RunbookProcess.withoutTerminal(
                dir.resolve("runner.log"), "run", runbook().toString(), "--db", db.uri());
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("the runner ended by itself")
                .isTrue();
        assertThat(p.exitValue()).isEqualTo(ExitCode.NEEDS_TERMINAL);
        assertThat(RunbookProcess.log(dir.resolve("runner.log")))
                .contains("there is no terminal to ask on; nothing was run");
    }

    @Test
    void theShellFedFromAPipeTakesItsEndAsNoAtTheQuestionAndEnds() throws Exception {
        db.reset();
        Process p = RunbookProcess.withoutTerminal(
                dir.resolve("shell.log"), "shell", runbook().toString(), "--db", db.uri());
        try (var stdin = p.getOutputStream()) {
            stdin.write("next\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("the shell ended by itself")
                .isTrue();
        assertThat(p.exitValue()).isEqualTo(ExitCode.ABORTED);
        assertThat(RunbookProcess.log(dir.resolve("shell.log")))
                .contains("confirm \"Drop the old table now, with all of its rows gone forever?\"  no");
        assertThat(db.scalar("select count(*) from pg_tables where tablename = 'piped'"))
                .isEqualTo("0");
    }
}
