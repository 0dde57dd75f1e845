package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.eval.Describe;
import io.runbook.parse.Program;
import io.runbook.source.ExitCode;
import io.runbook.sql.SqlStatement;
import io.runbook.term.Style;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;

@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Print what a run would do, in order, with the SQL of every step; with --db, what that database's journal skips.",
            "Without --db it touches no database; with --db it reads the journal there (read-only): applied, pending or changed."
        })
final class PlanCommand extends BaseCommand {
    enum Format {
        text,
        json
    }

    @picocli.CommandLine.Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|json",
            description = "output format (default: ${DEFAULT-VALUE})")
    Format format;

    @picocli.CommandLine.Mixin
    JournalOptions journalOptions;

    private PrintStream out;
    private Style style;
    private Program program;

    @Override
    int execute() throws java.sql.SQLException {
        program = load();
        if (format == Format.json) {
            context.out().print(PlanJson.of(program));
            return ExitCode.OK;
        }
        out = context.out();
        style = context.style();
        Runbook rb = program.runbook();
        out.println(style.bold("runbook \"" + rb.name() + "\""));
        if (rb.description() != null) out.println(indent(rb.description(), "  "));
        for (Runbook.Param p : rb.params()) {
            out.println("  param " + p.name() + " " + p.type().keyword
                    + (p.defaultValue() == null
                            ? ""
                            : " = " + (p.secret() ? "(secret)" : Describe.expr(p.defaultValue()))));
        }
        for (Runbook.Setting s : rb.settings()) out.println("  set " + s.name() + " = " + Describe.expr(s.value()));
        if (!rb.preflight().isEmpty()) {
            out.println(style.bold("preflight") + style.dim(" (read-only)"));
            steps(rb.preflight(), "  ");
        }
        int i = 0;
        for (Phase p : rb.phases()) {
            out.println(style.bold("phase " + ++i + "/" + rb.phases().size() + " \"" + p.name() + "\"")
                    + style.dim(p.transactional() ? " (one transaction)" : " (no transaction)")
                    + style.dim(
                            p.retry() == null
                                    ? ""
                                    : p.retry().enabled() ? " retry(" + retryOptions(p.retry()) + ")" : " no retry"));
            steps(p.steps(), "  ");
            if (!p.verify().isEmpty()) {
                out.println("  verify");
                steps(p.verify(), "    ");
            }
            if (!p.rollback().isEmpty()) {
                out.println("  rollback" + style.dim(" (only on failure or `runbook rollback`)"));
                steps(p.rollback(), "    ");
            }
        }
        if (journalOptions.db != null) { // only when asked: DATABASE_URL alone keeps plan offline
            try (io.runbook.db.Database database = connect(journalOptions.db)) {
                PlanJournal.print(program, database, journalOptions, out);
            }
        }
        return ExitCode.OK;
    }

    private void steps(List<Step> steps, String ind) {
        for (Step s : steps) {
            if (s instanceof Step.Sql sql) {
                if (sql.source() instanceof Step.Inline in) {
                    out.println(ind + "sql");
                    out.println(indent(in.sql().text().strip(), ind + "  | "));
                } else {
                    Step.FileRef ref = (Step.FileRef) sql.source();
                    Program.SqlScript script = program.script(ref);
                    out.println(ind + "sql file " + ref.path()
                            + style.dim("  (" + script.statements().size()
                                    + (script.statements().size() == 1 ? " statement" : " statements")
                                    + (script.unwrapped()
                                            ? "; its BEGIN/COMMIT give way to the phase's transaction"
                                            : "")
                                    + ")"));
                    for (SqlStatement st : script.statements()) out.println(indent(st.text() + ";", ind + "  | "));
                }
                for (var g : sql.guards()) out.println(ind + "  expect " + Describe.expr(g));
            } else if (s instanceof Step.Check c) {
                out.println(ind + "check " + Describe.expr(c.label()));
                steps(c.steps(), ind + "  ");
            } else if (s instanceof Step.Expect e) {
                out.println(ind + "expect " + Describe.expr(e.condition()));
            } else if (s instanceof Step.Let l) {
                out.println(ind + "let " + l.name() + " = " + Describe.expr(l.value()));
            } else if (s instanceof Step.Confirm c) {
                out.println(ind + "confirm " + Describe.expr(c.prompt())
                        + (c.typing() == null ? "" : " typing \"" + c.typing() + "\""));
            } else if (s instanceof Step.Echo e) {
                out.println(ind + "echo " + Describe.expr(e.message()));
            } else if (s instanceof Step.Batch b) {
                out.println(ind + "batch "
                        + (b.keyset() ? Describe.keyset(b.over()) : "until " + Describe.expr(b.until()))
                        + (b.pause() == null ? "" : " pause " + Describe.expr(b.pause()))
                        + (b.maxBatches() == null ? "" : " max " + Describe.expr(b.maxBatches()) + " batches"));
                out.println(indent(b.sql().text().strip(), ind + "  | "));
            } else if (s instanceof Step.Monitor m) {
                out.println(ind + "monitor " + Describe.expr(m.label()) + " every " + Describe.expr(m.every()) + " for "
                        + Describe.expr(m.duration())
                        + (m.tolerate() == null ? "" : " tolerate " + Describe.expr(m.tolerate())));
                steps(m.steps(), ind + "  ");
            } else if (s instanceof Step.Shell sh) {
                out.println(ind + "sh" + (sh.exitGuard() == null ? "" : "  expect " + Describe.expr(sh.exitGuard()))
                        + (sh.timeout() == null ? "" : "  timeout " + Describe.expr(sh.timeout())));
                out.println(indent(sh.command().text().strip(), ind + "  $ "));
            }
        }
    }

    private static String retryOptions(io.runbook.ast.Retry r) {
        return r.options().entrySet().stream()
                .map(e -> e.getKey() + " = " + Describe.expr(e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static String indent(String text, String prefix) {
        return prefix + text.replace("\n", "\n" + prefix);
    }
}
