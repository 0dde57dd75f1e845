package io.runbook.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the reports of a run say: SQL failures with file and line, expected and actual, phase states and checksums. */
class ReportsTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(ReportsTest.class);

    @TempDir
    Path dir;

    Path runbook;

    @BeforeEach
    void write() {
        db.reset();
        Files.write(dir, "sql/two.sql", "create table two (id int);\n\nselect 1/0;\n");
        runbook = Files.write(dir, "r.runbook", """
                runbook "reports" {
                  preflight {
                    check "server answers" { expect scalar $$ select 1 $$ == 1 }
                  }
                  phase "one" {
                    sql $$ create table one (id int) $$ expect affected == 0
                  }
                  phase "two" {
                    sql file "sql/two.sql"
                  }
                }
                """);
    }

    @Test
    void junitOfARunStoppedByASqlErrorHasAFailureNamingTheStatementsFileAndLine() throws Exception {
        Path xml = dir.resolve("r.xml");
        Cli r = Cli.run("run", runbook.toString(), "--db", db.uri(), "--yes", "--junit", xml.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(4);
        String junit = java.nio.file.Files.readString(xml);
        assertThat(junit).contains("<testsuites name=\"reports\" tests=\"5\" failures=\"1\">");
        Path sql = dir.resolve("sql/two.sql");
        assertThat(junit)
                .contains("name=\"phase &quot;two&quot;\"")
                .contains("file=\"" + sql + "\" line=\"3\"")
                .contains(
                        "<failure type=\"SQLSTATE 22012\" message=\"SQLSTATE 22012: " + sql + ":3:1: division by zero");
        assertThat(junit).contains("name=\"phase &quot;one&quot;\"");
    }

    @Test
    void everyCheckShowsExpectedAndActualAndEveryPhaseItsStateAndChecksum() throws Exception {
        Path md = dir.resolve("r.md");
        Cli r = Cli.run("run", runbook.toString(), "--db", db.uri(), "--yes", "--report", md.toString(), "--json", "-");
        assertThat(r.exit).as(r.toString()).isEqualTo(4);
        assertThat(dir.resolve("-"))
                .as("--json - writes to stdout, not a file named -")
                .doesNotExist();
        assertThat(Path.of("-")).doesNotExist();
        String text = r.out.substring(r.out.indexOf("{\n"), r.out.lastIndexOf("}") + 1);
        JsonNode json = new ObjectMapper().readTree(text);
        JsonNode check = json.at("/blocks/0/steps/0");
        assertThat(check.get("label").asText()).isEqualTo("server answers");
        assertThat(check.get("expected").asText()).isEqualTo("scalar $$ select 1 $$ == 1");
        assertThat(check.get("actual").asText()).isEqualTo("1");
        List<String> states =
                json.findValues("state").stream().map(JsonNode::asText).toList();
        assertThat(states).containsExactly("null", "applied", "failed");
        for (JsonNode block : json.get("blocks")) {
            if (!block.get("phase").isNull())
                assertThat(block.get("checksum").asText()).matches("[0-9a-f]{64}");
        }
        JsonNode failure = json.at("/blocks/2/steps/0");
        assertThat(failure.get("file").asText()).endsWith("two.sql");
        assertThat(failure.get("line").asInt()).isEqualTo(3);

        String markdown = java.nio.file.Files.readString(md);
        assertThat(markdown)
                .contains("| 1 | check server answers | passed |  |")
                .contains("| scalar $$ select 1 $$ == 1 | 1 |")
                .contains("### phase \"two\" (failed, rolled back)")
                .containsPattern("\\| one \\| applied \\| `[0-9a-f]{64}` \\|")
                .containsPattern("\\| two \\| failed, rolled back \\| `[0-9a-f]{64}` \\|");
    }
}
