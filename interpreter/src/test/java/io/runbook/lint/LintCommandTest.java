package io.runbook.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `runbook lint` and the lint part of `runbook check`, through the real command line. */
class LintCommandTest {
    @TempDir
    Path dir;

    static final String ERROR = Lint.noTransaction(" do $d$ begin create index concurrently i on orders (a); end $d$ ");
    static final String WARNING = Lint.phase(" alter table orders rename to orders_old ");

    String file(String text) {
        return Files.write(dir, "t.runbook", text).toString();
    }

    @Test
    void warningsExitZeroErrorsExitTwo() {
        Cli w = Cli.run("lint", file(WARNING));
        assertThat(w.exit).as(w.toString()).isEqualTo(ExitCode.OK);
        assertThat(w.out)
                .contains("t.runbook: 1 warning\n")
                .contains("WARNING: RENAME TABLE orders TO orders_old")
                .contains("lint: 0 errors, 1 warning, 0 infos, 0 suppressed (2 statements");
        Cli e = Cli.run("lint", file(ERROR));
        assertThat(e.exit).as(e.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(e.out)
                .contains("ERROR: CREATE INDEX CONCURRENTLY inside a transaction")
                .contains("lint: 1 error,");
    }

    @Test
    void json() {
        Cli r = Cli.run("lint", file(WARNING), "--format", "json");
        assertThat(r.exit).isEqualTo(ExitCode.OK);
        assertThat(r.out)
                .startsWith("{\n  \"files\": [")
                .contains("\"rule\": \"rename\"")
                .contains("\"line\": 3, \"column\": 31")
                .contains("\"counts\": {\"error\": 0, \"warning\": 1, \"info\": 0, \"suppressed\": 0}")
                .contains(
                        "\"statements\": {\"total\": 2, \"parsed\": 1, \"screened\": 1, \"tokens\": 0, \"unanalysed\": 0}");
    }

    @Test
    void showSuppressed() {
        String rb = Lint.phase(
                " select 1;\n      -- runbook:allow rename \"quoted\" reason\n      alter table a rename to b ");
        assertThat(Cli.run("lint", file(rb)).out).doesNotContain("[rename]");
        assertThat(Cli.run("lint", file(rb), "--show-suppressed").out)
                .contains("WARNING (suppressed)")
                .contains("\"quoted\" reason");
        assertThat(Cli.run("lint", file(rb), "--show-suppressed", "--format", "json").out)
                .contains("\"suppressed\": true, \"reason\": \"\\\"quoted\\\" reason\"");
    }

    @Test
    void checkPrintsWarningsButPasses() {
        Cli r = Cli.run("check", file(WARNING));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.err).contains("[rename]");
        assertThat(r.out).startsWith("ok: ");
    }

    @Test
    void checkFailsOnLintErrors() {
        Cli r = Cli.run("check", file(ERROR));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(r.err).contains("[concurrently-in-transaction]");
        assertThat(r.out).doesNotContain("ok:");
    }

    @Test
    void whatTheCheckerRefusesLintRefusesToo() {
        // The checker's own "cannot run inside a transaction" comes first, with the same exit code.
        Cli r = Cli.run("lint", file(Lint.phase(" create index concurrently i on orders (a) ")));
        assertThat(r.exit).isEqualTo(ExitCode.INVALID);
        assertThat(r.err).contains("CREATE INDEX CONCURRENTLY cannot run inside a transaction");
    }
}
