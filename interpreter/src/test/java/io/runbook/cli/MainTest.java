package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/** The command line builds only the command it names: every command still answers to its name, and help lists all. */
class MainTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandIsNamedAsItsClassSays() {
        for (Class<?> command : Main.All.class.getAnnotation(Command.class).subcommands())
            assertThat(Main.name(command))
                    .as(command.getName())
                    .isEqualTo(command.getAnnotation(Command.class).name());
    }

    @Test
    void aLineNamingNoCommandSeesThemAll() {
        Cli usage = Cli.run();
        assertThat(usage.exit).isZero();
        for (Class<?> command : Main.All.class.getAnnotation(Command.class).subcommands())
            assertThat(usage.out).contains("\n  " + Main.name(command) + " ");
        Cli typo = Cli.run("rnu", "x.runbook");
        assertThat(typo.exit).isEqualTo(2);
        assertThat(typo.err).contains("Unmatched argument").contains("  fleet ");
        Cli version = Cli.run("--version");
        assertThat(version.exit).isZero();
        assertThat(version.out).startsWith("runbook ");
    }

    @Test
    void theLogFileOptionMayComeBeforeOrAfterTheCommand() throws Exception {
        Path rb = Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "x" { sql $$ select 1 $$ }
                }
                """);
        Path log = dir.resolve("audit.jsonl");
        try {
            Cli plan = Cli.run("--log-file", log.toString(), "plan", rb.toString());
            assertThat(plan.exit).as(plan.toString()).isZero();
            assertThat(plan.out).contains("phase 1/1 \"x\"");
            Cli after = Cli.run("plan", rb.toString(), "--log-file", log.toString());
            assertThat(after.exit).as(after.toString()).isZero();
        } finally {
            LogSetup.reset();
        }
        assertThat(java.nio.file.Files.readString(log)).contains("\"command\":\"plan\"");
    }
}
