package io.runbook.cli;

import io.runbook.lint.LintOutput;
import io.runbook.lint.LintReport;
import io.runbook.lint.SarifOutput;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        description = {
            "Check the SQL a runbook will run for table locks and rewrites, renames and unguarded changes, without a database.",
            "Rules and suppression comments: docs/lint.md. Exit 0 when no finding reaches --fail-on (default: error), 2 when"
                    + " one does or a runbook is invalid."
        })
final class LintCommand extends FilesCommand {
    enum Format {
        text,
        json,
        sarif
    }

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|json|sarif",
            description = "output format (default: ${DEFAULT-VALUE}); sarif: SARIF 2.1.0 for code-scanning UIs")
    Format format;

    @Option(
            names = "--show-suppressed",
            description = "also list the findings a `runbook:allow` comment suppressed, with its reason")
    boolean showSuppressed;

    @Option(
            names = "--pg-version",
            paramLabel = "N",
            description =
                    "the PostgreSQL major version that version-dependent rules assume (default: the version the runbook's preflight requires of server_version_num, else 15)")
    Integer pgVersion;

    @Override
    Integer pgVersion() {
        return pgVersion;
    }

    @Override
    int execute(List<Checked> files) {
        if (format != Format.sarif)
            for (Checked c : files) c.problems().forEach(d -> context.err().print(d.render()));
        LintReport report = merged(files);
        context.out()
                .print(
                        switch (format) {
                            case json -> LintOutput.json(report, showSuppressed);
                            case sarif -> SarifOutput.of(version(), report.findings(), problems(files));
                            case text -> LintOutput.text(report, showSuppressed);
                        });
        return verdict(files);
    }
}
