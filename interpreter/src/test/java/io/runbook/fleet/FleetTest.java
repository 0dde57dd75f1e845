package io.runbook.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.journal.Journal;
import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.LocalServers;
import io.runbook.testing.RunbookProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet against three PostgreSQL servers of its own with 105 databases: a failing canary, a halt and a resume,
 * a kill -9 of the fleet process, and shards. Every scenario has its own runbook (and table), so they share the
 * databases without seeing each other's work; each ends by checking every target's journal and data.
 */
class FleetTest {
    static final int PER_SERVER = 35;
    static LocalServers servers;
    static final List<String> NAMES = new ArrayList<>();
    static final Map<String, LocalServers.Server> SERVER_OF = new HashMap<>();

    @TempDir
    static Path dir;

    static Path targets;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        StringBuilder file = new StringBuilder("# 105 tenants on three servers\n\n");
        List<List<String>> names = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            names.add(new ArrayList<>());
            for (int i = 0; i < PER_SERVER; i++)
                names.get(s).add(String.format(Locale.ROOT, "tenant_%03d", i * 3 + s + 1));
        }
        servers = new LocalServers(3, names);
        for (int s = 0; s < 3; s++)
            for (String n : names.get(s)) SERVER_OF.put(n, servers.servers().get(s));
        for (int i = 1; i <= 3 * PER_SERVER; i++) {
            String n = String.format(Locale.ROOT, "tenant_%03d", i);
            NAMES.add(n);
            file.append(n)
                    .append("  ")
                    .append(SERVER_OF.get(n).uri(n))
                    .append("   # server ")
                    .append((i - 1) % 3 + 1)
                    .append('\n');
        }
        targets = dir.resolve("targets.txt");
        Files.writeString(targets, file);
        System.out.printf(
                Locale.ROOT,
                "fleet tests: 3 servers and %d databases ready in %.1fs%n",
                NAMES.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    @BeforeAll
    static void anEmptyRunbook() throws Exception {
        Files.writeString(
                dir.resolve("none.runbook"),
                "runbook \"from a query\" {\n  phase \"one\" {\n    sql $$ select 1 $$\n  }\n}\n");
    }

    @AfterAll
    static void stop() {
        if (servers != null) servers.close();
    }

    /** Three phases that create, fill and index a table; phase "seed" can be made slow or made to fail. */
    static Path runbook(String name, String table, String seedExtra) throws Exception {
        Path f = dir.resolve(name + ".runbook");
        Files.writeString(f, """
                import "stdlib/catalog"

                runbook "%1$s" {
                  preflight {
                    check "the server answers" { expect count $$ select 1 $$ == 1 }
                    confirm "Maintenance window open on every tenant?" typing "tenants"
                  }
                  phase "create" {
                    sql $$ create table %2$s (id bigint primary key, email text not null) $$
                    verify { expect table_exists("%2$s") }
                  }
                  phase "seed" {
                    sql $$ insert into %2$s select g, 'user' || g || '@example.com' from generate_series(1, 100) g $$ expect affected == 100
                    %3$s
                  }
                  phase "index" {
                    sql $$ create unique index %2$s_email on %2$s (email) $$
                  }
                }
                """.formatted(name, table, seedExtra));
        return f;
    }

    static Cli fleet(String... args) {
        return Cli.run(null, Map.of(), args);
    }

    /** Every target: each phase applied exactly once in its journal, the table full, the confirmation journaled. */
    static void assertAppliedExactlyOnce(String runbook, String table) {
        for (String n : NAMES) {
            LocalServers.Server s = SERVER_OF.get(n);
            assertThat(LocalServers.column(
                            s,
                            n,
                            "select phase || ':' || count(*) from runbook.phases where runbook = '" + runbook
                                    + "' and status = 'applied' group by phase order by phase"))
                    .as(n + ": each phase applied once")
                    .containsExactly("create:1", "index:1", "seed:1");
            assertThat(LocalServers.column(s, n, "select count(*) from " + table))
                    .as(n + ": the data")
                    .containsExactly("100");
            assertThat(LocalServers.column(
                            s,
                            n,
                            "select answered_by from runbook.steps st join runbook.runs r on r.id = st.run_id"
                                    + " where r.runbook = '" + runbook + "' and st.kind = 'confirm'"))
                    .as(n + ": who confirmed, in each run that asked")
                    .isNotEmpty()
                    .allMatch(by -> by.startsWith("--yes, once for the fleet at "));
        }
    }

    /** Targets whose journal has any run of this runbook. */
    static List<String> touched(String runbook) {
        return touched(runbook, NAMES);
    }

    static List<String> touched(String runbook, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            LocalServers.Server s = SERVER_OF.get(n);
            boolean journal = !LocalServers.column(s, n, "select to_regclass('runbook.runs')")
                    .contains(null);
            if (journal
                    && !LocalServers.column(s, n, "select 1 from runbook.runs where runbook = '" + runbook + "'")
                            .isEmpty()) out.add(n);
        }
        return out;
    }

    @Test
    void aFailingCanaryTouchesNoOtherTarget() throws Exception {
        Path rb = runbook("canary fails", "canary_t", "sql $$ select 1 / 0 $$");
        Cli r = fleet("fleet", "run", rb.toString(), "--targets", targets.toString(), "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(r.out)
                .contains("canary tenant_001 failed at phase \"seed\": no other target was started")
                .contains("division by zero")
                .contains("0 of 105 applied, 1 failed, 104 not run");
        assertThat(touched("canary fails")).containsExactly("tenant_001");
        for (String n : NAMES.subList(1, NAMES.size())) {
            assertThat(LocalServers.column(SERVER_OF.get(n), n, "select to_regclass('canary_t')"))
                    .as(n)
                    .containsExactly((String) null);
        }
    }

    @Test
    void oneBadTargetHaltsTheFleetAndARerunAppliesEveryTargetOnce() throws Exception {
        Path rb = runbook("halt and resume", "halt_t", "");
        LocalServers.execute(SERVER_OF.get("tenant_050"), "tenant_050", "create table halt_t (id int)");
        Path junit = dir.resolve("halt.xml");
        Path md = dir.resolve("halt.md");
        Cli first = fleet(
                "fleet",
                "run",
                rb.toString(),
                "--targets",
                targets.toString(),
                "--yes",
                "--parallel",
                "4",
                "--junit",
                junit.toString(),
                "--report",
                md.toString());
        assertThat(first.exit).as(first.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(first.out)
                .contains("tenant_050  failed at phase \"create\"")
                .contains("the fleet halted: 1 target(s) failed, more than --max-failures 0")
                .contains("relation \"halt_t\" already exists");
        List<String> touched = touched("halt and resume");
        assertThat(touched).contains("tenant_001", "tenant_050").doesNotContain("tenant_105");
        assertThat(touched.size())
                .as("targets started before the halt: the waves before and the one running")
                .isLessThan(60);
        String xml = Files.readString(junit);
        assertThat(xml.split("<testsuite ", -1)).hasSize(106);
        assertThat(xml).contains("<testsuite name=\"tenant_050\"").contains("failed at phase &quot;create&quot;");
        assertThat(Files.readString(md))
                .contains("## tenant_050: failed at phase \"create\"")
                .contains("## tenant_105: not started");

        Cli status = fleet("fleet", "status", rb.toString(), "--targets", targets.toString());
        assertThat(status.exit).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(status.out)
                .containsPattern("tenant_050 +failed at phase \"create\"")
                .containsPattern("tenant_105 +pending");

        LocalServers.execute(SERVER_OF.get("tenant_050"), "tenant_050", "drop table halt_t");
        Cli again = fleet("fleet", "run", rb.toString(), "--targets", targets.toString(), "--yes", "--parallel", "4");
        assertThat(again.exit).as(again.toString()).isEqualTo(ExitCode.OK);
        assertThat(again.out).contains("tenant_001  already applied").contains("105 of 105 applied");
        assertAppliedExactlyOnce("halt and resume", "halt_t");
        Cli json = fleet("fleet", "status", rb.toString(), "--targets", targets.toString(), "--json");
        assertThat(json.exit).isEqualTo(ExitCode.OK);
        assertThat(json.out).contains("\"applied\" : 105", "\"total\" : 105");
    }

    @Test
    void killMinus9MidWaveThenARerunAppliesEveryTargetOnce() throws Exception {
        Path rb = runbook("killed", "killed_t", "sql $$ select pg_sleep(0.05) $$");
        Process p = start(rb, "--parallel", "4");
        int applied = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (applied < 20 && (line = out.readLine()) != null) {
                if (line.matches("\\s+ok tenant_\\d+  applied.*")) applied++;
            }
        }
        assertThat(applied)
                .as("the fleet process printed 20 applied targets before it was killed")
                .isEqualTo(20);
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        waitUntilServersNoticed();
        Cli status = fleet("fleet", "status", rb.toString(), "--targets", targets.toString());
        assertThat(status.exit).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(status.out).containsPattern("tenant_001 +applied");

        // Ctrl-C once: no new target starts, the running ones finish their phase; the process ends by itself.
        Process interrupted = start(rb, "--parallel", "4");
        StringBuilder log = new StringBuilder();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(interrupted.getInputStream(), StandardCharsets.UTF_8))) {
            int more = 0;
            boolean sent = false;
            String line;
            while ((line = out.readLine()) != null) {
                log.append(line).append('\n');
                if (line.matches("\\s+ok tenant_\\d+  applied.*") && ++more == 10 && !sent) {
                    sent = true;
                    assertThat(new ProcessBuilder("kill", "-INT", String.valueOf(interrupted.pid()))
                                    .start()
                                    .waitFor())
                            .isZero();
                }
            }
        }
        assertThat(interrupted.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted.exitValue()).as(log.toString()).isEqualTo(ExitCode.ABORTED);
        assertThat(log)
                .contains("Ctrl-C: no new target starts")
                .contains("the fleet halted: Ctrl-C")
                .containsPattern("not started")
                .doesNotContain("FAIL");

        Cli again = fleet("fleet", "run", rb.toString(), "--targets", targets.toString(), "--yes", "--parallel", "4");
        assertThat(again.exit).as(again.toString()).isEqualTo(ExitCode.OK);
        assertAppliedExactlyOnce("killed", "killed_t");
    }

    @Test
    void targetsFromAQueryOnAServer() {
        LocalServers.Server first = servers.servers().get(0);
        Cli r = fleet(
                "fleet",
                "status",
                dir.resolve("none.runbook").toString(),
                "--db",
                first.uri("postgres"),
                "--targets-query",
                "select datname from pg_database where datname like 'tenant\\_%' order by datname");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(r.out)
                .contains("0 of 35 targets applied")
                .containsPattern("tenant_001 +pending")
                .doesNotContain("tenant_002");
    }

    @Test
    void shardsSplitTheFleetAndTwoRunnersOfOneShardNeverRunATargetTwice() throws Exception {
        Path rb = runbook("sharded", "shard_t", "");
        Process one = start(rb, "--shard", "1/2");
        Process two = start(rb, "--shard", "2/2");
        Process oneAgain = start(rb, "--shard", "1/2");
        Map<String, String> byOne = outcomes(one);
        Map<String, String> byTwo = outcomes(two);
        Map<String, String> byOneAgain = outcomes(oneAgain);
        assertThat(byOne).isNotEmpty();
        assertThat(byTwo).isNotEmpty();
        assertThat(byOne.keySet()).as("the two shards are disjoint").doesNotContainAnyElementsOf(byTwo.keySet());
        assertThat(byOne.size() + byTwo.size()).as("and cover the fleet").isEqualTo(NAMES.size());
        assertThat(byOneAgain.keySet()).isEqualTo(byOne.keySet());
        for (String t : byOne.keySet()) {
            List<String> both = List.of(byOne.get(t), byOneAgain.get(t));
            assertThat(both)
                    .as(t + ": applied by exactly one runner of shard 1/2")
                    .containsOnlyOnce("applied")
                    .containsAnyOf("already applied", "running elsewhere");
        }
        assertThat(byTwo.values()).containsOnly("applied");
        assertAppliedExactlyOnce("sharded", "shard_t");
    }

    /** A targets file of some of the fleet's targets, in this order. */
    static Path targetsOf(String file, List<String> names) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String n : names)
            sb.append(n).append(' ').append(SERVER_OF.get(n).uri(n)).append('\n');
        return Files.writeString(dir.resolve(file), sb);
    }

    static String oneValue(String target, String sql) {
        return LocalServers.column(SERVER_OF.get(target), target, sql).get(0);
    }

    @Test
    void statusOnTargetsThatNeverRanCreatesNothing() throws Exception {
        LocalServers.Server s = servers.servers().get(0);
        LocalServers.execute(s, "postgres", "create database never_ran_1");
        LocalServers.execute(s, "postgres", "create database never_ran_2");
        Path file = Files.writeString(
                dir.resolve("never.txt"), "one " + s.uri("never_ran_1") + "\ntwo " + s.uri("never_ran_2") + "\n");
        Cli r = fleet("fleet", "status", runbook("never", "never_t", "").toString(), "--targets", file.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(r.out).containsPattern("one +pending\n").containsPattern("two +pending\n");
        Cli json = fleet(
                "fleet", "status", dir.resolve("never.runbook").toString(), "--targets", file.toString(), "--json");
        assertThat(json.out).contains("\"state\" : \"pending\"", "\"phase\" : \"create\"", "\"applied\" : 0");
        for (String db : List.of("never_ran_1", "never_ran_2")) {
            assertThat(LocalServers.column(s, db, "select count(*) from pg_namespace where nspname = 'runbook'"))
                    .as(db + ": status is read-only, it creates no journal")
                    .containsExactly("0");
        }
    }

    @Test
    void maxFailuresLetsThatManyTargetsFailBeforeTheFleetHalts() throws Exception {
        Path rb = runbook("max failures", "maxf_t", "");
        for (String bad : List.of("tenant_003", "tenant_006", "tenant_009"))
            LocalServers.execute(SERVER_OF.get(bad), bad, "create table maxf_t (id int)");
        Path file = targetsOf("twelve.txt", NAMES.subList(0, 12));
        // One at a time, so which targets started is exact: the halt comes with the third failure.
        Cli r = fleet(
                "fleet",
                "run",
                rb.toString(),
                "--targets",
                file.toString(),
                "--yes",
                "--parallel",
                "1",
                "--max-failures",
                "2");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(r.out)
                .contains("the fleet halted: 3 target(s) failed, more than --max-failures 2")
                .containsPattern("tenant_006 +failed at phase \"create\"")
                .containsPattern("tenant_010 +not started")
                .contains("6 of 12 applied, 3 failed, 3 not run");
        assertThat(touched("max failures")).containsExactlyElementsOf(NAMES.subList(0, 9));
    }

    @Test
    void aTargetLockedByAnotherRunnerIsRunningElsewhereAndNotRun() throws Exception {
        Path rb = runbook("elsewhere", "elsewhere_t", "");
        Path file = targetsOf("six.txt", NAMES.subList(0, 6));
        // Another runner, as `runbook run` takes it: the runbook's lock in tenant_001, held until this test lets go.
        try (Connection other = LocalServers.connect(SERVER_OF.get("tenant_001"), "tenant_001")) {
            Journal journal = new Journal(other, "runbook");
            journal.ensure();
            assertThat(journal.tryLock("elsewhere", "alice", "ci-runner-7")).isNull();
            Cli r = fleet("fleet", "run", rb.toString(), "--targets", file.toString(), "--yes");
            assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.LOCKED);
            assertThat(r.out)
                    .as("the locked canary is replaced by the next target")
                    .contains("canary: tenant_001")
                    .contains("canary: tenant_002")
                    .containsPattern("tenant_001 +running elsewhere.*by alice on ci-runner-7")
                    .contains("5 of 6 applied");
            assertThat(LocalServers.column(
                            SERVER_OF.get("tenant_001"), "tenant_001", "select to_regclass('elsewhere_t')"))
                    .containsExactly((String) null);
        }
        Cli again = fleet("fleet", "run", rb.toString(), "--targets", file.toString(), "--yes");
        assertThat(again.exit).as(again.toString()).isEqualTo(ExitCode.OK);
        assertThat(again.out).containsPattern("tenant_001 +applied").containsPattern("tenant_002 +already applied");
    }

    @Test
    void maxConnectionsBoundsTheConnectionsOnEachServer() throws Exception {
        // Every phase samples the runbook connections open on its server, at its start and after the others had
        // time to start theirs; the samples are the evidence, kept in each target's own table.
        String sample = "select count(*) from pg_stat_activity where application_name like 'runbook%'";
        Path rb = dir.resolve("bounded.runbook");
        Files.writeString(
                rb, """
                runbook "bounded" {
                  phase "sample" {
                    sql $$ create table bounded_t as %1$s $$
                    sql $$ select pg_sleep(0.3) $$
                    sql $$ select pg_stat_clear_snapshot() $$
                    sql $$ insert into bounded_t %1$s $$
                  }
                }
                """.formatted("select count(*) n from pg_stat_activity where application_name like 'runbook%'"));
        LocalServers.Server first = servers.servers().get(0);
        List<String> onFirst =
                NAMES.stream().filter(n -> SERVER_OF.get(n) == first).limit(12).toList();
        Path file = targetsOf("one-server.txt", onFirst);
        Cli r = fleet(
                "fleet",
                "run",
                rb.toString(),
                "--targets",
                file.toString(),
                "--yes",
                "--canary",
                "0",
                "--parallel",
                "6",
                "--max-connections",
                "4");
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out).contains("at most 4 connections per server");
        List<Integer> samples = new ArrayList<>();
        for (String n : onFirst)
            for (String v : LocalServers.column(first, n, "select n from bounded_t")) samples.add(Integer.parseInt(v));
        assertThat(samples)
                .as("connections on the server, sampled by every target")
                .hasSize(24);
        // A finished target's sessions can still show for a moment after its client closed them (the server ends
        // the backend on its own schedule, slowly on a loaded machine), so one sample may count one more. Without
        // the limit, six targets at once hold twelve.
        assertThat(samples).as("" + samples).allMatch(n -> n <= 5);
        assertThat(samples.stream().filter(n -> n > 4).count())
                .as("samples over the limit: " + samples)
                .isLessThanOrEqualTo(2);
        assertThat(LocalServers.column(first, "postgres", sample)).containsExactly("0");
    }

    @Test
    void aSecondCtrlCCancelsTheRunningTargetsAndEachRollsBackItsPhase() throws Exception {
        Path rb = dir.resolve("cancelled.runbook");
        Files.writeString(rb, """
                runbook "cancelled" {
                  phase "slow" {
                    sql $$ create table cancelled_t (id int) $$
                    sql $$ select pg_sleep(600) $$
                  }
                }
                """);
        List<String> eight = NAMES.subList(0, 8);
        Process p = start(targetsOf("eight.txt", eight), rb, "--canary", "0", "--parallel", "4");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuffer log = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.append(line).append('\n');
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                log.append(e).append('\n');
            }
        });
        reader.start();
        try {
            String sleeping =
                    "select count(*) from pg_stat_activity where state = 'active' and query like '%pg_sleep(600)%'"
                            + " and application_name like 'runbook%'";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (servers.servers().stream()
                            .mapToInt(s -> Integer.parseInt(
                                    LocalServers.column(s, "postgres", sleeping).get(0)))
                            .sum()
                    < 4) {
                assertThat(System.nanoTime())
                        .as("4 targets in their slow phase\n" + log)
                        .isLessThan(deadline);
                assertThat(p.isAlive()).as(log.toString()).isTrue();
                Thread.onSpinWait();
            }
            sigint(p);
            waitForLine(lines, "Ctrl-C: no new target starts", log);
            sigint(p);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(log.toString()).isTrue();
            reader.join();
        } finally {
            p.destroyForcibly();
        }
        assertThat(log).contains("Ctrl-C again: cancelling the running targets");
        assertThat(p.exitValue()).as(log.toString()).isEqualTo(ExitCode.ABORTED);
        assertThat(log.toString().split("\n"))
                .as("the four cancelled targets are stopped, not failed")
                .filteredOn(l -> l.matches("\\s+-- tenant_\\d+  stopped .*cancelled by the operator.*"))
                .hasSize(4);
        List<String> touched = touched("cancelled", eight);
        assertThat(touched)
                .as("the four running when Ctrl-C came; no other started\n" + log)
                .hasSize(4);
        for (String n : touched) {
            assertThat(oneValue(n, "select to_regclass('cancelled_t')"))
                    .as(n + ": the cancelled phase rolled back")
                    .isNull();
            assertThat(oneValue(
                            n,
                            "select count(*) from runbook.phases where runbook = 'cancelled' and status = 'applied'"))
                    .isEqualTo("0");
        }
        waitUntilServersNoticed();
    }

    private static void sigint(Process p) throws Exception {
        assertThat(new ProcessBuilder("kill", "-INT", String.valueOf(p.pid()))
                        .start()
                        .waitFor())
                .isZero();
    }

    private static void waitForLine(BlockingQueue<String> lines, String text, CharSequence log) throws Exception {
        for (; ; ) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("waiting for \"" + text + "\"\n" + log).isNotNull();
            if (line.contains(text)) return;
        }
    }

    private Process start(Path rb, String... extra) throws Exception {
        return start(targets, rb, extra);
    }

    private Process start(Path targetsFile, Path rb, String... extra) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("fleet", "run", rb.toString(), "--targets", targetsFile.toString(), "--yes"));
        args.addAll(List.of(extra));
        return new ProcessBuilder(RunbookProcess.command(args.toArray(String[]::new)))
                .redirectErrorStream(true)
                .start();
    }

    private static final Pattern OUTCOME = Pattern.compile(
            "\\s+(?:ok|FAIL|--) (tenant_\\d+)  (applied|already applied|running elsewhere|failed.*?)  .*");

    /** What one fleet process said about each of its targets, after it ended. */
    private static Map<String, String> outcomes(Process p) throws Exception {
        Map<String, String> out = new HashMap<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                all.append(line).append('\n');
                Matcher m = OUTCOME.matcher(line);
                if (m.matches()) out.put(m.group(1), m.group(2));
            }
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(all.toString()).isIn(ExitCode.OK, ExitCode.LOCKED);
        return out;
    }

    /** After a kill -9 the servers end the dead runner's sessions (and locks) once they notice the closed sockets. */
    private static void waitUntilServersNoticed() {
        for (LocalServers.Server s : servers.servers()) {
            while (!LocalServers.column(
                            s,
                            "postgres",
                            "select count(*) from pg_stat_activity where application_name like 'runbook%'")
                    .equals(List.of("0"))) {
                Thread.onSpinWait();
            }
        }
    }
}
