package io.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Files;
import io.runbook.testing.RunbookProcess;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts `runbook run` as a separate process, kills it with SIGKILL at many points (inside a
 * transactional phase, between phases, inside a `no transaction` phase), runs it again, and checks that
 * every phase took effect exactly once and the journal agrees with the database.
 */
class CrashSafetyTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(CrashSafetyTest.class);

    @TempDir
    Path dir;

    private static final String RUNBOOK = """
            runbook "crash" {
              phase "p1" {
                sql $$ create table effects (phase text, n serial) $$
                sql $$ select pg_sleep(0.3), 'kp:p1-a' $$
                sql $$ insert into effects (phase) values ('p1') $$
                sql $$ select pg_sleep(0.3), 'kp:p1-b' $$
              }
              phase "p2" no transaction {
                sql $$ insert into effects (phase) select 'p2-a' where not exists (select 1 from effects where phase = 'p2-a') $$
                sql $$ select pg_sleep(0.3), 'kp:p2-a' $$
                sql $$ insert into effects (phase) select 'p2-b' where not exists (select 1 from effects where phase = 'p2-b') $$
                sql $$ select pg_sleep(0.3), 'kp:p2-b' $$
                verify { expect count $$ select 1 from effects where phase like 'p2-%' $$ == 2 }
              }
              phase "p3" {
                sql $$ select pg_sleep(0.3), 'kp:p3-a' $$
                sql $$ insert into effects (phase) values ('p3') $$
                sql $$ select pg_sleep(0.3), 'kp:p3-b' $$
              }
            }
            """;

    /** A kill point: a query the runner is running, or a phase the journal has recorded as applied. */
    private record KillPoint(String name, String activeMarker, String appliedPhase) {}

    private static final List<KillPoint> POINTS = List.of(
            new KillPoint("inside p1 before its write", "kp:p1-a", null),
            new KillPoint("inside p1 after its write", "kp:p1-b", null),
            new KillPoint("just after p1 committed", null, "p1"),
            new KillPoint("inside no-transaction p2 after its first commit", "kp:p2-a", null),
            new KillPoint("inside no-transaction p2 after its second commit", "kp:p2-b", null),
            new KillPoint("just after p2 completed", null, "p2"),
            new KillPoint("inside p3 before its write", "kp:p3-a", null),
            new KillPoint("inside p3 after its write", "kp:p3-b", null),
            new KillPoint("just after p3 committed", null, "p3"));

    @Test
    void killedAtAnyPointEveryPhaseTakesEffectExactlyOnce() throws Exception {
        Path file = Files.write(dir, "crash.runbook", RUNBOOK);
        List<String> outcomes = new ArrayList<>();
        for (KillPoint point : POINTS) {
            db.reset();
            Process runner = start(file);
            waitUntil(
                    point.name(),
                    () -> point.activeMarker() != null
                            ? "1"
                                    .equals(db.scalar(
                                            "select count(*) from pg_stat_activity where datname = current_database() and application_name like 'runbook%' and state = 'active'"
                                                    + " and query like '%" + point.activeMarker() + "%'"))
                            : "1"
                                            .equals(
                                                    db.scalar(
                                                            "select count(*) from pg_tables where schemaname = 'runbook' and tablename = 'phases'"))
                                    && "1"
                                            .equals(db.scalar(
                                                    "select count(*) from runbook.phases where status = 'applied' and phase = '"
                                                            + point.appliedPhase() + "'")),
                    runner);
            runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            waitUntil(
                    "the killed runner's sessions to end",
                    () -> "0"
                            .equals(
                                    db.scalar(
                                            "select count(*) from pg_stat_activity where datname = current_database() and application_name like 'runbook%'")),
                    null);

            int exit = finish(file);
            outcomes.add(point.name() + " -> " + (exit == ExitCode.OK ? "resumed" : "interrupted phase re-run"));
            assertThat(db.column("select phase from effects order by phase"))
                    .as(point.name())
                    .containsExactly("p1", "p2-a", "p2-b", "p3");
            assertThat(
                            db.column(
                                    "select phase || ':' || count(*) from runbook.phases where status = 'applied' group by phase order by phase"))
                    .as(point.name() + ": the journal records each phase applied once")
                    .containsExactly("p1:1", "p2:1", "p3:1");
        }
        System.out.println(
                "crash safety: " + POINTS.size() + " kill points tried:\n  " + String.join("\n  ", outcomes));
    }

    /** Runs again until complete: an interrupted `no transaction` phase gets --rerun (its statements are idempotent). */
    private int finish(Path file) throws Exception {
        int exit = run(file);
        if (exit == ExitCode.INTERRUPTED) {
            assertThat(run(file, "--rerun", "p2")).isEqualTo(ExitCode.OK);
            return exit;
        }
        assertThat(exit).isEqualTo(ExitCode.OK);
        return exit;
    }

    private Process start(Path file, String... extra) throws IOException {
        return RunbookProcess.run(dir.resolve("runner.log"), file, db.uri(), extra);
    }

    private int run(Path file, String... extra) throws Exception {
        Process p = start(file, extra);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("runner finished").isTrue();
        return p.exitValue();
    }

    private void waitUntil(String what, BooleanSupplier condition, Process runner) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (runner != null && !runner.isAlive()) {
                throw new AssertionError("the runner ended before " + what + ": " + log());
            }
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private String log() {
        return RunbookProcess.log(dir.resolve("runner.log"));
    }
}
