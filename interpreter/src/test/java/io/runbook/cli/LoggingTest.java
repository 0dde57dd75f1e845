package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runbook.testing.Cli;
import io.runbook.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LoggingTest {
    private static final String RUNBOOK = """
            runbook "audited" {
              param token secret text = "s3cr3t-t0ken"
              phase "create" {
                sql $$ create table notes (id int, body text) $$
                sql $$ insert into notes values (1, :'token') $$ expect affected == 1
                verify { expect count $$ select 1 from notes $$ == 1 }
              }
            }
            """;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(LoggingTest.class);

    @TempDir
    Path dir;

    @AfterEach
    void defaults() {
        LogSetup.reset();
    }

    @Test
    void logFileIsAJsonLinesAuditTrailWithoutSecrets() throws Exception {
        db.reset();
        Path file = Files.writeString(dir.resolve("audited.runbook"), RUNBOOK);
        Path log = dir.resolve("audit.jsonl");
        Cli run = Cli.run("run", file.toString(), "--db", db.uri(), "--yes", "--log-file", log.toString());
        assertThat(run.exit).as(run.toString()).isZero();
        List<String> lines = Files.readAllLines(log);
        String all = String.join("\n", lines);
        assertThat(all).doesNotContain("s3cr3t-t0ken");
        List<String> events = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (String line : lines) {
            JsonNode json = new ObjectMapper().readTree(line); // every line is JSON
            assertThat(json.has("timestamp")).isTrue();
            messages.add(json.path("formattedMessage").asText());
            for (JsonNode kv : json.path("kvpList"))
                if (kv.has("event")) events.add(kv.get("event").asText());
        }
        assertThat(events)
                .startsWith("command started")
                .endsWith("command finished")
                .contains("block started", "phase finished", "guard", "sql done", "run finished");
        assertThat(messages).anyMatch(m -> m.contains("create table notes") && m.contains(" ms, "));
        assertThat(messages).anyMatch(m -> m.contains("insert into notes values (1, :'token')"));
        assertThat(db.scalar("select body from notes")).isEqualTo("s3cr3t-t0ken"); // it was sent, just never logged
        assertThat(run.err).doesNotContain("create table notes"); // the SQL goes to the file, not the console
    }

    @Test
    void debugShowsTheSqlSentWithTimingsAndNotThePoolSettings() throws Exception {
        db.reset();
        Path file = Files.writeString(dir.resolve("audited.runbook"), RUNBOOK);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Cli run;
        try {
            run = Cli.run("run", file.toString(), "--db", db.uri(), "--yes", "--debug");
        } finally {
            System.setErr(original);
        }
        assertThat(run.exit).as(run.toString()).isZero();
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).containsPattern("DEBUG .*audited.runbook:4:\\d+ \\(\\d+ ms, 0 rows\\): create table notes");
        assertThat(log).contains("insert into notes values (1, :'token')").doesNotContain("s3cr3t-t0ken");
        assertThat(log)
                .doesNotContain("HikariConfig")
                .doesNotContain("maximumPoolSize")
                .doesNotContain("com.zaxxer");
    }
}
