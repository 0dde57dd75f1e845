package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.journal.Gate;
import io.runbook.journal.Journal;
import io.runbook.parse.Program;
import io.runbook.run.Params;
import io.runbook.run.Session;
import io.runbook.shell.Shell;
import io.runbook.source.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `runbook shell [FILE]`: step through a runbook by hand, with SQL at the prompt. See docs/shell.md. */
@Command(
        name = "shell",
        mixinStandardHelpOptions = true,
        modelTransformer = ShellCommand.OptionalFile.class,
        description =
                "An interactive shell on the database: step through a runbook (next, run, verify, check, rollback, ...), "
                        + "and type SQL in the same session. Without FILE, a SQL shell.")
public final class ShellCommand extends BaseCommand {
    @Mixin
    JournalOptions journalOptions;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "NAME=VALUE",
            description = "set a param (repeatable); without FILE, a variable for SQL (:NAME)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--allow-changed",
            description = "step although phases that were applied have changed since (journaled)")
    boolean allowChanged;

    @Option(
            names = "--history",
            paramLabel = "FILE",
            description = "the history file (default: RUNBOOK_HISTORY, else ~/.runbook_history)")
    Path history;

    /** Given by tests and embedders; else the operator's terminal. */
    private Terminal terminal;

    public ShellCommand() {}

    /** Runs `runbook shell ARGS...` on the given terminal: for tests, and for embedding the shell. */
    public static int run(Context context, Terminal terminal, String... args) {
        ShellCommand command = new ShellCommand();
        command.context = context;
        command.terminal = terminal;
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(context.out(), true));
        cli.setErr(new PrintWriter(context.err(), true));
        return cli.execute(args);
    }

    @Override
    int execute() {
        Program program = file == null ? null : load();
        Scope scope = program == null ? variables() : Params.bind(program, params, context.env());
        try (Database database = connect(journalOptions.db);
                Session session = new Session(database.connection())) {
            Connection journalConnection = null;
            Terminal t = terminal;
            try {
                Journal journal = null;
                long runId = 0;
                String target = database.settings().describe();
                io.runbook.run.Liveness.abandonedShell(session.connection());
                if (program != null) {
                    journalConnection = database.connection();
                    journal = journalOptions.open(journalConnection, session.connection(), program, context);
                    List<Phase> changed = Gate.checkUnchanged(
                            program, journal.phases(program.runbook().name()), allowChanged);
                    runId = journal.startRun(
                            JournalOptions.runInfo("shell", program, file, target, scope, context, !changed.isEmpty()));
                }
                if (t == null) t = systemTerminal();
                Shell shell = new Shell(new Shell.Setup(
                        t,
                        session,
                        target,
                        database.settings().database(),
                        program,
                        file,
                        params,
                        scope,
                        context.env(),
                        RunCommand.shellEnvironment(database),
                        journal,
                        runId,
                        context.osUser() + " at the terminal",
                        historyFile(),
                        allowChanged));
                int exit = shell.run();
                if (journal != null) journal.finishRun(runId, exit, shell.outcome());
                return exit;
            } finally {
                if (journalConnection != null) journalConnection.close();
                if (terminal == null && t != null) t.close();
            }
        } catch (SQLException e) {
            context.err().println("ERROR: database connection failed: " + e.getMessage());
            context.err()
                    .println(
                            "  hint: the server rolled back any open phase; check the server and start the shell again");
            return ExitCode.CONNECTION;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Terminal systemTerminal() throws IOException {
        return TerminalBuilder.builder().name("runbook").system(true).dumb(true).build();
    }

    private Path historyFile() {
        if (history != null) return history;
        String env = context.env().get("RUNBOOK_HISTORY");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".runbook_history");
    }

    /** Without a runbook, --param values are variables for SQL: numbers when they read as one. */
    private Scope variables() {
        Scope s = new Scope(null);
        params.forEach((k, v) -> {
            try {
                s.set(k, new io.runbook.ast.Value.Num(new BigDecimal(v.strip())));
            } catch (NumberFormatException e) {
                s.set(k, new io.runbook.ast.Value.Text(v));
            }
        });
        return s;
    }

    /** FILE is optional here (a SQL shell without it); every other command requires it. */
    public static final class OptionalFile implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            for (CommandLine.Model.PositionalParamSpec p : List.copyOf(spec.positionalParameters())) {
                spec.remove(p);
                spec.addPositional(CommandLine.Model.PositionalParamSpec.builder(p)
                        .arity("0..1")
                        .required(false)
                        .description("the .runbook file; without it, a SQL shell")
                        .build());
            }
            return spec;
        }
    }
}
