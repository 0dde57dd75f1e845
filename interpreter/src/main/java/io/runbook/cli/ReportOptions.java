package io.runbook.cli;

import io.runbook.journal.Journal;
import io.runbook.report.JUnitReport;
import io.runbook.report.JsonReport;
import io.runbook.report.MarkdownReport;
import io.runbook.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/** --report, --junit, --json: written from the journal once the run has ended (docs/reports.md). */
final class ReportOptions {
    @Option(
            names = "--report",
            paramLabel = "FILE.md",
            description = "write a Markdown report of the run (for the ticket); - for stdout; see docs/reports.md")
    Path markdown;

    @Option(
            names = "--junit",
            paramLabel = "FILE.xml",
            description =
                    "write each phase, check and guard as a JUnit test case (for CI); - for stdout; see docs/reports.md")
    Path junit;

    @Option(
            names = "--json",
            paramLabel = "FILE.json",
            description = "write the run as JSON; - for stdout; see docs/reports.md")
    Path json;

    void write(Journal journal, long runId, Context context) throws SQLException {
        write(journal, runId, null, context);
    }

    /** With the runbook, phases that failed (and so have no journal row) still get their checksum. */
    void write(Journal journal, long runId, io.runbook.parse.Program program, Context context) throws SQLException {
        if (markdown == null && junit == null && json == null) return;
        RunReport report = RunReport.load(journal, runId, program);
        write(markdown, report == null ? null : MarkdownReport.render(report), context);
        write(junit, report == null ? null : JUnitReport.render(report), context);
        write(json, report == null ? null : JsonReport.render(report), context);
    }

    private static void write(Path path, String text, Context context) {
        if (path == null || text == null) return;
        if (path.toString().equals("-")) { // as for every Unix tool: "-" is stdout, never a file named "-"
            context.out().print(text);
            context.out().flush();
            return;
        }
        try {
            if (path.toAbsolutePath().getParent() != null)
                Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, text);
            context.err().println("report written: " + path);
        } catch (IOException e) {
            context.err()
                    .println("ERROR: cannot write report " + path + ": " + e.getMessage()
                            + " (the run itself is recorded in the journal: `runbook report` can write it again)");
        }
    }
}
