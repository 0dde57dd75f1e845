package io.runbook.stdlib;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every stdlib function is documented with its signature and tested; the documented example runs as written. */
class StdlibDocsTest {
    @TempDir
    Path dir;

    private static final List<String> MODULES = List.of("catalog", "ops");
    private static final Pattern DEF = Pattern.compile("(?m)^def (\\w+)\\(([^)]*)\\) =");

    /** name -> "name(params)" as written in the library. */
    private static Map<String, String> signatures() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String m : MODULES) {
            try (InputStream in =
                    StdlibDocsTest.class.getClassLoader().getResourceAsStream("runbook/stdlib/" + m + ".runbook")) {
                assertThat(in).as(m).isNotNull();
                Matcher d = DEF.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (d.find()) out.put(d.group(1), d.group(1) + "(" + d.group(2) + ")");
            }
        }
        return out;
    }

    @Test
    void everyFunctionIsDocumentedWithItsSignatureAndUsedInATest() throws IOException {
        String docs = java.nio.file.Files.readString(Files.root().resolve("docs/stdlib.md"));
        Path tests = Files.root().resolve("interpreter/src/test/java/io/runbook/stdlib");
        StringBuilder testText = new StringBuilder();
        try (Stream<Path> files = java.nio.file.Files.list(tests)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals("StdlibDocsTest.java"))
                    .toList()) {
                testText.append(java.nio.file.Files.readString(f));
            }
        }
        Map<String, String> signatures = signatures();
        assertThat(signatures).hasSizeGreaterThan(35);
        List<String> problems = new ArrayList<>();
        for (var e : signatures.entrySet()) {
            if (!docs.contains("\n## " + e.getKey() + "\n"))
                problems.add(e.getKey() + ": no section in docs/stdlib.md");
            if (!docs.contains("[`" + e.getValue() + "`](#" + e.getKey() + ")"))
                problems.add(e.getValue() + ": not in the table of docs/stdlib.md");
            if (!testText.toString().contains(e.getKey() + "(")) problems.add(e.getKey() + ": not used in a test");
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void bothModulesLoadTogether() {
        Path file = Files.write(dir, "both.runbook", """
                import "stdlib/catalog"
                import "stdlib/ops"
                runbook "both" {
                  preflight { expect table_count() >= 0 and active_connections() >= 0 }
                }
                """);
        Cli r = Cli.run("check", file.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void theDocumentedExampleRunsAsWritten() throws IOException {
        String docs = java.nio.file.Files.readString(Files.root().resolve("docs/stdlib.md"));
        String example = docs.substring(docs.indexOf("\n## Example\n"));
        Matcher blocks = Pattern.compile("(?s)```(sql)?\\n(.*?)```").matcher(example);
        assertThat(blocks.find()).isTrue();
        String sql = blocks.group(2);
        assertThat(blocks.find()).isTrue();
        String runbook = blocks.group(2);
        try (TestDatabase db = new TestDatabase(StdlibDocsTest.class)) {
            db.load(Files.write(dir, "fixture.sql", sql));
            Cli r = Stdlib.run(db, dir, runbook);
            assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
            assertThat(r.out).contains("preflight (read-only)").contains("billing: 3 tables, 1 foreign keys");
        }
    }
}
