package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runbook.testing.Cli;
import io.runbook.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class JsonOutputsTest {
    private static final String RUNBOOK = """
            runbook "orders" {
              param password secret text = "hunter2"
              param rows int = 0
              phase "create" {
                sql $$ create table orders (id int) $$
                verify { expect count $$ select 1 from orders $$ == rows }
              }
              phase "fill" {
                sql $$ insert into orders values (1) $$ expect affected == 1
              }
            }
            """;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(JsonOutputsTest.class);

    @TempDir
    Path dir;

    @Test
    void planAsJsonListsPhasesAndStepsAndNeverASecret() throws Exception {
        Path file = dir.resolve("orders.runbook");
        Files.writeString(file, RUNBOOK);
        Cli plan = Cli.run("plan", "--format", "json", file.toString());
        assertThat(plan.exit).as(plan.toString()).isZero();
        assertThat(plan.out).doesNotContain("hunter2");
        JsonNode json = new ObjectMapper().readTree(plan.out);
        assertThat(json.get("runbook").asText()).isEqualTo("orders");
        assertThat(json.at("/params/0/default").asText()).isEqualTo("(secret)");
        assertThat(json.at("/phases/0/name").asText()).isEqualTo("create");
        assertThat(json.at("/phases/0/transactional").asBoolean()).isTrue();
        assertThat(json.at("/phases/0/steps/0/sql").asText()).isEqualTo("create table orders (id int)");
        assertThat(json.at("/phases/0/verify/0/condition").asText())
                .contains("count $$")
                .contains("== rows");
        assertThat(json.at("/phases/1/steps/0/guards/0").asText()).isEqualTo("affected == 1");
    }

    @Test
    void statusAsJsonSaysWhatTheJournalKnows() throws Exception {
        Path file = dir.resolve("orders.runbook");
        Files.writeString(file, RUNBOOK.replace("phase \"fill\"", "phase \"fill\" no transaction"));
        db.reset();
        Cli before = Cli.run("status", file.toString(), "--db", db.uri(), "--format", "json");
        assertThat(before.exit).as(before.toString()).isZero();
        assertThat(new ObjectMapper().readTree(before.out).at("/phases/0/state").asText())
                .isEqualTo("pending");

        Cli run = Cli.run("run", file.toString(), "--db", db.uri(), "--yes", "--only", "create");
        assertThat(run.exit).as(run.toString()).isZero();
        Cli status = Cli.run("status", file.toString(), "--db", db.uri(), "--format", "json");
        JsonNode json = new ObjectMapper().readTree(status.out);
        assertThat(json.get("runbook").asText()).isEqualTo("orders");
        JsonNode create = json.at("/phases/0");
        assertThat(create.get("phase").asText()).isEqualTo("create");
        assertThat(create.get("state").asText()).isEqualTo("applied");
        assertThat(create.get("by").asText()).isEqualTo("tester");
        assertThat(create.get("checksum").asText()).isEqualTo("matches");
        assertThat(create.get("run").asLong()).isPositive();
        assertThat(json.at("/phases/1/state").asText()).isEqualTo("pending");
    }
}
