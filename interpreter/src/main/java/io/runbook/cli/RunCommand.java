package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.run.Interpreter;
import io.runbook.run.Params;
import io.runbook.run.Session;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import io.runbook.term.ConsoleReporter;
import io.runbook.term.Prompter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a runbook against a database: preflight, then each phase.")
final class RunCommand extends BaseCommand {
    @Option(names = "--db", paramLabel = "URL", description = "postgresql:// URI, jdbc:postgresql:// URL or 'host=... dbname=...'; default: DATABASE_URL, then PGHOST/PGPORT/PGUSER/PGDATABASE")
    String db;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "set a param (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = {"-y", "--yes"}, description = "answer every confirmation with yes (for CI and scripts)")
    boolean yes;

    @Option(names = "--from", paramLabel = "PHASE", description = "start at this phase")
    String from;

    @Option(names = "--only", paramLabel = "PHASE", description = "run only this phase")
    String only;

    @Option(names = "--on-failure", paramLabel = "rollback|stop",
            description = "after a failure, run the rollback blocks of phases committed in this run, or stop; default: ask on a terminal, else stop")
    Interpreter.OnFailure onFailure;

    @Override
    int execute() {
        Program program = load();
        List<Phase> phases = PhaseSelection.forRun(program.runbook(), from, only);
        Scope scope = Params.bind(program, params, context.env());
        Prompter prompter = yes ? Prompter.assumeYes() : context.terminalPrompter();
        if (prompter == null) prompter = Prompter.none();
        Pos firstConfirm = firstConfirm(program, phases);
        if (!prompter.canAsk() && firstConfirm != null) {
            throw new RunbookException(ExitCode.NEEDS_TERMINAL, new Diagnostic(firstConfirm,
                    "this runbook asks for confirmation and there is no terminal to ask on; nothing was run",
                    "run it from a terminal, or pass --yes to answer every confirmation with yes"));
        }
        Interpreter.OnFailure policy = onFailure != null ? onFailure : prompter.canAsk() && !yes ? Interpreter.OnFailure.ASK : Interpreter.OnFailure.STOP;
        ConsoleReporter reporter = new ConsoleReporter(context.out(), context.err(), context.style());
        try (Database database = connect(db); Session session = new Session(database.connection())) {
            reporter.runStarted(program.runbook(), database.settings().describe());
            Interpreter interpreter = new Interpreter(program, session, prompter, reporter, scope, context.env());
            SignalHandler previous = onInterrupt(interpreter);
            try {
                return interpreter.run(phases, policy);
            } finally {
                if (previous != null) Signal.handle(new Signal("INT"), previous);
            }
        } catch (SQLException e) {
            context.err().println("ERROR: cannot get a database connection: " + e.getMessage());
            return ExitCode.CONNECTION;
        }
    }

    /** Ctrl-C cancels the running statement on the server; the phase then rolls back. */
    static SignalHandler onInterrupt(Interpreter interpreter) {
        try {
            return Signal.handle(new Signal("INT"), sig -> interpreter.interrupt());
        } catch (IllegalArgumentException e) {
            return null; // no SIGINT on this platform
        }
    }

    /** The first confirm the selected blocks would reach, for refusing to start without a terminal. */
    static Pos firstConfirm(Program program, List<Phase> phases) {
        List<Step> steps = new ArrayList<>(program.runbook().preflight());
        for (Phase p : phases) {
            steps.addAll(p.steps());
            steps.addAll(p.verify());
        }
        return firstConfirm(steps);
    }

    private static Pos firstConfirm(List<Step> steps) {
        for (Step s : steps) {
            if (s instanceof Step.Confirm c) return c.pos();
            if (s instanceof Step.Check c) {
                Pos p = firstConfirm(c.steps());
                if (p != null) return p;
            }
        }
        return null;
    }
}
