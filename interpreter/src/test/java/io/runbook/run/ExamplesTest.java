package io.runbook.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every example runs green on its fixture; the same example with one expectation changed fails, and
 * the database is left exactly as it was before the failing phase.
 */
class ExamplesTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forEachTest(ExamplesTest.class);

    private static Path example(String path) {
        return Files.root().resolve("examples").resolve(path);
    }

    /** The examples' monitoring windows (2 hours in week1) shortened to one round of a second. */
    private static final String[] SHORT_MONITOR = {"--param", "monitor_window=1s", "--param", "monitor_every=1s"};

    private Cli run(String runbook, String... extra) {
        String[] args = new String[extra.length + 1 + SHORT_MONITOR.length];
        args[0] = "--yes";
        System.arraycopy(SHORT_MONITOR, 0, args, 1, SHORT_MONITOR.length);
        System.arraycopy(extra, 0, args, 1 + SHORT_MONITOR.length, extra.length);
        return Cli.runFile(null, example(runbook), db.uri(), args);
    }

    @Test
    void examgenieRunsGreen() {
        db.load(example("examgenie/fixture.sql"));
        Cli r = run("examgenie/align.runbook");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(db.tableExists("examgenie_grading")).isTrue();
        assertThat(db.tableExists("exams")).isFalse();
        assertThat(db.scalar("select count(*) from pg_type where typname = 'exam_status'"))
                .isEqualTo("0");
    }

    @Test
    void examgenieWithAChangedExpectationLeavesTheFixtureUntouched() {
        db.load(example("examgenie/fixture.sql"));
        List<String> before = db.schema();
        Cli r = run("examgenie/align.runbook", "--param", "expected_tables_after=5");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(r.err).contains("expected: count $$").contains("== 5").contains("actual:   4");
        assertThat(db.schema()).isEqualTo(before);
    }

    @Test
    void week1RunsGreen() {
        db.load(example("week1-cleanup/fixture.sql"));
        Cli r = run("week1-cleanup/week1.runbook");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(
                        db.scalar(
                                "select count(*) from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'"))
                .isEqualTo("43");
        assertThat(db.scalar("select count(*) from pg_policies where schemaname = 'public'"))
                .isEqualTo("18");
    }

    @Test
    void week1WithAChangedExpectationKeepsOnlyTheCommittedPhase() {
        db.load(example("week1-cleanup/fixture.sql"));
        Cli first = run("week1-cleanup/week1.runbook", "--only", "011: fix migration conflicts");
        assertThat(first.exit).as(first.toString()).isEqualTo(ExitCode.OK);
        List<String> after011 = db.schema();

        db.reset();
        db.load(example("week1-cleanup/fixture.sql"));
        Cli r = run("week1-cleanup/week1.runbook", "--param", "expected_fks_after=41");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(r.out).contains("failed, rolled back");
        assertThat(db.schema()).isEqualTo(after011);
    }

    @Test
    void week1FailureWithRollbackRestoresTheFixtureSchema() {
        db.load(example("week1-cleanup/fixture.sql"));
        List<String> fixture = db.schema();
        Cli r = run("week1-cleanup/week1.runbook", "--param", "expected_fks_after=41", "--on-failure", "rollback");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(db.schema()).isEqualTo(fixture);
    }

    @Test
    void examplesPassCheck() {
        for (String rb : List.of("examgenie/align.runbook", "week1-cleanup/week1.runbook")) {
            Cli r = Cli.run("check", example(rb).toString());
            assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        }
    }
}
