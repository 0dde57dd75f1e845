package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What check and --help say agrees with what run does. */
class SmallTruthsTest {
    @TempDir
    Path dir;

    @Test
    void checkRejectsAParamDefaultThatRunRejects() {
        Path rb = Files.write(dir, "p.runbook", """
                runbook "p" {
                  param n int = "five"
                  param ok int = "52"
                  param d duration = "soon"
                  param b bool = "yes"
                  phase "x" { sql $$ select 1 $$ }
                }
                """);
        Cli check = Cli.run("check", rb.toString());
        assertThat(check.exit).as(check.toString()).isEqualTo(2);
        assertThat(check.err)
                .contains("p.runbook:2:17: ERROR: the default of param n is not a valid int")
                .contains("p.runbook:4:22: ERROR: the default of param d is not a valid duration")
                .doesNotContain("param ok")
                .doesNotContain("param b ");
        Cli plan = Cli.run("plan", rb.toString());
        assertThat(plan.exit).isEqualTo(2);
    }

    @Test
    void topLevelHelpListsEveryExitCodeAndTheWholeRehearseSummary() {
        Cli help = Cli.run("--help");
        assertThat(help.exit).isEqualTo(0);
        assertThat(help.out).contains("70 internal").contains("10 applied phases changed");
        String rehearse = help.out.substring(help.out.indexOf("  rehearse"));
        // the whole summary, up to the next command (rehearse's line may wrap)
        assertThat(rehearse.substring(0, rehearse.indexOf("\n  fmt"))
                        .replaceAll("\\s+", " ")
                        .strip())
                .isEqualTo(
                        "rehearse Prove the way back works, in a scratch database: every phase forward, every rollback back, forward again.");
    }
}
