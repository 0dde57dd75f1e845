package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.ast.Steps;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.journal.Checksums;
import io.runbook.journal.Gate;
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
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
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
import sun.misc.Signal;
import sun.misc.SignalHandler;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Run a runbook against a database: preflight, then each phase not yet applied (the journal remembers).")
final class RunCommand extends BaseCommand {
    @Mixin
    JournalOptions journalOptions;

    @Mixin
    ParamOptions params;

    @Option(
            names = {"-y", "--yes"},
            description = "answer every confirmation with yes (for CI and scripts)")
    boolean yes;

    @Option(names = "--from", paramLabel = "PHASE", description = "start at this phase")
    String from;

    @Option(names = "--only", paramLabel = "PHASE", description = "run only this phase")
    String only;

    @Option(
            names = "--on-failure",
            paramLabel = "rollback|stop",
            description =
                    "after a failure, run the rollback blocks of phases committed in this run, or stop; default: ask on a terminal, else stop")
    Interpreter.OnFailure onFailure;

    @Option(
            names = "--allow-changed",
            description = "run even though phases that already ran have changed since (journaled)")
    boolean allowChanged;

    @Option(
            names = "--rerun",
            paramLabel = "PHASE",
            description = "run again a `no transaction` phase that an earlier run left interrupted")
    List<String> rerun = new ArrayList<>();

    @Option(
            names = "--mark-done",
            paramLabel = "PHASE",
            description = "record an interrupted phase as done without running it (journaled)")
    List<String> markDone = new ArrayList<>();

    @Option(
            names = "--show-locks",
            description = "before each phase, show who holds or waits for locks in the database")
    boolean showLocks;

    @Mixin
    ReportOptions reports;

    @Override
    int execute() throws SQLException {
        EarlyTarget target = connectTargetEarly(journalOptions.db); // connects while the runbook loads
        try {
            return run(load(), target);
        } finally {
            target.abandon(); // closed if never taken (a runbook that does not load); closing twice is harmless
        }
    }

    private int run(Program program, EarlyTarget target) throws SQLException {
        List<Phase> phases = PhaseSelection.forRun(program.runbook(), from, only);
        for (String p : rerun) PhaseSelection.index(program.runbook(), p, "--rerun");
        for (String p : markDone) PhaseSelection.index(program.runbook(), p, "--mark-done");
        Scope scope = params.bind(program, context);
        Prompter prompter = yes ? Prompter.assumeYes() : context.terminalPrompter();
        if (prompter == null) prompter = Prompter.none();
        Pos firstConfirm = firstConfirm(program, phases);
        if (!prompter.canAsk() && firstConfirm != null) {
            throw new RunbookException(
                    ExitCode.NEEDS_TERMINAL,
                    new Diagnostic(
                            firstConfirm,
                            "this runbook asks for confirmation and there is no terminal to ask on; nothing was run",
                            "run it from a terminal, or pass --yes to answer every confirmation with yes"));
        }
        Interpreter.OnFailure policy = onFailure != null
                ? onFailure
                : prompter.canAsk() && !yes ? Interpreter.OnFailure.ASK : Interpreter.OnFailure.STOP;
        ConsoleReporter console = new ConsoleReporter(context.out(), context.err(), context.style());
        // The journal is checked on the first connection while the session that runs the phases connects.
        try (Database database = target(target, journalOptions.db).openAhead();
                Connection journalConnection = journalOptions.ensured(database.connection());
                Session session = new Session(database.connection())) {
            Journal journal = journalOptions.open(journalConnection, session.connection(), program, context);
            Map<String, Journal.PhaseRecord> before =
                    journal.phases(program.runbook().name());
            List<Phase> changed = Gate.checkUnchanged(program, before, allowChanged);
            checkDecisions(program, before);
            console.on(new RunEvent.RunStarted(
                    program.runbook(), database.settings().describe()));
            long runId = journal.startRun(JournalOptions.runInfo(
                    "run", program, file, database.settings().describe(), scope, context, !changed.isEmpty()));
            for (String p : markDone) {
                Phase phase = program.runbook().phase(p);
                journal.recordPhase(
                        null,
                        runId,
                        program.runbook().name(),
                        p,
                        "marked_done",
                        phase.transactional(),
                        Checksums.phase(program, phase),
                        Checksums.phaseSource(program, phase),
                        null,
                        null);
                console.on(new RunEvent.Note(
                        "phase \"" + p + "\" recorded as done without running it (--mark-done, journaled)"));
            }
            if (!markDone.isEmpty()) before = journal.phases(program.runbook().name());
            JournalRecorder recorder = new JournalRecorder(journal, program, runId, before, Set.copyOf(rerun));
            Interpreter interpreter = new Interpreter(
                            program,
                            session,
                            prompter,
                            RunListener.all(console, recorder, new AuditLog()),
                            scope,
                            context.env())
                    .withProgress(recorder)
                    .withLockReport(showLocks)
                    .withShellEnvironment(shellEnvironment(database));
            for (Phase p : changed)
                console.on(new RunEvent.Note("running although phase \"" + p.name()
                        + "\" changed since it was applied (--allow-changed, journaled)"));
            for (Phase p : phases) {
                Journal.PhaseRecord r = before.get(p.name());
                if (r != null && r.failedClean())
                    console.on(new RunEvent.Note("phase \"" + p.name() + "\" failed in run #" + r.runId()
                            + " with nothing of it committed: it runs again (" + r.detail() + ")"));
            }
            List<Phase> undecided = Gate.interrupted(phases, before, Set.copyOf(rerun));
            int exit;
            if (!undecided.isEmpty()) {
                exit = refuseInterrupted(interpreter, journal, program.runbook().name(), undecided, before);
            } else {
                Runnable restore = onInterrupt(interpreter);
                try {
                    exit = interpreter.run(phases, policy);
                } finally {
                    restore.run();
                }
            }
            String by = interpreter.engine().interruptedBy();
            String outcome = by != null && exit == ExitCode.ABORTED ? "interrupted by " + by : outcome(exit);
            if (recorder.lost() != null) {
                context.err()
                        .println("WARNING: some steps of run #" + runId + " could not be written to the journal: "
                                + recorder.lost().getMessage());
                context.err()
                        .println("  hint: the phases' own records are intact; `runbook status` shows what was applied");
            }
            try {
                finish(journal, runId, exit, outcome, program);
            } catch (SQLException e) {
                if (!io.runbook.run.ConnectionLoss.is(e)) throw e;
                // The journal's own connection went during the run (the phases' records commit with each phase,
                // on the session running them): the run's end goes on a new one, and the exit stays the run's.
                journalConnection.close(); // gives its place in the pool to a new one
                try (Connection again = database.connection()) {
                    finish(journalOptions.open(again, null, program, context), runId, exit, outcome, program);
                }
            }
            return exit;
        }
    }

