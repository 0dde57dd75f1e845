package io.runbook.fleet;

import io.runbook.ast.Phase;
import io.runbook.db.ConnectionFailedException;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.journal.Gate;
import io.runbook.journal.Journal;
import io.runbook.journal.JournalRecorder;
import io.runbook.parse.Program;
import io.runbook.report.RunReport;
import io.runbook.run.Failure;
import io.runbook.run.Interpreter;
import io.runbook.run.PhaseState;
import io.runbook.run.Prompter;
import io.runbook.run.RunEvent;
import io.runbook.run.RunListener;
import io.runbook.run.Session;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.term.ConsoleReporter;
import io.runbook.term.Style;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * THE adapter between the fleet and the phase engine: runs one target exactly as `runbook run` does (journal,
 * lock, changed-phase gate, preflight, guards, retries, the journal's phase records), through the engine's
 * highest-level entry point. When the engine changes shape, this is the one class of the fleet that follows it.
 *
 * <p>One instance per target run; {@link #halt} and {@link #cancel} may be called from other threads.
 */
public final class TargetRun {
    /** What is the same for every target, decided once by the command. */
    public record Plan(
            Program program,
            List<Phase> phases,
            Scope scope,
            Prompter prompter,
            String journalSchema,
            boolean allowChanged,
            String operator,
            String host,
            Map<String, String> env,
            boolean reports,
            RunHeader header,
            Function<Database, Map<String, String>> shellEnvironment) {}

    /** The journal's run row for a target and the outcome words, as `runbook run` writes them (the command knows them). */
    public interface RunHeader {
        Journal.RunInfo of(String target, boolean allowChanged);

        String outcome(int exitCode);
    }

    private final Plan plan;
    private final Target target;
    private Interpreter interpreter;
    private String haltReason;
    private boolean cancelled;

    public TargetRun(Plan plan, Target target) {
        this.plan = plan;
        this.target = target;
    }

    /** The fleet halts: the running phase finishes, no further phase starts. */
    public synchronized void halt(String reason) {
        haltReason = reason;
        if (interpreter != null) interpreter.haltBeforeNextPhase(reason);
    }

    /** Second Ctrl-C: cancel the running statement; the phase rolls back. */
    public synchronized void cancel() {
        cancelled = true;
        halt("cancelled by the operator (Ctrl-C twice)");
        if (interpreter != null) interpreter.interrupt();
    }

    public TargetResult run() {
        long start = System.nanoTime();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Tracker tracker = new Tracker();
        try (Database database = Database.open(target.settings(), "runbook fleet");
                Session session = new Session(database.connection());
                Connection journalConnection = database.connection()) {
            Program program = plan.program();
            Journal journal = new Journal(journalConnection, plan.journalSchema());
            journal.ensure();
            // on the session that runs the phases, as `runbook run` takes it: an orphan statement keeps it
            Journal.Holder holder =
                    journal.tryLock(session.connection(), program.runbook().name(), plan.operator(), plan.host());
            if (holder != null) {
                return result(
                        TargetResult.State.RUNNING_ELSEWHERE,
                        ExitCode.LOCKED,
                        null,
                        "by " + holder.operator() + " on " + holder.clientHost() + " (server pid " + holder.pid()
                                + ") since " + holder.since(),
                        start,
                        null,
                        buffer,
                        null);
            }
            Map<String, Journal.PhaseRecord> before =
                    journal.phases(program.runbook().name());
            List<Phase> changed = Gate.checkUnchanged(program, before, plan.allowChanged());
            List<Phase> undecided = Gate.interrupted(plan.phases(), before, Set.of());
            if (!undecided.isEmpty()) {
                return result(
                        TargetResult.State.FAILED,
                        ExitCode.INTERRUPTED,
                        undecided.get(0).name(),
                        "a `no transaction` phase an earlier run left half-done (interrupted, or failed after"
                                + " some statements committed): decide with `runbook run --db ... --rerun` or `--mark-done` on this target",
                        start,
                        null,
                        buffer,
                        null);
            }
            ConsoleReporter reporter = new ConsoleReporter(console, console, Style.plain());
            JournalRecorder recorder;
            long runId;
            synchronized (this) {
                // Halted while this target was connecting: leave no run row, it did not start.
                if (haltReason != null)
                    return result(
                            TargetResult.State.NOT_STARTED,
                            ExitCode.ABORTED,
                            null,
                            haltReason,
                            start,
                            null,
                            buffer,
                            null);
                reporter.on(new RunEvent.RunStarted(
                        program.runbook(), database.settings().describe()));
                runId = journal.startRun(plan.header().of(database.settings().describe(), !changed.isEmpty()));
                recorder = new JournalRecorder(journal, program, runId, before, Set.of());
                interpreter = new Interpreter(
                                program,
                                session,
                                plan.prompter(),
                                RunListener.all(reporter, recorder, tracker),
                                plan.scope(),
                                plan.env())
                        .withProgress(recorder)
                        .withShellEnvironment(plan.shellEnvironment().apply(database));
            }
            int exit = interpreter.run(plan.phases(), Interpreter.OnFailure.STOP);
            journal.finishRun(runId, exit, plan.header().outcome(exit));
            if (recorder.lost() != null)
                console.println("WARNING: some step rows could not be written to the journal: "
                        + recorder.lost().getMessage());
            RunReport report = plan.reports() ? RunReport.load(journal, runId) : null;
            if (exit == ExitCode.OK) {
                return result(
                        tracker.ranAny ? TargetResult.State.APPLIED : TargetResult.State.ALREADY_APPLIED,
                        exit,
                        null,
                        null,
                        start,
                        runId,
                        buffer,
                        report);
            }
            boolean stopped = exit == ExitCode.ABORTED && haltReasonSeen();
            String detail = tracker.failure == null ? plan.header().outcome(exit) : tracker.failure.getMessage();
            if (stopped && wasCancelled())
                detail = "cancelled by the operator (Ctrl-C twice) in "
                        + ("preflight".equals(tracker.current) ? "the preflight" : "phase \"" + tracker.current + "\"")
                        + ": " + detail;
            return result(
                    stopped ? TargetResult.State.STOPPED : TargetResult.State.FAILED,
                    exit,
                    stopped ? null : tracker.failedIn,
                    detail,
                    start,
                    runId,
                    buffer,
                    report);
        } catch (RunbookException e) {
            for (Diagnostic d : e.diagnostics()) console.print(d.render());
            return result(
                    TargetResult.State.FAILED,
                    e.exitCode(),
                    null,
                    e.diagnostics().isEmpty()
                            ? e.getMessage()
                            : e.diagnostics().get(0).message(),
                    start,
                    null,
                    buffer,
                    null);
        } catch (ConnectionFailedException e) {
            console.println("ERROR: " + e.getMessage());
            return result(
                    TargetResult.State.FAILED, ExitCode.CONNECTION, null, e.getMessage(), start, null, buffer, null);
        } catch (SQLException e) {
            console.println("ERROR: " + e.getMessage()
                    + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
            return result(
                    TargetResult.State.FAILED,
                    ExitCode.CONNECTION,
                    tracker.failedIn,
                    "database failure outside a step: " + e.getMessage(),
                    start,
                    null,
                    buffer,
                    null);
        }
    }

    private synchronized boolean wasCancelled() {
        return cancelled;
    }

    private synchronized boolean haltReasonSeen() {
        return haltReason != null;
    }

    private TargetResult result(
            TargetResult.State state,
            int exit,
            String phase,
            String detail,
            long start,
            Long runId,
            ByteArrayOutputStream buffer,
            RunReport report) {
        // Only a target that did not apply shows its output at the end: a fleet of thousands keeps no more.
        boolean applied = state == TargetResult.State.APPLIED || state == TargetResult.State.ALREADY_APPLIED;
        return new TargetResult(
                target,
                state,
                exit,
                phase,
                detail,
                Duration.ofNanos(System.nanoTime() - start),
                runId,
                applied ? "" : buffer.toString(StandardCharsets.UTF_8),
                report);
    }

    /** Which block a failure happened in, and whether any phase ran at all: heard from the run's events. */
    private static final class Tracker implements RunListener {
        String current = "preflight";
        String failedIn;
        Failure failure;
        boolean ranAny;

        @Override
        public void on(RunEvent e) {
            if (e instanceof RunEvent.BlockStarted b && b.block() == RunEvent.Block.PHASE)
                current = b.phase().name();
            if (e instanceof RunEvent.Failed f && failure == null) {
                failure = f.failure();
                failedIn = current;
            }
            if (e instanceof RunEvent.PhaseFinished f
                    && (f.state() == PhaseState.COMMITTED || f.state() == PhaseState.COMPLETED)) ranAny = true;
            if (e instanceof RunEvent.RunFinished r
                    && failure == null
                    && r.summary().exitCode() != ExitCode.OK) failedIn = current;
        }
    }
}
