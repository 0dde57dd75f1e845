package io.runbook.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.term.TerminalPrompter;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Confirmations answered on a JLine terminal (over in-memory streams), and Ctrl-C during a statement. */
class TerminalTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(TerminalTest.class);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    private Supplier<Prompter> typing(String input) {
        return () -> {
            try {
                // A keyboard that never reaches end-of-input, like a real one (EOF closes a JLine terminal).
                PipedOutputStream keys = new PipedOutputStream();
                PipedInputStream keyboard = new PipedInputStream(keys);
                keys.write(input.getBytes(StandardCharsets.UTF_8));
                keys.flush();
                Terminal t = TerminalBuilder.builder()
                        .system(false)
                        .type("dumb")
                        .streams(keyboard, screen)
                        .build();
                return new TerminalPrompter(t, "tester at the terminal");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private Cli run(Supplier<Prompter> terminal, String runbook, String... extra) {
        return Cli.runFile(terminal, Files.write(dir, "t.runbook", runbook), db.uri(), extra);
    }

    private static final String GUARDED_DROP = """
            runbook "t" {
              param env text = "production"
              phase "p" {
                confirm "Really create a in ${env}?" typing "prod"
                sql $$ create table a (x int) $$
              }
            }
            """;

    @Test
    void typedConfirmationNeedsTheExactWord() {
        Cli wrong = run(typing("yes\n"), GUARDED_DROP);
        assertThat(wrong.exit).as(wrong.toString()).isEqualTo(ExitCode.ABORTED);
        assertThat(db.tableExists("a")).isFalse();
        assertThat(screen.toString(StandardCharsets.UTF_8))
                .contains("Really create a in production? Type \"prod\" to continue:");
        assertThat(wrong.err).contains("the operator declined");

        Cli right = run(typing("prod\n"), GUARDED_DROP);
        assertThat(right.exit).as(right.toString()).isEqualTo(ExitCode.OK);
        assertThat(right.out).contains("yes (tester at the terminal)");
        assertThat(db.tableExists("a")).isTrue();
    }

    @Test
    void operatorIsOfferedTheRollbackOfCommittedPhasesOnFailure() {
        String rb = """
                runbook "t" {
                  phase "one" {
                    sql $$ create table a (x int) $$
                    rollback { sql $$ drop table a $$ }
                  }
                  phase "two" { expect false }
                }
                """;
        Cli declined = run(typing("n\n"), rb);
        assertThat(declined.exit).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(db.tableExists("a")).isTrue();
        assertThat(screen.toString(StandardCharsets.UTF_8))
                .contains("Run the rollback blocks of one (in that order)? [y/N]");

        db.reset();
        Cli accepted = run(typing("y\n"), rb);
        assertThat(accepted.exit)
                .as(accepted + screen.toString(StandardCharsets.UTF_8))
                .isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(db.tableExists("a")).isFalse();
    }

    @Test
    void ctrlCCancelsTheRunningStatementAndRollsBackThePhase() throws Exception {
        interruptedBy("INT", "Ctrl-C");
    }

    @Test
    void sigtermCancelsTheRunningStatementAndEveryOutputSaysInterrupted() throws Exception {
        interruptedBy("TERM", "SIGTERM");
    }

    private void interruptedBy(String signal, String how) throws Exception {
        String rb = """
                runbook "t" {
                  phase "p" {
                    sql $$ create table a (x int) $$
                    sql $$ select pg_sleep(60) $$
                  }
                }
                """;
        Path report = dir.resolve("run.md");
        var result = new java.util.concurrent.CompletableFuture<Cli>();
        Thread runner = new Thread(() -> result.complete(run(null, rb, "--report", report.toString())));
        runner.start();
        // Wait until the statement is running on the server: the SIGINT handler is installed by then.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"1"
                .equals(
                        db.scalar(
                                "select count(*) from pg_stat_activity where query like '%pg_sleep(60)%' and state = 'active' and pid <> pg_backend_pid() and datname = current_database()"))) {
            assertThat(System.nanoTime()).as("pg_sleep never started").isLessThan(deadline);
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        sun.misc.Signal.raise(new sun.misc.Signal(signal));
        Cli r = result.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("cancelled promptly, not after 60 s")
                .isLessThan(10_000);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.ABORTED);
        assertThat(r.err)
                .contains("interrupted by " + how + " during this statement (cancelled on the server)")
                .contains("the phase was rolled back: nothing of it was applied")
                .doesNotContain("canceling statement due to user request");
        assertThat(r.out).contains("interrupted, rolled back").contains("exit 5: stopped: interrupted by " + how);
        assertThat(db.tableExists("a")).isFalse();
        assertThat(db.scalar("select outcome from runbook.runs")).isEqualTo("interrupted by " + how);
        assertThat(java.nio.file.Files.readString(report))
                .contains("### phase \"p\" (interrupted (Ctrl-C or SIGTERM), rolled back)");
    }
}
