package io.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Markdown and JUnit reports of a failing run, compared with golden files after masking what changes
 * between runs (times, durations, checksums, host, database name). -Dgolden.update=true rewrites them.
 */
class ReportGoldenTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(ReportGoldenTest.class);

    @TempDir
    Path dir;

    private static final String RUNBOOK = """
            runbook "orders: add status" {
              param expected int = 3
              param api_key secret text = "none"
              preflight {
                check "orders exists" { expect scalar $$ select count(*) from pg_tables where tablename = 'orders' $$ == 1 }
                confirm "Backup taken?"
              }
              phase "add column" {
                sql $$ alter table orders add column status text $$
                sql $$ update orders set status = 'open' $$ expect affected == expected
                verify { expect scalar $$ select count(*) from orders where status is null $$ == 0 }
              }
              phase "tighten" {
                sql $$ delete from orders where id > 1 $$ expect affected <= 1
              }
            }
            """;

    @Test
    void markdownAndJunitReportsOfAFailingRun() throws IOException {
        db.execute("create table orders (id int primary key); insert into orders values (1), (2), (3)");
        Path file = Files.write(dir, "orders.runbook", RUNBOOK);
        Path md = dir.resolve("run.md");
        Path xml = dir.resolve("run.xml");
        Cli r = Cli.runFile(
                null,
                file,
                db.uri(),
                "--yes",
                "--param",
                "api_key=s3cr3t",
                "--report",
                md.toString(),
                "--junit",
                xml.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        golden("run.md", mask(java.nio.file.Files.readString(md)));
        golden("run.xml", mask(java.nio.file.Files.readString(xml)));

        Cli again = Cli.run("report", file.toString(), "--db", db.uri(), "--run", "1");
        assertThat(again.exit).isEqualTo(ExitCode.OK);
        assertThat(again.out)
                .as("a report regenerated from the journal is the one written at run time")
                .isEqualTo(java.nio.file.Files.readString(md));
    }

    private String mask(String text) {
        return text.replace(dir.toString(), "<dir>")
                .replace(db.name(), "<db>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "<time>")
                .replaceAll("\\b\\d+ ms\\b", "<ms>")
                .replaceAll("\\b\\d+\\.\\d\\d s\\b", "<ms>")
                .replaceAll("time=\"[0-9.]+\"", "time=\"<s>\"")
                .replaceAll("[0-9a-f]{64}", "<sha256>")
                .replaceAll("(Operator \\| )\\S+ on \\S+", "$1<user> on <host>")
                .replaceAll("(Executed by \\| )\\S+", "$1<user>")
                .replaceAll("runbook \\d+\\.\\d+\\.\\d+", "runbook <version>");
    }

    private static void golden(String name, String actual) {
        io.runbook.testing.Golden.check("reports/" + name, actual);
    }
}
