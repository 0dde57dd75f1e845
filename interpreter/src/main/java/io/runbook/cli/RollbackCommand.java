package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.run.Interpreter;
import io.runbook.run.Params;
import io.runbook.run.Session;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.term.ConsoleReporter;
import io.runbook.term.Prompter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Run the rollback blocks of a runbook's phases, last phase first.")
final class RollbackCommand extends BaseCommand {
    @Option(names = "--db", paramLabel = "URL", description = "as for `runbook run`")
    String db;

    @Option(names = "--to", paramLabel = "PHASE", description = "roll back the phases after PHASE, leaving PHASE applied (default: all phases)")
    String to;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "set a param (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = {"-y", "--yes"}, description = "do not ask before rolling back")
    boolean yes;

    @Override
    int execute() {
        Program program = load();
        List<Phase> all = program.runbook().phases();
        int start = to == null ? 0 : PhaseSelection.index(program.runbook(), to, "--to") + 1;
        List<Phase> phases = new ArrayList<>(all.subList(start, all.size()));
        Collections.reverse(phases);
        Scope scope = Params.bind(program, params, context.env());
        if (phases.stream().noneMatch(Phase::hasRollback)) {
            context.out().println("nothing to roll back: " + (phases.isEmpty() ? "no phases after \"" + to + "\"" : "none of these phases has a rollback block"));
            return ExitCode.OK;
        }
        Prompter prompter = yes ? Prompter.assumeYes() : context.terminalPrompter();
        if (prompter == null) {
            throw new RunbookException(ExitCode.NEEDS_TERMINAL, new Diagnostic(null,
                    "rollback asks for confirmation and there is no terminal to ask on; nothing was run", "pass --yes to confirm in advance"));
        }
        List<String> names = phases.stream().filter(Phase::hasRollback).map(p -> "\"" + p.name() + "\"").toList();
        Prompter.Answer answer = prompter.confirm("Run the rollback blocks of " + String.join(", ", names) + ", in that order?", null);
        if (!answer.yes()) {
            context.err().println("rollback declined: nothing was run");
            return ExitCode.ABORTED;
        }
        ConsoleReporter reporter = new ConsoleReporter(context.out(), context.err(), context.style());
        try (Database database = connect(db); Session session = new Session(database.connection())) {
            reporter.runStarted(program.runbook(), database.settings().describe());
            Interpreter interpreter = new Interpreter(program, session, prompter, reporter, scope, context.env());
            var previous = RunCommand.onInterrupt(interpreter);
            try {
                return interpreter.rollback(phases);
            } finally {
                if (previous != null) sun.misc.Signal.handle(new sun.misc.Signal("INT"), previous);
            }
        } catch (SQLException e) {
            context.err().println("ERROR: cannot get a database connection: " + e.getMessage());
            return ExitCode.CONNECTION;
        }
    }
}