    private void finish(Journal journal, long runId, int exit, String outcome, Program program) throws SQLException {
        journal.finishRun(runId, exit, outcome);
        reports.write(journal, runId, program, context);
    }

    private void checkDecisions(Program program, Map<String, Journal.PhaseRecord> before) {
        List<Diagnostic> problems = new ArrayList<>();
        for (String p : rerun) {
            Journal.PhaseRecord r = before.get(p);
            if (r == null || !(r.interrupted() || r.failedClean())) {
                problems.add(
                        new Diagnostic(
                                program.runbook().phase(p).pos(),
                                "--rerun \"" + p + "\": the phase is not interrupted"
                                        + (r != null && r.done() ? " (it was applied in run #" + r.runId() + ")" : ""),
                                "--rerun is for a `no transaction` phase an earlier run left half-done; to redo an applied phase, roll it back first"));
            }
        }
        for (String p : markDone) {
            Journal.PhaseRecord r = before.get(p);
            if (r == null || !r.interrupted()) {
                problems.add(new Diagnostic(
                        program.runbook().phase(p).pos(),
                        "--mark-done \"" + p + "\": the phase is not interrupted",
                        "to record phases as applied without running them, use `runbook baseline --through PHASE`"));
            }
        }
        if (!problems.isEmpty()) throw new RunbookException(ExitCode.INVALID, problems);
    }

    private int refuseInterrupted(
            Interpreter interpreter,
            Journal journal,
            String runbook,
            List<Phase> undecided,
            Map<String, Journal.PhaseRecord> before)
            throws SQLException {
        for (Phase p : undecided) {
            Journal.PhaseRecord r = before.get(p.name());
            List<String> details = new ArrayList<>();
            List<String> batches = List.of();
            String message;
            if (r.status().equals("partial")) {
                // failed after some of its statements committed: the journal says which, and which failure
                message = "phase \"" + p.name() + "\" failed in run #" + r.runId() + " by " + r.osUser() + " at "
                        + r.finished() + " after some of its statements committed (a `no transaction` phase:"
                        + " each statement commits on its own)";
                details.add("the journal records: " + r.detail());
                details.add("fix the cause of the failure first; the statements it lists as committed stay committed");
            } else {
                message = "interrupted in phase \"" + p.name() + "\": run #" + r.runId() + " by " + r.osUser()
                        + " started it at " + r.started()
                        + " and never finished it (a `no transaction` phase: each statement commits on its own)";
                List<String> committed = journal.steps(r.runId()).stream()
                        .filter(s -> p.name().equals(s.phase())
                                && s.block().equals("phase")
                                && s.kind().equals("sql")
                                && s.status().equals("ok"))
                        .map(s -> s.label() == null ? "sql" : s.label())
                        .toList();
                batches = committedBatches(journal, runbook, p.name());
                details.add(
                        committed.isEmpty() && batches.isEmpty()
                                ? "the journal records no statement of it as committed (one may have been running when it stopped)"
                                : committed.isEmpty()
                                        ? "the journal records no statement of it outside its batches as committed"
                                        : "the journal records these steps of it as committed: "
                                                + String.join("; ", committed));
                details.addAll(batches);
            }
            details.add(verdict(interpreter, p) + "; decide:");
            details.add(
                    "  --mark-done \"" + p.name() + "\"  record it as done without running it (when it did complete)");
            details.add("  --rerun \"" + p.name()
                    + "\"      run all of it again: only if every statement is safe to repeat (e.g. IF NOT EXISTS),"
                    + " since the committed ones run twice"
                    + (batches.isEmpty() ? "" : " (not a keyset batch's committed ranges)"));
            details.add("  runbook rollback --to <the phase before>   undo it");
            context.err()
                    .print(new Diagnostic(p.pos(), message, details, "run again with one of the choices above")
                            .render());
        }
        return ExitCode.INTERRUPTED;
    }

