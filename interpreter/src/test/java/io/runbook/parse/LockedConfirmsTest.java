package io.runbook.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `check` refuses a confirm that would wait on a person while the phase's transaction holds its locks. */
class LockedConfirmsTest {
    @TempDir
    Path dir;

    @Test
    void aConfirmAfterAnAlterInATransactionalPhaseIsRefusedAtItsLine() {
        Path file = Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "alter" {
                    sql $$ alter table items add column note text $$
                    confirm "Continue?"
                  }
                }
                """);
        Cli r = Cli.run("check", file.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(r.err)
                .contains("t.runbook:4:5")
                .contains("confirm inside phase \"alter\" after its first statement")
                .contains("    confirm \"Continue?\"")
                .contains("^")
                .contains("ask before the phase's first statement, or make the question a phase of its own");
    }

    @Test
    void aConfirmBeforeTheFirstStatementInItsOwnPhaseOrInANoTransactionPhaseIsFine() {
        Path file = Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "ask first" {
                    confirm "Go?"
                    sql $$ create table a (x int) $$
                  }
                  phase "no transaction" no transaction {
                    sql $$ create table b (x int) $$
                    confirm "Go on?"
                  }
                }
                """);
        Cli r = Cli.run("check", file.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void aQueryInAGuardCountsAsAStatementAndTheVerifyBlockIsInsideTheTransaction() {
        Path file = Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "p" {
                    expect scalar $$ select 1 $$ == 1
                    confirm "Go?"
                  }
                  phase "q" {
                    sql $$ create table a (x int) $$
                    verify { confirm "Looks right?" }
                  }
                }
                """);
        Cli r = Cli.run("check", file.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(r.err).contains("t.runbook:4:5").contains("t.runbook:8:14");
    }
}
