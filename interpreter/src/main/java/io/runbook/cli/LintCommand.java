package io.runbook.cli;

import io.runbook.lint.LintOutput;
import io.runbook.lint.LintReport;
import io.runbook.lint.Linter;
import io.runbook.parse.Program;
import io.runbook.source.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Check the SQL a runbook will run for table locks and rewrites, renames and unguarded changes, without a database.",
                "Rules and suppression comments: docs/lint.md. Exit 0 when there are no errors (warnings allowed), 2 when there"
                        + " are errors or the runbook is invalid."})
final class LintCommand extends BaseCommand {
    enum Format { text, json }

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "output format (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--show-suppressed", description = "also list the findings a `runbook:allow` comment suppressed, with its reason")
    boolean showSuppressed;

    @Option(names = "--pg-version", paramLabel = "N",
            description = "the PostgreSQL major version that version-dependent rules assume (default: the version the runbook's preflight requires of server_version_num, else 15)")
    Integer pgVersion;

    @Override
    int execute() {
        Program program = load();
        LintReport report = Linter.lint(program, pgVersion);
        context.out().print(format == Format.json ? LintOutput.json(report, showSuppressed) : LintOutput.text(report, showSuppressed));
        return report.hasErrors() ? ExitCode.INVALID : ExitCode.OK;
    }

    /**
     * For `runbook check`: lints the checked program, prints any findings (not the suppressed ones) and the
     * count line to stderr, and says whether check may pass (no errors; warnings and infos do not fail it).
     */
    static boolean passesLint(Program program, Context context) {
        LintReport report = Linter.lint(program);
        if (!report.active().isEmpty()) context.err().print(LintOutput.text(report, false));
        return !report.hasErrors();
    }
}
