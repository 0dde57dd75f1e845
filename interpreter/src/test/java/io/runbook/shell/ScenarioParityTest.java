package io.runbook.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.run.Prompter;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One engine, two front ends: each scenario in src/test/resources/scenarios (a runbook with its expectations
 * in `# key: value` comments) runs through `runbook run` and through the shell (`run` until done or failed,
 * then `rollback` of an open phase, as run does), and both must end with the same database state and the
 * same journal rows.
 */
class ScenarioParityTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(ScenarioParityTest.class);

    @TempDir
    Path dir;

    /** The expectations written in the scenario's comments. */
    record Scenario(Path file, String name, Map<String, String> keys) {
        String get(String key, String otherwise) {
            return keys.getOrDefault(key, otherwise);
        }

        boolean answer() {
            return !get("answer", "yes").equals("no");
        }

        static Scenario read(Path file) {
            try {
                Map<String, String> keys = new java.util.LinkedHashMap<>();
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    var m = Pattern.compile("^# ([a-z-]+): (.*)$").matcher(line);
                    if (m.matches()) keys.put(m.group(1), m.group(2).strip());
                }
                String name = file.getFileName().toString().replace(".runbook", "");
                return new Scenario(file, name, keys);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What a scenario left: the journal's phase rows, the work's step rows of the last run, and the database state. */
    record Outcome(int exit, List<String> phases, List<String> steps, List<String> state) {}

    @TestFactory
    Stream<DynamicTest> everyScenarioEndsTheSameThroughRunAndThroughTheShell() throws IOException {
        Path folder = Files.root().resolve("interpreter/src/test/resources/scenarios");
        try (Stream<Path> files = java.nio.file.Files.list(folder)) {
            List<Scenario> all = files.filter(p -> p.toString().endsWith(".runbook"))
                    .sorted()
                    .map(Scenario::read)
                    .toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(6);
            return all.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s)));
        }
    }

    private void check(Scenario s) {
        Outcome run = viaRun(s);
        Outcome shell = viaShell(s);
        assertThat(run.exit()).as("runbook run exit").isEqualTo(Integer.parseInt(s.get("expect-exit", "0")));
        assertThat(run.phases())
                .as("journal after runbook run")
                .containsExactlyElementsOf(
                        Arrays.stream(s.get("expect-phases", "").split(",\\s*"))
                                .filter(x -> !x.isBlank())
                                .toList());
        assertThat(shell.phases()).as("journal phases: shell vs run").isEqualTo(run.phases());
        assertThat(shell.state()).as("database state: shell vs run").isEqualTo(run.state());
        assertThat(shell.steps()).as("journal steps: shell vs run").isEqualTo(run.steps());
    }

    private void prepare(Scenario s) {
        db.reset();
        String before = s.get("before", null);
        if (before != null) {
            List<String> args = new ArrayList<>(List.of("--yes"));
            args.addAll(Arrays.asList(before.split("\\s+")));
            Cli r = Cli.runFile(null, s.file(), db.uri(), args.toArray(String[]::new));
            assertThat(r.exit).as(r.toString()).isZero();
        }
        String then = s.get("then-sql", null);
        if (then != null) db.execute(then);
    }

    private Outcome viaRun(Scenario s) {
        prepare(s);
        Cli r;
        if (s.get("mode", "").equals("rollback")) {
            assertThat(Cli.runFile(null, s.file(), db.uri(), "--yes").exit).isZero();
            r = Cli.run("rollback", s.file().toString(), "--db", db.uri(), "--yes");
        } else {
            Prompter operator = new Prompter() {
                public Answer confirm(String question, String typing) {
                    return new Answer(s.answer(), "tester at the terminal");
                }

                public boolean canAsk() {
                    return true;
                }
            };
            r = Cli.runFile(() -> operator, s.file(), db.uri(), "--on-failure", "stop");
        }
        return outcome(s, r.exit);
    }

    private static final Pattern QUESTION_OR_PROMPT = Pattern.compile("\\[y/N\\] |" + ShellDriver.PROMPT.pattern());

    private Outcome viaShell(Scenario s) {
        prepare(s);
        if (s.get("mode", "").equals("rollback"))
            assertThat(Cli.runFile(null, s.file(), db.uri(), "--yes").exit).isZero();
        try (ShellDriver sh =
                ShellDriver.start(s.file().toString(), "--db", db.uri(), "--history=" + dir.resolve("history"))) {
            sh.prompt();
            if (s.get("mode", "").equals("rollback")) {
                command(sh, "rollback 1", true);
            } else {
                for (int i = 0; i < 10; i++) {
                    String out = command(sh, "run", s.answer());
                    if (out.contains("every phase is applied")) break;
                    if (out.contains("ERROR")) {
                        if (out.endsWith("=*> ") || out.endsWith("=!> ")) command(sh, "rollback", true);
                        break;
                    }
                }
            }
            sh.quit();
        }
        return outcome(s, -1);
    }

    /** Types a command, answering its questions; returns what it printed up to the next prompt. */
    private static String command(ShellDriver sh, String line, boolean answer) {
        sh.type(line + "\n");
        StringBuilder seen = new StringBuilder();
        while (true) {
            String out = sh.waitFor(QUESTION_OR_PROMPT);
            seen.append(out);
            if (!out.endsWith("[y/N] ")) return seen.toString();
            sh.type((answer ? "y" : "n") + "\n");
        }
    }

    private Outcome outcome(Scenario s, int exit) {
        List<String> phases = db.column("select phase || ' ' || status from runbook.phases order by id");
        List<String> steps = db.column("""
                select coalesce(phase, '-') || ' | ' || block || ' | ' || kind || ' | ' || coalesce(label, '-') || ' | ' || status
                       || ' | ' || coalesce(affected::text, '-')
                from runbook.steps
                where run_id = (select max(id) from runbook.runs)
                  and kind in ('sql', 'expect', 'check', 'batch', 'monitor', 'sh', 'confirm', 'let', 'echo')
                order by id""");
        List<String> state = new ArrayList<>(db.schema());
        String query = s.get("expect-state", null);
        if (query != null) state.add(query + " -> " + db.column(query));
        return new Outcome(exit, phases, steps, List.copyOf(state));
    }
}
