package io.runbook.cli;

import io.runbook.run.Prompter;
import io.runbook.term.Style;
import io.runbook.term.TerminalPrompter;
import io.runbook.term.TtyPrompter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `runbook` command line. */
@Command(
        name = "runbook",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Runs database-migration runbooks against PostgreSQL, step by step, with guards and a way back.",
        footer = {
            "",
            "Exit codes: 0 ok, 1 guard failed, 2 invalid input, 3 connection error,",
            "4 SQL error, 5 aborted, 6 rolled back after failure, 7 needs a terminal,",
            "8 already running, 9 interrupted phase, 10 applied phases changed, 11 baseline not proven,",
            "70 internal error (a bug).",
            "See docs/reference.md."
        })
public class Main implements Runnable {
    /**
     * The whole command tree. Building a picocli model costs reflection over every option of every command (most of a
     * start), so a command line gets only the command it names; this class gives the build's picocli tools (man pages,
     * shell completion) and a line naming no command (usage, suggestions) all of them.
     */
    @Command(
            subcommands = {
                RunCommand.class,
                PlanCommand.class,
                CheckCommand.class,
                RollbackCommand.class,
                LintCommand.class,
                StatusCommand.class,
                ShellCommand.class,
                BaselineCommand.class,
                ReportCommand.class,
                DiffCommand.class,
                RehearseCommand.class,
                FmtCommand.class,
                LspCommand.class,
                FleetCommand.class
            })
    public static final class All extends Main {}

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--log-file",
            paramLabel = "PATH",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "append an audit log to PATH: one JSON line per command, phase, step, guard and SQL statement sent (never a secret)")
    java.nio.file.Path logFile;

    public static void main(String[] args) {
        boolean console = System.console() != null; // both stdin and stdout are a terminal: colour
        PrintStream out =
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err =
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        boolean colour = console && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
        Context ctx = new Context(
                out,
                err,
                System.getenv(),
                System.getProperty("user.name"),
                Main::operatorTerminal,
                new Style(colour, colour));
        System.exit(run(ctx, args));
    }

    private static final String NO_CONVERTERS = "picocli.converters.excludes";

    /** Runs a command line in the given context; returns the exit code. */
    public static int run(Context ctx, String... args) {
        Early early = early(ctx, args); // first: reading the annotations below takes a while
        // No option takes a date, a time or a JDBC type: picocli need not look their converters up (java.time's
        // formatters are slow to initialise), and an option of such a type would say so at build time.
        if (System.getProperty(NO_CONVERTERS) == null) System.setProperty(NO_CONVERTERS, "java\\.(time|sql)\\..*");
        Class<?>[] commands = All.class.getAnnotation(Command.class).subcommands();
        String named = named(commands, args);
        try {
            CommandLine cli = new CommandLine(new Main(), new Factory(ctx, early));
            boolean versionOnly = args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"));
            for (Class<?> command : commands)
                if (named == null ? !versionOnly : named.equals(name(command))) cli.addSubcommand(command);
            // after the subcommands: picocli applies these settings to the commands present
            cli.setOut(new java.io.PrintWriter(ctx.out(), true));
            cli.setErr(new java.io.PrintWriter(ctx.err(), true));
            cli.setCaseInsensitiveEnumValuesAllowed(true);
            cli.setExecutionStrategy(Main::execute);
            return cli.execute(args);
        } finally {
            if (early != null) early.target().abandon(); // a line picocli refused, or a run that connected again
        }
    }

    /** The target's connection and the runbook's load, begun before picocli reads a `run` line. */
    record Early(EarlyTarget target, EarlyLoad load) {}

    /**
     * For `run`, the target's connection and the runbook's load begun now, on threads of their own, before picocli
     * reads the line: building picocli's model of the command takes about as long as connecting, and a run waited for
     * one and then the other. The --db and the file are found here plainly (the file: the first word ending in
     * .runbook); RunCommand takes each only when picocli read the same (else it connects or loads again), so a line
     * read differently here costs a connection or a read, never a wrong one. Not for help or version.
     */
    static Early early(Context ctx, String[] args) {
        String db = null;
        String file = null;
        boolean afterCommand = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!afterCommand) {
                if (a.equals("--log-file")) i++;
                else if (a.equals("run")) afterCommand = true;
                else return null; // another command, or an option of runbook's own
            } else if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return null;
            } else if (a.equals("--db") && i + 1 < args.length) {
                db = args[++i];
            } else if (a.startsWith("--db=")) {
                db = a.substring("--db=".length());
            } else if (file == null && a.endsWith(".runbook") && !a.startsWith("-")) {
                file = a;
            }
        }
        if (!afterCommand) return null;
        EarlyTarget target = BaseCommand.connectTargetEarly(db, ctx);
        java.nio.file.Path path = null;
        try {
            if (file != null) path = java.nio.file.Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            // picocli says so when it reads the line
        }
        return new Early(target, EarlyLoad.start(path));
    }

    /** The command the line names: the first word that is a command's name, not counting --log-file's value. */
    private static String named(Class<?>[] commands, String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-file")) i++;
            else for (Class<?> command : commands) if (args[i].equals(name(command))) return args[i];
        }
        return null;
    }

    /**
     * A command's name, from its class name (RunCommand: run) rather than its @Command annotation: parsing fourteen
     * annotations to find one was a measurable part of a start. MainTest holds the two the same.
     */
    static String name(Class<?> command) {
        String name = command.getSimpleName();
        if (name.endsWith("Command")) name = name.substring(0, name.length() - "Command".length());
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    /** Sets up the audit log when --log-file is given anywhere on the line, then runs the command and logs how it ended. */
    private static int execute(CommandLine.ParseResult parsed) {
        java.nio.file.Path logFile = null;
        CommandLine.ParseResult last = parsed;
        for (CommandLine.ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.hasMatchedOption("--log-file")) logFile = p.matchedOptionValue("--log-file", null);
            last = p;
        }
        if (logFile == null) return new CommandLine.RunLast().execute(parsed);
        LogSetup.logFile(logFile);
        String command = last.commandSpec().name();
        Object file = last.hasMatchedPositional(0) ? last.matchedPositional(0).getValue() : null;
        AuditLog.commandStarted(
                command,
                file == null
                        ? null
                        : String.valueOf(file instanceof java.util.List<?> l && !l.isEmpty() ? l.get(0) : file),
                System.getProperty("user.name"));
        int exit = new CommandLine.RunLast().execute(parsed);
        AuditLog.commandFinished(command, exit);
        return exit;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The operator's terminal: stdin/stdout when they are one, else the controlling terminal
     * (/dev/tty, as sudo and ssh do), so `runbook run ... | tee run.log` still asks. Null under
     * cron, CI or nohup, where nobody could answer.
     */
    private static Prompter operatorTerminal() {
        String who = System.getProperty("user.name") + " at the terminal";
        try {
            if (System.console() != null)
                return new TerminalPrompter(
                        TerminalBuilder.builder().system(true).build(), who);
            return TtyPrompter.open(who);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Gives every command the context, and `run` the connection begun for it. */
    private record Factory(Context ctx, Early early) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            K k = CommandLine.defaultFactory().create(cls);
            if (k instanceof ContextAware aware) aware.context(ctx);
            if (k instanceof RunCommand run && early != null) {
                run.started = early.target();
                run.loading = early.load();
            }
            return k;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/io/runbook/version.properties")) {
                if (in != null) p.load(in);
            }
            return new String[] {"runbook " + p.getProperty("version", "dev")};
        }
    }
}
