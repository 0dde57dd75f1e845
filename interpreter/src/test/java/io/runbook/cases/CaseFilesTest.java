package io.runbook.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Golden;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The language's behaviour, one runbook file per rule: src/test/resources/cases/**.runbook, each with its
 * expectations in comments (jlox-style), run through the real command line.
 * <pre>
 * # command: check            (default; also plan, lint, or run: against a fresh PostgreSQL database, with --yes)
 * # expect-error: 4:15 text    a diagnostic at line 4, column 15 of this file whose message contains text
 * # expect-error: f.sql:4:15 text  the same in another file (a fixture), relative to this file's directory
 * # expect-exit: 1             the exit code (default: 2 when errors are expected, else 0)
 * # expect-output: text        a line of the output (stdout or stderr) contains text
 * # expect-golden              the whole error output equals NAME.expected next to the case (see Golden)
 * </pre>
 * Errors are counted: every error of this file must be expected. Files without expectations are fixtures
 * that cases import or name.
 */
class CaseFilesTest {
    private static final Pattern DIRECTIVE = Pattern.compile(
            "^\\s*(?:#|--)\\s*(command|expect-error|expect-exit|expect-output|expect-golden)\\s*:?\\s*(.*)$");
    private static final Pattern ERROR_AT = Pattern.compile("(?:([^\\s:]+):)?(\\d+):(\\d+)\\s+(.*)");

    record Case(
            Path file,
            String name,
            String command,
            List<String> errors,
            Integer exit,
            List<String> outputs,
            boolean golden) {
        boolean isCase() {
            return !errors.isEmpty() || exit != null || !outputs.isEmpty() || golden;
        }
    }

    @TestFactory
    Stream<DynamicTest> cases() throws IOException {
        Path root = resources();
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".runbook"))
                    .sorted()
                    .toList()) {
                Case c = read(p, root.relativize(p).toString());
                if (c.isCase()) cases.add(c);
            }
        }
        assertThat(cases).as("case files under %s", root).hasSizeGreaterThanOrEqualTo(150);
        return cases.stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), c.file().toUri(), () -> run(c)));
    }

    static Case read(Path file, String name) throws IOException {
        String command = "check";
        List<String> errors = new ArrayList<>();
        Integer exit = null;
        List<String> outputs = new ArrayList<>();
        boolean golden = false;
        // Leniently decoded: some cases are deliberately not UTF-8.
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            Matcher m = DIRECTIVE.matcher(line);
            if (!m.matches()) continue;
            String value = m.group(2).strip();
            switch (m.group(1)) {
                case "command" -> command = value;
                case "expect-error" -> errors.add(value);
                case "expect-exit" -> exit = Integer.valueOf(value);
                case "expect-output" -> outputs.add(value);
                default -> golden = true;
            }
        }
        return new Case(file, name, command, errors, exit, outputs, golden);
    }

    private static void run(Case c) {
        // The path as the operator would type it from the interpreter module: messages name it that way.
        String path = Path.of("")
                .toAbsolutePath()
                .relativize(c.file().toAbsolutePath())
                .toString();
        Cli cli;
        if (c.command().equals("run")) {
            try (TestDatabase db = new TestDatabase(CaseFilesTest.class)) {
                cli = Cli.run(null, Map.of(), "run", path, "--db", db.uri(), "--yes");
            }
        } else {
            cli = Cli.run(c.command(), path);
        }
        // Libraries are named by absolute path: read them as relative to the working directory too.
        String all = (cli.out + cli.err).replace(Path.of("").toAbsolutePath() + "/", "");
        // Errors in this file and in the fixtures next to it (SQL files, libraries) are all counted.
        String dir = Path.of(path).getParent() == null ? "" : Path.of(path).getParent() + "/";
        List<String> errorLines = all.lines()
                .filter(l -> l.startsWith(dir) && l.contains(": ERROR: "))
                .toList();
        for (String expected : c.errors()) {
            Matcher m = ERROR_AT.matcher(expected);
            assertThat(m.matches())
                    .as("expect-error needs [FILE:]LINE:COL TEXT, got: %s", expected)
                    .isTrue();
            String file = m.group(1) == null ? path : dir + m.group(1);
            String prefix = file + ":" + m.group(2) + ":" + m.group(3) + ": ERROR: ";
            assertThat(errorLines)
                    .as(
                            "%s: an error at %s:%s:%s containing '%s'%n%s",
                            c.name(), file, m.group(2), m.group(3), m.group(4), cli)
                    .anySatisfy(l -> assertThat(l).startsWith(prefix).contains(m.group(4)));
        }
        assertThat(errorLines)
                .as("%s: every error of the file is expected%n%s", c.name(), cli)
                .hasSize(c.errors().size());
        int exit = c.exit() != null ? c.exit() : c.errors().isEmpty() ? 0 : 2;
        assertThat(cli.exit).as("%s: exit code%n%s", c.name(), cli).isEqualTo(exit);
        for (String expected : c.outputs()) {
            assertThat(all.lines())
                    .as("%s: a line containing '%s'%n%s", c.name(), expected, cli)
                    .anySatisfy(l -> assertThat(l).contains(expected));
        }
        if (c.golden()) {
            String name = c.name().substring(0, c.name().length() - ".runbook".length());
            Golden.check(
                    "cases/" + name + ".expected",
                    cli.err.replace(path, Path.of(c.name()).getFileName().toString()));
        }
    }

    private static Path resources() {
        try {
            return Path.of(
                    CaseFilesTest.class.getClassLoader().getResource("cases").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