    /**
     * A batch commits range by range, each with its journal row: how many of each batch's ranges committed, and
     * what a re-run does with them (a keyset batch skips them; the other form finds what is left by itself).
     */
    private static List<String> committedBatches(Journal journal, String runbook, String phase) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Journal.BatchTally t : journal.committedBatches(runbook, phase))
            out.add("the journal records " + t.committed() + (t.committed() == 1 ? " batch" : " batches") + " of "
                    + t.batch() + " as committed (" + t.rows() + " rows): "
                    + (t.keyset()
                            ? "--rerun skips those key ranges and does only the rest"
                            : "--rerun runs the batch again, and it finds what is left by itself"));
        return out;
    }

    /** The verify block as evidence of how far the phase got. */
    private String verdict(Interpreter interpreter, Phase p) {
        if (p.verify().isEmpty()) return "it has no verify block, so runbook cannot tell whether it completed";
        context.out().println("evidence: the verify block of \"" + p.name() + "\", run read-only now:");
        return interpreter.evidence(p)
                ? "its verify block passes now: it looks complete"
                : "its verify block does not pass now: it did not complete";
    }

    /** libpq's variables for sh steps: pg_dump and psql reach the same database, without a password on a command line. */
    static Map<String, String> shellEnvironment(Database database) {
        var s = database.settings();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", s.libpqHosts());
        env.put("PGPORT", s.libpqPorts());
        env.put("PGUSER", s.user());
        env.put("PGDATABASE", s.database());
        if (s.password() != null && !s.password().isEmpty()) env.put("PGPASSWORD", s.password());
        return env;
    }

    static String outcome(int exit) {
        return switch (exit) {
            case ExitCode.OK -> "completed";
            case ExitCode.GUARD_FAILED -> "guard failed";
            case ExitCode.CONNECTION -> "connection lost";
            case ExitCode.SQL_ERROR -> "sql error";
            case ExitCode.ABORTED -> "aborted by the operator";
            case ExitCode.ROLLED_BACK -> "rolled back after failure";
            case ExitCode.INTERRUPTED -> "refused: interrupted phase";
            default -> "exit " + exit;
        };
    }

    /**
     * Ctrl-C, or SIGTERM (kill, systemd, a CI timeout), cancels the running statement on the server; the
     * phase then rolls back and the journal, the report and the console say it was interrupted. A second
     * SIGTERM ends the process at once, as SIGTERM does. Returns what puts the previous handlers back.
     */
    static Runnable onInterrupt(Interpreter interpreter) {
        Signal intSignal = new Signal("INT");
        Signal termSignal = new Signal("TERM");
        SignalHandler previousInt;
        try {
            previousInt = Signal.handle(intSignal, sig -> interpreter.engine().interrupt("Ctrl-C"));
        } catch (IllegalArgumentException e) {
            return () -> {}; // no signals on this platform
        }
        SignalHandler[] previousTerm = new SignalHandler[1];
        previousTerm[0] = Signal.handle(termSignal, sig -> {
            if (interpreter.engine().interruptedBy() != null) previousTerm[0].handle(sig);
            else interpreter.engine().interrupt("SIGTERM");
        });
        return () -> {
            Signal.handle(intSignal, previousInt);
            Signal.handle(termSignal, previousTerm[0]);
        };
    }

    /** The first confirm the selected blocks would reach, for refusing to start without a terminal. */
    static Pos firstConfirm(Program program, List<Phase> phases) {
        List<Steps.At> steps = new ArrayList<>(Steps.all(program.runbook().preflight(), null, Steps.Block.PREFLIGHT));
        for (Phase p : phases) {
            steps.addAll(Steps.all(p.steps(), p, Steps.Block.STEPS));
            steps.addAll(Steps.all(p.verify(), p, Steps.Block.VERIFY));
        }
        return steps.stream()
                .filter(at -> at.step() instanceof Step.Confirm)
                .map(at -> at.step().pos())
                .findFirst()
                .orElse(null);
    }
}
