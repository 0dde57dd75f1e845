package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.journal.Journal;
import io.runbook.journal.JournalRecorder;
import io.runbook.parse.Program;
import io.runbook.run.Engine;
import io.runbook.run.Params;
import io.runbook.run.Prompter;
import io.runbook.run.Session;
import io.runbook.source.ExitCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "baseline",
        mixinStandardHelpOptions = true,
        description =
                "Record phases as applied without running them (a database that already has them), journaled as a baseline.")
final class BaselineCommand extends BaseCommand {
    @Mixin
    JournalOptions journalOptions;

    @Option(
            names = "--through",
            paramLabel = "PHASE",
            required = true,
            description = "the last phase to mark as applied")
    String through;

    @Override
    int execute() throws SQLException {
        Program program = load();
        int last = PhaseSelection.index(program.runbook(), through, "--through");
        Scope scope = Params.bind(program, Map.of(), context.env());
        try (Database database = connectTarget(journalOptions.db);
                Connection c = database.connection();
                Session session = new Session(database.connection())) {
            Journal journal = journalOptions.open(c, program, true, context);
            Map<String, Journal.PhaseRecord> before =
                    journal.phases(program.runbook().name());
            long runId = journal.startRun(JournalOptions.runInfo(
                    "baseline", program, file, database.settings().describe(), scope, context, false));
            JournalRecorder recorder = new JournalRecorder(journal, program, runId, before, Set.of());
            Engine engine = new Engine(
                            program, session, Prompter.none(), recorder, scope, context.env(), Engine.Policy.RUN)
                    .withProgress(recorder);
            int marked = 0;
            for (Phase p : program.runbook().phases().subList(0, last + 1)) {
                Journal.PhaseRecord r = before.get(p.name());
                if (engine.appliedBefore(p) != null) {
                    context.out().println("  " + p.name() + ": already " + r.status() + " (run #" + r.runId() + ")");
                    continue;
                }
                engine.baseline(p);
                context.out().println("  " + p.name() + ": marked applied (baseline)");
                marked++;
            }
            journal.finishRun(
                    runId, ExitCode.OK, "baseline through \"" + through + "\": " + marked + " phase(s) marked");
            context.out()
                    .println("baseline recorded as run #" + runId + ": " + marked
                            + " phase(s) marked applied without running them");
            return ExitCode.OK;
        }
    }
}
