package io.runbook.stdlib;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs stdlib functions the way operators do: `expect` lines in a runbook, run in-process with `runbook run`. */
final class Stdlib {
    private Stdlib() {}

    private static final AtomicInteger SEQ = new AtomicInteger();

    /**
     * A runbook importing stdlib/catalog and stdlib/ops whose read-only preflight holds one `expect` per line,
     * followed by a phase that only echoes. Each runbook gets a name of its own, so that a journal of earlier
     * runs in the test database never makes the run skip anything.
     */
    static String preflight(String... expects) {
        StringBuilder sb = new StringBuilder("import \"stdlib/catalog\"\nimport \"stdlib/ops\"\n\nrunbook \""
                + uniqueName() + "\" {\n  preflight {\n");
        for (String e : expects) sb.append("    expect ").append(e).append('\n');
        return sb.append("  }\n  phase \"checked\" { echo \"checked\" }\n}\n").toString();
    }

    /** A runbook name not used before in this JVM. */
    static String uniqueName() {
        return "stdlib test " + SEQ.incrementAndGet();
    }

    /** Runs a whole runbook text against the database. */
    static Cli run(TestDatabase db, Path dir, String runbook) {
        return Cli.runFile(null, Files.write(dir, "t.runbook", runbook), db.uri(), "--yes");
    }

    /** Runs the expectations in a read-only preflight and asserts that all of them held. */
    static Cli expectAll(TestDatabase db, Path dir, String... expects) {
        Cli r = run(db, dir, preflight(expects));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out).as(r.toString()).contains("preflight (read-only)").contains("exit 0: completed");
        return r;
    }

    /** Runs one expectation that must fail; returns the run for its message. */
    static Cli expectFails(TestDatabase db, Path dir, String expect) {
        Cli r = run(db, dir, preflight(expect));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        return r;
    }
}
