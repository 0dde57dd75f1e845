package io.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** status, report, plan --db and diff read: they never create or migrate the journal. */
class ReadOnlyCommandsTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(ReadOnlyCommandsTest.class);

    @TempDir
    Path dir;

    Path runbook;

    @BeforeEach
    void write() {
        db.reset();
        runbook = runbook("create table one (id int)");
    }

    private Path runbook(String firstSql) {
        return Files.write(dir, "t.runbook", """
                runbook "readers" {
                  phase "first" {
                    sql $$ %s $$
                  }
                  phase "second" {
                    sql $$ create table two (id int) $$
                  }
                  phase "third" {
                    sql $$ create table three (id int) $$
                  }
                }
                """.formatted(firstSql));
    }

    /** Every schema and relation in the database, and every object a command could have created. */
    private List<String> catalog() {
        return db.column(
                "select 'nsp ' || nspname from pg_namespace union all select 'rel ' || relnamespace::regnamespace || '.' || relname"
                        + " from pg_class where relnamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace,"
                        + " 'pg_toast'::regnamespace) union all select 'proc ' || proname from pg_proc where pronamespace <> 'pg_catalog'::regnamespace"
                        + " and pronamespace <> 'information_schema'::regnamespace order by 1");
    }

    @Test
    void statusOnAnEmptyDatabaseLeavesItEmptyAndSaysThereIsNoJournal() {
        List<String> before = catalog();
        Cli r = Cli.run("status", runbook.toString(), "--db", db.uri());
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.out).contains("no journal (schema runbook)").contains("every phase is pending");
        assertThat(r.out.lines().filter(l -> l.matches("(first|second|third) +pending")))
                .hasSize(3);
        assertThat(catalog()).isEqualTo(before);
    }

    @Test
    void reportAndPlanAndDiffOnAnEmptyDatabaseLeaveItEmpty() {
        List<String> before = catalog();
        Cli report = Cli.run("report", runbook.toString(), "--db", db.uri());
        assertThat(report.exit).as(report.toString()).isEqualTo(2);
        assertThat(report.err).contains("no journal (schema runbook)").contains("no run to report");
        Cli plan = Cli.run("plan", runbook.toString(), "--db", db.uri());
        assertThat(plan.exit).as(plan.toString()).isEqualTo(0);
        assertThat(plan.out).contains("no journal (schema runbook)").contains("a run now would run 3 of 3 phases");
        Cli diff = Cli.run("diff", "--db", db.uri(), "--db", db.uri());
        assertThat(diff.exit).as(diff.toString()).isEqualTo(0);
        assertThat(catalog()).isEqualTo(before);
    }

    @Test
    void planWithDbSaysAppliedPendingAndChangedAndWritesNothing() {
        Cli run = Cli.run("run", runbook.toString(), "--db", db.uri(), "--only", "first", "--yes");
        assertThat(run.exit).as(run.toString()).isEqualTo(0);
        Cli plan = Cli.run("plan", runbook.toString(), "--db", db.uri());
        assertThat(plan.out)
                .as(plan.toString())
                .containsPattern("1/3 \"first\" +applied in run #1 .*: a run skips it")
                .containsPattern("2/3 \"second\" +pending: a run runs it")
                .contains("a run now would run 2 of 3 phases");

        runbook("create table one (id bigint)");
        String journalBefore = db.scalar(
                "select count(*) || '/' || (select count(*) from runbook.phases) || '/' || (select count(*) from runbook.steps) from runbook.runs");
        List<String> catalogBefore = catalog();
        Cli changed = Cli.run("plan", runbook.toString(), "--db", db.uri());
        assertThat(changed.exit).as(changed.toString()).isEqualTo(0);
        assertThat(changed.out)
                .containsPattern(
                        "1/3 \"first\" +CHANGED since it was applied in run #1 .*: a run refuses \\(exit 10\\)");
        Cli status = Cli.run("status", runbook.toString(), "--db", db.uri());
        assertThat(status.out).contains("CHANGED");
        assertThat(
                        db.scalar(
                                "select count(*) || '/' || (select count(*) from runbook.phases) || '/' || (select count(*) from runbook.steps) from runbook.runs"))
                .isEqualTo(journalBefore);
        assertThat(catalog()).isEqualTo(catalogBefore);
    }

    @Test
    void aSystemSchemaForTheJournalIsInvalidInput() {
        for (String command : new String[] {"run", "status"}) {
            Cli r = Cli.run(command, runbook.toString(), "--db", db.uri(), "--journal-schema", "pg_catalog", "--yes");
            if (command.equals("status"))
                r = Cli.run(command, runbook.toString(), "--db", db.uri(), "--journal-schema", "pg_catalog");
            assertThat(r.exit).as(r.toString()).isEqualTo(2);
            assertThat(r.err)
                    .contains("--journal-schema \"pg_catalog\" is a system schema name")
                    .doesNotContain("ERROR: ERROR:");
        }
        assertThat(db.tableExists("one")).isFalse();
    }
}
