package io.runbook.cli;

import io.runbook.db.Database;
import io.runbook.journal.Journal;
import io.runbook.parse.Program;
import io.runbook.report.JUnitReport;
import io.runbook.report.JsonReport;
import io.runbook.report.MarkdownReport;
import io.runbook.report.RunReport;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.sql.Connection;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write the report of a past run from the journal (Markdown by default; also on stdout).",
            "Formats: docs/reports.md."
        })
final class ReportCommand extends BaseCommand {
    enum Format {
        markdown,
        junit,
        json
    }

    @Mixin
    JournalOptions journalOptions;

    @Option(
            names = "--run",
            paramLabel = "ID",
            description = "the run's number (default: the latest run of this runbook)")
    Long run;

    @Option(
            names = "--format",
            paramLabel = "markdown|junit|json",
            defaultValue = "markdown",
            description = "default: ${DEFAULT-VALUE}")
    Format format;

    @Mixin
    ReportOptions reports;

    @Override
    int execute() throws SQLException {
        Program program = load();
        try (Database database = connect(journalOptions.db);
                Connection c = database.connection()) {
            Journal journal = journalOptions.existing(c);
            if (journal == null) {
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(
                                program.runbook().pos(),
                                journalOptions.noJournal(database.settings().describe())
                                        + "; there is no run to report",
                                "check --db and --journal-schema: they must name the database and schema the run used"));
            }
            Long id = run != null ? run : journal.latestRun(program.runbook().name());
            RunReport report = id == null ? null : RunReport.load(journal, id, program);
            if (report == null || !report.runbook().equals(program.runbook().name())) {
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(
                                program.runbook().pos(),
                                id == null
                                        ? "the journal has no run of \""
                                                + program.runbook().name() + "\""
                                        : "the journal has no run #" + id + " of \""
                                                + program.runbook().name() + "\"",
                                "`runbook status` lists what ran"));
            }
            if (reports.markdown != null || reports.junit != null || reports.json != null) {
                reports.write(journal, id, program, context);
            } else {
                context.out()
                        .print(
                                switch (format) {
                                    case markdown -> MarkdownReport.render(report);
                                    case junit -> JUnitReport.render(report);
                                    case json -> JsonReport.render(report);
                                });
            }
            return ExitCode.OK;
        }
    }
}
