package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.journal.Journal;
import io.runbook.journal.JournalRecorder;
import io.runbook.parse.Program;
import io.runbook.run.Engine;
import io.runbook.run.Prompter;
import io.runbook.run.RunEvent;
import io.runbook.run.RunListener;
import io.runbook.run.Session;
import io.runbook.source.ExitCode;
import io.runbook.term.ConsoleReporter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "baseline",
        mixinStandardHelpOptions = true,
        description = {
            "Record phases as applied without running them (a database that already has them), journaled as a baseline.",
            "Each phase's verify block first runs read-only on the target as proof; a phase whose verify fails, or",
            "that has none, is refused (exit 11) and nothing is recorded, unless --force (journaled as forced)."
        })
final class BaselineCommand extends BaseCommand {
    @Mixin
    JournalOptions journalOptions;

    @Mixin
    ParamOptions params;

    @Option(
            names = "--through",
            paramLabel = "PHASE",
            required = true,
            description = "the last phase to mark as applied")
    String through;

    @Option(
            names = "--force",
            description =
                    "record the phases even where a verify block fails on the target or is missing (journaled as forced)")
    boolean force;

    @Override
    int execute() throws SQLException {
        Program program = load();
        int last = PhaseSelection.index(program.runbook(), through, "--through");
        Scope scope = params.bind(program, context);
        try (Database database = connectTarget(journalOptions.db);
                Connection c = database.connection();
                Session session = new Session(database.connection())) {
            Journal journal = journalOptions.open(c, program, true, context);
            Map<String, Journal.PhaseRecord> before =
                    journal.phases(program.runbook().name());
            Evidence evidence = new Evidence(new ConsoleReporter(context.out(), context.err(), context.style()));
            Engine engine =
                    new Engine(program, session, Prompter.none(), evidence, scope, context.env(), Engine.Policy.RUN);
            List<Phase> todo = new ArrayList<>();
            for (Phase p : program.runbook().phases().subList(0, last + 1)) {
                Journal.PhaseRecord r = before.get(p.name());
                if (r != null && r.done())
                    context.out().println("  " + p.name() + ": already " + r.status() + " (run #" + r.runId() + ")");
                else todo.add(p);
            }
            Map<Phase, String> unproven = prove(engine, todo, evidence);
            if (!unproven.isEmpty() && !force) {
                context.err()
                        .println("ERROR: baseline refused: " + unproven.size() + " of " + todo.size()
                                + " phase(s) not proven on this database; nothing was recorded");
                unproven.forEach((p, why) -> context.err().println("  " + p.pos() + ": \"" + p.name() + "\" " + why));
                context.err()
                        .println("  hint: check that the database really has these phases; --force records them anyway"
                                + " (journaled as forced)");
                return ExitCode.UNPROVEN;
            }
            long runId = journal.startRun(JournalOptions.runInfo(
                    "baseline", program, file, database.settings().describe(), scope, context, false));
            JournalRecorder recorder = new JournalRecorder(journal, program, runId, before, Set.of());
            engine.withProgress(recorder);
            for (Phase p : todo) {
                evidence.replay(p, recorder);
                String why = unproven.get(p);
                if (why != null) recorder.forced(p, why);
                engine.baseline(p);
                context.out()
                        .println("  " + p.name() + ": marked applied (baseline"
                                + (why == null ? ", verified" : ", forced: " + why) + ")");
            }
            String forced = unproven.isEmpty() ? "" : ", " + unproven.size() + " forced (--force)";
            journal.finishRun(
                    runId,
                    ExitCode.OK,
                    "baseline through \"" + through + "\": " + todo.size() + " phase(s) marked" + forced);
            context.out()
                    .println("baseline recorded as run #" + runId + ": " + todo.size()
                            + " phase(s) marked applied without running them" + forced);
            return ExitCode.OK;
        }
    }

    /** Runs each phase's verify block read-only on the target; returns the phases not proven, with why. */
    private Map<Phase, String> prove(Engine engine, List<Phase> todo, Evidence evidence) {
        Map<Phase, String> unproven = new LinkedHashMap<>();
        if (todo.isEmpty()) return unproven;
        engine.settings();
        for (Phase p : todo) {
            if (p.verify().isEmpty()) {
                context.out().println("  " + p.name() + ": no verify block to prove it is there");
                unproven.put(p, "has no verify block");
                continue;
            }
            evidence.phase = p;
            context.out().println("phase \"" + p.name() + "\": its verify block, read-only on the target:");
            engine.enter(RunEvent.Block.VERIFY, p, 0, 0);
            if (!engine.probe(p.verify(), p, RunEvent.Block.VERIFY, true)) unproven.put(p, "its verify block fails");
        }
        return unproven;
    }

    /** The probes' events: shown as they happen, kept per phase for the journal once the baseline is recorded. */
    private static final class Evidence implements RunListener {
        private final RunListener console;
        private final Map<Phase, List<RunEvent>> kept = new LinkedHashMap<>();
        Phase phase;

        Evidence(RunListener console) {
            this.console = console;
        }

        @Override
        public void on(RunEvent e) {
            if (e instanceof RunEvent.PhaseFinished) return; // the command says what it recorded
            console.on(e);
            if (phase != null)
                kept.computeIfAbsent(phase, k -> new ArrayList<>()).add(e);
        }

        void replay(Phase p, RunListener to) {
            kept.getOrDefault(p, List.of()).forEach(to::on);
        }
    }
}
