package io.runbook.rehearse;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.PgServer;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `runbook rehearse`: every example is green; a broken rollback is caught with a diff naming what it left behind. */
class RehearseTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(RehearseTest.class);

    @TempDir
    Path dir;

    /** An example's monitoring window (2 hours in week1) is shortened to one round of a second. */
    private Cli rehearse(Path runbook) {
        boolean monitors;
        try {
            monitors = java.nio.file.Files.readString(runbook).contains("param monitor_window");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return monitors
                ? Cli.run(
                        "rehearse",
                        runbook.toString(),
                        "--db",
                        db.uri(),
                        "--param",
                        "monitor_window=1s",
                        "--param",
                        "monitor_every=1s")
                : Cli.run("rehearse", runbook.toString(), "--db", db.uri());
    }

    @Test
    void everyExampleRehearsesGreenAndItsScratchDatabaseIsDropped() throws IOException {
        List<Path> runbooks;
        try (Stream<Path> s = java.nio.file.Files.walk(Files.root().resolve("examples"))) {
            runbooks = s.filter(p -> p.toString().endsWith(".runbook")).sorted().toList();
        }
        assertThat(runbooks).hasSizeGreaterThanOrEqualTo(2);
        List<String> scratch = new java.util.ArrayList<>();
        for (Path rb : runbooks) {
            Cli r = rehearse(rb);
            // this rehearsal's own scratch database (other tests may be rehearsing on the same server meanwhile)
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "in scratch database (runbook_rehearse_[0-9a-f]+)")
                    .matcher(r.out);
            assertThat(m.find()).as(r.toString()).isTrue();
            scratch.add(m.group(1));
            assertThat(r.exit).as(rb + "\n" + r).isEqualTo(ExitCode.OK);
            assertThat(r.out)
                    .contains("rollback restores schema exactly")
                    .contains("after every rollback the schema equals the fixture's")
                    .contains("every phase runs again after its rollback")
                    .contains("exit 0: rehearsal passed");
        }
        assertThat(db.column("select datname from pg_database")).doesNotContainAnyElementsOf(scratch);
    }

    @Test
    void aBrokenRollbackIsCaughtWithTheObjectItLeavesBehind() throws IOException {
        Path copy = copyExample("examgenie");
        Path rollback = copy.resolve("sql/02_rollback.sql");
        String text = java.nio.file.Files.readString(rollback);
        java.nio.file.Files.writeString(rollback, text.replace("DROP TABLE IF EXISTS public.examgenie_grading;", ""));
        Cli r = rehearse(copy.resolve("align.runbook"));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(r.out)
                .contains("ROLLBACK LEAVES THE SCHEMA CHANGED")
                .containsPattern("\\+ table public\\.examgenie_grading")
                .contains("exit 1: rehearsal failed");
    }

    @Test
    void snapshotsCompareTheLiveSchemaInsideARun() {
        db.execute("create table t (id int)");
        Path rb = Files.write(dir, "s.runbook", """
                runbook "snap" {
                  phase "shape" {
                    snapshot "before"
                    sql $$ create index t_id on t (id) $$
                    sql $$ drop index t_id $$
                    expect schema == snapshot "before"
                    sql $$ alter table t add column extra text $$
                    expect schema == snapshot "before"
                  }
                }
                """);
        Cli r = Cli.runFile(null, rb, db.uri());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(r.err)
                .contains("s.runbook:8:5: ERROR: expectation failed: schema == snapshot \"before\"")
                .contains("column public.t.extra");
        assertThat(
                        db.scalar(
                                "select count(*) from information_schema.columns where table_name = 't' and column_name = 'extra'"))
                .isEqualTo("0");
    }

    private Path copyExample(String name) throws IOException {
        Path from = Files.root().resolve("examples").resolve(name);
        Path to = dir.resolve(name);
        try (Stream<Path> s = java.nio.file.Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) java.nio.file.Files.createDirectories(target);
                else java.nio.file.Files.copy(p, target);
            }
        }
        return to;
    }

    static {
        PgServer.ensure();
    }
}
