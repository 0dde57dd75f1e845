package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.runbook.testing.Cli;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiOutputsTest {
    static final Path ROOT = Path.of(System.getProperty("runbook.root", ".."));
    static final String EXAMPLES = ROOT.resolve("examples").toString();

    @TempDir
    Path dir;

    @Test
    void lintSarifOfTheExamplesIsValidSarif210() throws Exception {
        Cli lint = Cli.run("lint", "--format", "sarif", EXAMPLES);
        assertThat(lint.exit).as(lint.toString()).isZero();
        JsonNode log = new ObjectMapper().readTree(lint.out);
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        Set<ValidationMessage> errors = schema.validate(log);
        assertThat(errors).isEmpty();

        JsonNode run = log.get("runs").get(0);
        assertThat(run.at("/tool/driver/name").asText()).isEqualTo("runbook");
        assertThat(run.at("/tool/driver/rules"))
                .anyMatch(r -> r.get("id").asText().equals("phase-without-verify"));
        JsonNode results = run.get("results");
        assertThat(results.size()).isGreaterThanOrEqualTo(12); // the examples' warnings
        JsonNode first = results.get(0);
        assertThat(first.get("level").asText()).isIn("warning", "note", "error");
        JsonNode region = first.at("/locations/0/physicalLocation/region");
        assertThat(region.get("startLine").asInt()).isPositive();
        assertThat(region.get("startColumn").asInt()).isPositive();
        String uri =
                first.at("/locations/0/physicalLocation/artifactLocation/uri").asText();
        assertThat(uri).matches(".*\\.(sql|runbook)");
        // The rule index points at the rule.
        assertThat(run.at("/tool/driver/rules/" + first.get("ruleIndex").asInt() + "/id")
                        .asText())
                .isEqualTo(first.get("ruleId").asText());
    }

    @Test
    void checkAndLintTakeManyFilesAndDirectoriesAndWarningsCanFailCi() {
        String one = ROOT.resolve("examples/examgenie/align.runbook").toString();
        Cli check = Cli.run("check", EXAMPLES, one);
        assertThat(check.exit).as(check.toString()).isZero();
        assertThat(check.out.lines().filter(l -> l.startsWith("ok: "))).hasSize(5); // align.runbook once
        assertThat(check.err).contains("WARNING");

        Cli strict = Cli.run("check", "--fail-on", "warning", EXAMPLES);
        assertThat(strict.exit).isEqualTo(2);
        Cli lintStrict = Cli.run("lint", "--fail-on=warning", EXAMPLES);
        assertThat(lintStrict.exit).isEqualTo(2);
        assertThat(Cli.run("lint", EXAMPLES).exit).isZero();
    }

    @Test
    void oneInvalidFileFailsCheckAndTheOthersAreStillChecked() throws Exception {
        Path bad = dir.resolve("bad.runbook");
        Files.writeString(bad, "runbook \"bad\" {\n  phase \"a\" {\n    expect tabel_exists(\"x\")\n  }\n}\n");
        Path lib = dir.resolve("lib.runbook");
        Files.writeString(lib, "def two() = 2\n");
        Cli check = Cli.run(
                "check", dir.toString(), ROOT.resolve("examples/examgenie").toString());
        assertThat(check.exit).isEqualTo(2);
        assertThat(check.err).contains("bad.runbook:3:12: ERROR: unknown function 'tabel_exists'");
        assertThat(check.out).contains("ok: " + lib + ": a library").contains("align.runbook");

        assertThat(Cli.run("check", dir.resolve("missing.runbook").toString()).exit)
                .isEqualTo(2);
    }

    @Test
    void checkSpeaksJson() throws Exception {
        Path bad = dir.resolve("bad.runbook");
        Files.writeString(bad, "runbook \"bad\" {\n  phase \"a\" {\n    expect tabel_exists(\"x\")\n  }\n}\n");
        Cli check = Cli.run(
                "check",
                "--format",
                "json",
                ROOT.resolve("examples/examgenie/align.runbook").toString(),
                bad.toString());
        assertThat(check.exit).isEqualTo(2);
        JsonNode json = new ObjectMapper().readTree(check.out);
        assertThat(json.get("ok").asBoolean()).isFalse();
        JsonNode good = json.get("files").get(0);
        assertThat(good.get("ok").asBoolean()).isTrue();
        assertThat(good.get("phases").asInt()).isPositive();
        assertThat(good.get("findings")).allMatch(f -> f.has("rule") && f.has("line"));
        JsonNode problem = json.get("files").get(1).get("problems").get(0);
        assertThat(problem.get("line").asInt()).isEqualTo(3);
        assertThat(problem.get("column").asInt()).isEqualTo(12);
        assertThat(problem.get("message").asText()).contains("tabel_exists");
        assertThat(json.at("/counts/problems").asInt()).isEqualTo(1);

        Cli sarif = Cli.run("check", "--format", "sarif", bad.toString());
        assertThat(new ObjectMapper()
                        .readTree(sarif.out)
                        .at("/runs/0/results/0/ruleId")
                        .asText())
                .isEqualTo("check");
    }
}
