package io.runbook.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of syntax-error messages: for each {@code src/test/resources/parse/errors/NAME.runbook},
 * {@code NAME.expected} holds the exact text the operator sees (every diagnostic's {@link Diagnostic#render()},
 * concatenated). The file is loaded the way `runbook check` loads it ({@link Checker#load}), with the path in
 * messages replaced by the bare file name so the goldens do not depend on the working directory.
 *
 * <p>Regenerate after a deliberate change of wording: {@code mvn test -pl interpreter -am
 * -Dtest=SyntaxErrorGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}, then review the diff.
 */
class SyntaxErrorGoldenTest {
    private static final String RESOURCE_DIR = "parse/errors";
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    /** Cases whose message comes without a hint: none, every syntax error says what to do. */
    private static final Set<String> KNOWN_WITHOUT_HINT = Set.of();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(resourceDir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".runbook"))
                    .map(n -> n.substring(0, n.length() - ".runbook".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersTheExpectedMessage(String name) throws IOException {
        String actual = render(name);
        Path golden = sourceDir().resolve(name + ".expected");
        if (UPDATE) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        Path expectedFile = resourceDir().resolve(name + ".expected");
        assertThat(expectedFile).as("golden file %s (create it with -Dgolden.update=true); actual output:%n%s", golden, actual)
                .exists();
        assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
    }

    /** What makes a message useful: where (file:line:col), the offending line with a caret, and what to do. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void messageHasLocationCaretAndHint(String name) {
        List<Diagnostic> diagnostics = diagnostics(name);
        assertThat(diagnostics).isNotEmpty();
        for (Diagnostic d : diagnostics) {
            String[] lines = normalise(d.render(), name).split("\n");
            assertThat(lines[0]).matches(Pattern.quote(name + ".runbook") + ":\\d+:\\d+: ERROR: \\S.*");
            assertThat(lines[1]).matches(" \\d+ \\| .*");
            assertThat(lines[2]).matches(" +\\| *\\^");
            // the caret stands under the column named in the location
            int col = d.pos().col();
            assertThat(lines[2].indexOf('^') - lines[2].indexOf('|') - 2).isEqualTo(col - 1);
            if (!KNOWN_WITHOUT_HINT.contains(name)) {
                assertThat(d.hint()).as("hint of " + name).isNotBlank();
            }
        }
    }

    @Test
    void thereAreEnoughCasesAndEachHasAGolden() throws IOException {
        List<String> names = cases().toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(15);
        if (UPDATE) return;
        try (Stream<Path> files = Files.list(resourceDir())) {
            Set<String> goldens = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".expected"))
                    .map(n -> n.substring(0, n.length() - ".expected".length()))
                    .collect(Collectors.toSet());
            assertThat(goldens).as("every .expected has its .runbook").isEqualTo(Set.copyOf(names));
        }
    }

    @Test
    void onlyTheFirstSyntaxErrorIsReported() {
        // later errors are usually echoes of the first; each golden case has exactly one diagnostic
        assertThat(cases0()).allSatisfy(name -> assertThat(diagnostics(name)).as(name).hasSize(1));
    }

    @Test
    void errorsInsideInterpolationsAreExplained() {
        for (String name : KNOWN_WITHOUT_HINT) {
            Diagnostic d = diagnostics(name).get(0);
            assertThat(d.message()).doesNotContain("end of file").doesNotContain("a step");
            assertThat(d.hint()).isNotBlank();
        }
    }

    @Test
    void assignInsteadOfEqualsSuggestsDoubleEquals() {
        assertThat(render("assign_instead_of_equals")).contains("==");
    }

    @Test
    void expectAffectedOutsideASqlStepIsExplained() {
        Diagnostic d = diagnostics("expect_affected_not_after_sql").get(0);
        assertThat(d.message()).doesNotContain("a step, a keyword or an expression");
        assertThat(d.hint()).contains("affected");
    }

    @Test
    void defWithoutEqualsExpectsEquals() {
        assertThat(render("def_missing_equals")).contains("expected '='").contains("def name(a, b = \"default\") = expression");
    }

    @Test
    void unterminatedTripleStringIsNamedAsSuch() {
        assertThat(render("unterminated_triple_string")).contains("2:15").doesNotContain("or use \"\"\"");
    }

    @Test
    void unknownDurationUnitIsNamed() {
        assertThat(render("unknown_duration_unit")).contains("sec").contains("min");
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> cases0() {
        try {
            return cases().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String render(String name) {
        return diagnostics(name).stream().map(d -> normalise(d.render(), name)).collect(Collectors.joining());
    }

    static List<Diagnostic> diagnostics(String name) {
        Path file = relativeFile(name);
        RunbookException e = catchThrowableOfType(RunbookException.class, () -> Checker.load(file));
        assertThat(e).as("%s.runbook should be refused", name).isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
        return e.diagnostics();
    }

    /** The file by a path relative to the working directory, so messages name it by that path. */
    private static Path relativeFile(String name) {
        try {
            return Path.of("").toAbsolutePath().relativize(resourceDir().resolve(name + ".runbook").toAbsolutePath());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String normalise(String rendered, String name) {
        return rendered.replace(relativeFile(name).toString(), name + ".runbook");
    }

    /** The cases as the test sees them, on the test classpath (target/test-classes/parse/errors). */
    static Path resourceDir() throws IOException {
        URL url = SyntaxErrorGoldenTest.class.getClassLoader().getResource(RESOURCE_DIR);
        if (url == null) throw new IOException(RESOURCE_DIR + " is not on the test classpath");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Where goldens are written on -Dgolden.update=true: the source tree, not target/. */
    static Path sourceDir() {
        return io.runbook.testing.Files.root().resolve("interpreter/src/test/resources").resolve(RESOURCE_DIR);
    }
}
