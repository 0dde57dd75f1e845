package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.db.ConnectionSettings;
import io.runbook.eval.Scope;
import io.runbook.fleet.Fleet;
import io.runbook.fleet.FleetConfirmations;
import io.runbook.fleet.FleetConsole;
import io.runbook.fleet.FleetReports;
import io.runbook.fleet.FleetStatus;
import io.runbook.fleet.Target;
import io.runbook.fleet.TargetResult;
import io.runbook.fleet.TargetRun;
import io.runbook.fleet.Targets;
import io.runbook.journal.Journal;
import io.runbook.parse.Program;
import io.runbook.run.Params;
import io.runbook.run.Prompter;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** `runbook fleet run|status`: one runbook across many databases (docs/fleet.md). */
@Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        description =
                "Run one runbook across many databases: a canary first, then waves; halt on failures; resume by re-running.",
        subcommands = {FleetCommand.Run.class, FleetCommand.Status.class})
final class FleetCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Which targets, and this process's share of them. */
    static final class TargetOptions {
        @Option(
                names = "--targets",
                paramLabel = "FILE",
                description = "a file with one target per line: NAME URL (URL as --db takes it); # comments")
        Path file;

        @Option(
                names = "--targets-query",
                paramLabel = "SQL",
                description =
                        "a query on the --db server whose first column lists database names (database per tenant)")
        String query;

        @Option(
                names = "--db",
                paramLabel = "URL",
                description = "with --targets-query: the server to query; its targets are its databases of those names")
        String db;

        @Option(
                names = "--shard",
                paramLabel = "I/N",
                description =
                        "take only share I of N of the targets (a hash of each name), so N processes split one fleet")
        String shard;

        @Option(
                names = "--journal-schema",
                paramLabel = "SCHEMA",
                defaultValue = "runbook",
                description = "where each target's journal lives (default: ${DEFAULT-VALUE})")
        String schema;

        List<Target> resolve(Context context) throws SQLException {
            if ((file == null) == (query == null)) {
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(
                                null,
                                "give the targets with --targets FILE or with --targets-query SQL --db URL",
                                "a targets file lists one target per line: NAME URL (see docs/fleet.md)"));
            }
            List<Target> all = file != null
                    ? Targets.read(file, context.env(), context.osUser())
                    : Targets.query(ConnectionSettings.resolve(db, context.env(), context.osUser()), query);
            if (shard == null) return all;
            String[] parts = shard.split("/");
            int index;
            int count;
            try {
                index = Integer.parseInt(parts[0].strip());
                count = Integer.parseInt(parts[1].strip());
            } catch (RuntimeException e) {
                index = 0;
                count = 0;
            }
            if (parts.length != 2 || count < 1 || index < 1 || index > count) {
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(
                                null,
                                "--shard " + shard + ": expected I/N with 1 <= I <= N",
                                "e.g. --shard 1/4 in the first of four processes; in a Kubernetes Indexed Job: --shard $((JOB_COMPLETION_INDEX+1))/N"));
            }
            return Targets.shard(all, index, count);
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description =
                    "Run the runbook on every target: --canary targets alone first, then --parallel at a time; each target is a normal run with its own journal and lock.")
    static final class Run extends BaseCommand {
        @Mixin
        TargetOptions targets;

        @Option(
                names = {"-p", "--param"},
                paramLabel = "NAME=VALUE",
                description = "set a param for every target (repeatable)")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(
                names = {"-y", "--yes"},
                description = "answer every confirmation with yes (for CI and scripts)")
        boolean yes;

        @Option(
                names = "--canary",
                paramLabel = "N",
                defaultValue = "1",
                description =
                        "run the first N targets alone first; nothing else starts unless they all apply (default: ${DEFAULT-VALUE})")
        int canary;

        @Option(
                names = "--parallel",
                paramLabel = "N",
                defaultValue = "4",
                description = "after the canary, at most N targets at a time (default: ${DEFAULT-VALUE})")
        int parallel;

        @Option(
                names = "--max-failures",
                paramLabel = "N",
                defaultValue = "0",
                description = "after more than N failed targets no new target starts (default: ${DEFAULT-VALUE})")
        int maxFailures;

        @Option(
                names = "--max-connections",
                paramLabel = "N",
                description =
                        "at most N open connections on any one server (each running target uses 2), below its max_connections; default: no limit but --parallel's")
        Integer maxConnections;

        @Option(
                names = "--allow-changed",
                description = "run although phases that already ran have changed since (journaled on each target)")
        boolean allowChanged;

        @Option(
                names = "--report",
                paramLabel = "FILE.md",
                description = "write a Markdown report: a summary, then one section per target")
        Path markdown;

        @Option(
                names = "--junit",
                paramLabel = "FILE.xml",
                description = "write a JUnit report: one testsuite per target")
        Path junit;

        @Override
        int execute() throws SQLException {
            Program program = load();
            if (canary < 0 || parallel < 1 || maxFailures < 0 || (maxConnections != null && maxConnections < 2)) {
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(
                                null,
                                "--canary and --max-failures must be 0 or more, --parallel 1 or more, --max-connections 2 or more",
                                null));
            }
            List<Phase> phases = program.runbook().phases();
            Scope scope = Params.bind(program, params, context.env());
            List<Target> list = targets.resolve(context);
            Prompter prompter = confirmations(program, phases, scope);
            TargetRun.RunHeader header = new TargetRun.RunHeader() {
                public Journal.RunInfo of(String target, boolean changed) {
                    return JournalOptions.runInfo("fleet run", program, file, target, scope, context, changed);
                }

                public String outcome(int exitCode) {
                    return RunCommand.outcome(exitCode);
                }
            };
            TargetRun.Plan plan = new TargetRun.Plan(
                    program,
                    phases,
                    scope,
                    prompter,
                    targets.schema,
                    allowChanged,
                    context.osUser(),
                    header.of("", false).clientHost(),
                    context.env(),
                    markdown != null || junit != null,
                    header,
                    RunCommand::shellEnvironment);
            FleetConsole console = new FleetConsole(context.out(), context.style(), list.size());
            context.out()
                    .println("fleet: runbook \"" + program.runbook().name() + "\" on " + list.size() + " target(s)"
                            + (targets.shard == null ? "" : " (shard " + targets.shard + ")") + ", canary "
                            + Math.min(canary, list.size())
                            + ", then " + parallel + " at a time"
                            + (maxConnections == null
                                    ? ""
                                    : ", at most " + maxConnections + " connections per server"));
            Fleet fleet = new Fleet(
                    plan,
                    new Fleet.Options(canary, parallel, maxFailures, maxConnections != null ? maxConnections : 0),
                    console);
            List<TargetResult> results;
            SignalHandler previous = onInterrupt(fleet);
            try {
                results = fleet.run(list);
            } finally {
                if (previous != null) Signal.handle(new Signal("INT"), previous);
            }
            console.summary(results);
            write(markdown, () -> FleetReports.markdown(program.runbook().name(), results));
            write(junit, () -> FleetReports.junit(program.runbook().name(), results));
            return exitCode(results);
        }

        /** Asked once, before the canary; with no terminal and no --yes, nothing starts. */
        private Prompter confirmations(Program program, List<Phase> phases, Scope scope) {
            List<Step.Confirm> confirms = FleetConfirmations.of(program, phases);
            Prompter operator = yes ? Prompter.assumeYes() : context.terminalPrompter();
            if (confirms.isEmpty()) return operator != null ? operator : Prompter.none();
            if (operator == null || !operator.canAsk()) {
                throw new RunbookException(
                        ExitCode.NEEDS_TERMINAL,
                        new Diagnostic(
                                confirms.get(0).pos(),
                                "this runbook asks for confirmation and there is no terminal to ask on; no target was started",
                                "run it from a terminal (the questions are asked once for the whole fleet), or pass --yes"));
            }
            Prompter fleetAnswers = FleetConfirmations.ask(program, confirms, operator, scope, context.env());
            if (fleetAnswers == null) {
                throw new RunbookException(
                        ExitCode.ABORTED,
                        new Diagnostic(
                                null,
                                "the operator declined a confirmation: no target was started",
                                "re-run when ready"));
            }
            return fleetAnswers;
        }

        private static int exitCode(List<TargetResult> results) {
            for (TargetResult r : results) if (r.failed()) return r.exitCode();
            if (results.stream().allMatch(TargetResult::ok)) return ExitCode.OK;
            if (results.stream().anyMatch(r -> r.state() == TargetResult.State.RUNNING_ELSEWHERE))
                return ExitCode.LOCKED;
            return ExitCode.ABORTED;
        }

        /** Ctrl-C once: no new target starts; twice: the running targets' statements are cancelled and their phases roll back. */
        private SignalHandler onInterrupt(Fleet fleet) {
            AtomicInteger presses = new AtomicInteger();
            try {
                return Signal.handle(new Signal("INT"), sig -> {
                    if (presses.incrementAndGet() == 1) {
                        context.err()
                                .println(
                                        "\nCtrl-C: no new target starts; running targets stop after their current phase (Ctrl-C again to cancel them)");
                        fleet.interrupt();
                    } else {
                        context.err()
                                .println("\nCtrl-C again: cancelling the running targets; each rolls back its phase");
                        fleet.cancel();
                    }
                });
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private void write(Path path, java.util.function.Supplier<String> text) {
            if (path == null) return;
            try {
                if (path.toAbsolutePath().getParent() != null)
                    Files.createDirectories(path.toAbsolutePath().getParent());
                Files.writeString(path, text.get());
                context.err().println("report written: " + path);
            } catch (IOException | RuntimeException e) {
                context.err()
                        .println("ERROR: cannot write report " + path + ": " + e.getMessage()
                                + " (each target's run is in its journal: `runbook report` writes it again)");
            }
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Show each target's state from its journal: applied, failed at phase X, pending, interrupted, changed. Exit 0 only when every target is applied.")
    static final class Status extends BaseCommand {
        @Mixin
        TargetOptions targets;

        @Option(names = "--json", description = "print JSON for machines")
        boolean json;

        @Override
        int execute() throws SQLException {
            Program program = load();
            List<FleetStatus.Row> rows = FleetStatus.read(program, targets.schema, targets.resolve(context), 8);
            context.out().print(json ? FleetStatus.json(program.runbook().name(), rows) : FleetStatus.table(rows));
            return rows.stream().allMatch(FleetStatus.Row::applied) ? ExitCode.OK : ExitCode.GUARD_FAILED;
        }
    }
}
