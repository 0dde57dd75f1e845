package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.journal.Journal;
import io.runbook.journal.JournalRecorder;
import io.runbook.parse.Program;
import io.runbook.run.Interpreter;
import io.runbook.run.Prompter;
import io.runbook.run.RunEvent;
import io.runbook.run.RunListener;
import io.runbook.run.Session;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.term.ConsoleReporter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description = "Run the rollback blocks of the applied phases of a runbook, last phase first.")
final class RollbackCommand extends BaseCommand {
    @Mixin
    JournalOptions journalOptions;

    @Option(
            names = "--to",
            paramLabel = "PHASE",
            description = "roll back the phases after PHASE, leaving PHASE applied (default: all phases)")
    String to;

    @Mixin
    ParamOptions params;

    @Option(
            names = {"-y", "--yes"},
            description = "do not ask before rolling back")
    boolean yes;

    @Mixin
    ReportOptions reports;

    @Override
    int execute() throws SQLException {
        Program program = load();
        List<Phase> all = program.runbook().phases();
        int start = to == null ? 0 : PhaseSelection.index(program.runbook(), to, "--to") + 1;
        List<Phase> after = new ArrayList<>(all.subList(start, all.size()));
        Collections.reverse(after);
        Scope scope = params.bind(program, context);
        Prompter prompter = yes ? Prompter.assumeYes() : context.terminalPrompter();
        ConsoleReporter console = new ConsoleReporter(context.out(), context.err(), context.style());
        try (Database database = connectTarget(journalOptions.db);
                Session session = new Session(database.connection());
                Connection journalConnection = database.connection()) {
            Journal journal = journalOptions.open(journalConnection, session.connection(), program, context);
            Map<String, Journal.PhaseRecord> applied =
                    journal.phases(program.runbook().name());
            List<Phase> phases = new ArrayList<>();
            for (Phase p : after) {
                Journal.PhaseRecord r = applied.get(p.name());
                if (r == null || !(r.done() || r.interrupted())) {
                    console.on(new RunEvent.Note("phase \"" + p.name() + "\" is not applied (journal: "
                            + (r == null ? "never ran" : r.status().replace('_', ' ')) + "): nothing to undo"));
                } else if (!p.hasRollback()) {
                    console.on(new RunEvent.Note("phase \"" + p.name() + "\" has no rollback block: left as it is"));
                } else {
                    phases.add(p);
                }
            }
            if (phases.isEmpty()) {
                context.out().println("nothing to roll back");
                return ExitCode.OK;
            }
            if (prompter == null) {
                throw new RunbookException(
                        ExitCode.NEEDS_TERMINAL,
                        new Diagnostic(
                                null,
                                "rollback asks for confirmation and there is no terminal to ask on; nothing was run",
                                "pass --yes to confirm in advance"));
            }
            List<String> names =
                    phases.stream().map(p -> "\"" + p.name() + "\"").toList();
            String question = "Run the rollback blocks of " + String.join(", ", names) + ", in that order?";
            Prompter.Answer answer = prompter.confirm(question, null);
            if (!answer.yes()) {
                context.err().println("rollback declined: nothing was run");
                return ExitCode.ABORTED;
            }
            console.on(new RunEvent.RunStarted(
                    program.runbook(), database.settings().describe()));
            long runId = journal.startRun(JournalOptions.runInfo(
                    "rollback", program, file, database.settings().describe(), scope, context, false));
            JournalRecorder recorder = new JournalRecorder(journal, program, runId, applied, Set.of());
            recorder.on(new RunEvent.Confirmed(null, question, answer));
            Interpreter interpreter = new Interpreter(
                            program,
                            session,
                            prompter,
                            RunListener.all(console, recorder, new AuditLog()),
                            scope,
                            context.env())
                    .withProgress(recorder);
            var previous = RunCommand.onInterrupt(interpreter);
            int exit;
            try {
                exit = interpreter.rollback(phases);
            } finally {
                previous.run();
            }
            journal.finishRun(runId, exit, exit == ExitCode.OK ? "rolled back" : RunCommand.outcome(exit));
            if (recorder.lost() != null) {
                context.err()
                        .println("WARNING: some steps of run #" + runId + " could not be written to the journal: "
                                + recorder.lost().getMessage());
                context.err()
                        .println("  hint: the phases' own records are intact; `runbook status` shows what was applied");
            }
            reports.write(journal, runId, program, context);
            return exit;
        }
    }
}
