package io.runbook.journal;

import io.runbook.ast.Phase;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.parse.Program;
import io.runbook.run.Failure;
import io.runbook.run.Progress;
import io.runbook.run.RunListener;
import io.runbook.run.StepResult;
import io.runbook.source.Pos;
import io.runbook.term.Prompter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Connects a run to the journal: which phases to skip, "phase applied" records, and a row for every
 * step, guard, confirmation and failure, written as they happen.
 */
public final class JournalRecorder implements Progress, RunListener {
    private final Journal journal;
    private final Program program;
    private final long runId;
    private final Map<String, Journal.PhaseRecord> before;
    private final Set<String> rerun;
    private String phase;
    private String block = "preflight";
    private int index;
    private SQLException lost;

    public JournalRecorder(Journal journal, Program program, long runId, Map<String, Journal.PhaseRecord> before, Set<String> rerun) {
        this.journal = journal;
        this.program = program;
        this.runId = runId;
        this.before = before;
        this.rerun = rerun;
    }

    // ------------------------------------------------------------------ Progress

    @Override
    public String skip(Phase p) {
        Journal.PhaseRecord r = before.get(p.name());
        if (r == null || !r.done() || rerun.contains(p.name())) return null;
        return r.describe();
    }

    @Override
    public void starting(Phase p, Instant started) throws SQLException {
        journal.recordPhase(null, runId, program.runbook().name(), p.name(), "started", false, Checksums.phase(program, p),
                Checksums.phaseSource(program, p), started);
    }

    @Override
    public void applied(Phase p, Connection phaseTransaction, Instant started) throws SQLException {
        journal.recordPhase(phaseTransaction, runId, program.runbook().name(), p.name(), "applied", p.transactional(),
                Checksums.phase(program, p), Checksums.phaseSource(program, p), started);
    }

    @Override
    public void undone(Phase p, Instant started) throws SQLException {
        journal.recordPhase(null, runId, program.runbook().name(), p.name(), "rolled_back", p.transactional(),
                Checksums.phase(program, p), Checksums.phaseSource(program, p), started);
    }

    @Override
    public void snapshotTaken(String name, String json) throws SQLException {
        journal.saveSnapshot(runId, program.runbook().name(), name, json);
    }

    @Override
    public String snapshot(String name) throws SQLException {
        return journal.loadSnapshot(program.runbook().name(), name);
    }

    // ------------------------------------------------------------------ RunListener: one row per step

    @Override
    public void blockStarted(Block b, Phase p, int i, int total) {
        lastEnd = Instant.now();
        block = b.name().toLowerCase();
        if (b != Block.VERIFY) {
            phase = p == null ? null : p.name();
            index = 0;
        }
    }

    @Override
    public void phaseSkipped(Phase p, int i, int total, String why) {
        step(p.name(), "phase", "skip", p.name(), Instant.now(), "skipped", null, null, null, null, null, null, null, why);
    }

    @Override
    public void sqlDone(Pos at, String label, StepResult r) {
        Instant end = Instant.now();
        step(phase, block, "sql", label, end.minus(r.duration()), "ok", r.affected(), r.statements(), null, null, null, null, null, null);
    }

    @Override
    public void guard(Pos at, String label, Evaluator.Outcome o) {
        step(phase, block, label.startsWith("expect ") ? "expect" : "check", label, since(), o.passed() ? "passed" : "failed",
                null, null, o.expected(), o.actual(), null, null, null, null);
    }

    @Override
    public void confirmed(Pos at, String question, Prompter.Answer a) {
        step(phase, block, "confirm", question, since(), a.yes() ? "yes" : "no", null, null, null, null,
                a.yes() ? "yes" : "no", a.by(), null, null);
    }

    @Override
    public void echo(Pos at, String text) {
        step(phase, block, "echo", text, since(), "ok", null, null, null, null, null, null, null, null);
    }

    @Override
    public void let(Pos at, String name, Value value) {
        step(phase, block, "let", name, since(), "ok", null, null, null, Value.quoted(value), null, null, null, null);
    }

    @Override
    public void batchProgress(Pos at, long batch, long rows, long total, Duration elapsed) {
        step(phase, block, "batch", "batch " + batch + " (" + total + " rows so far)", Instant.now().minus(elapsed), "ok", rows, 1,
                null, null, null, null, null, null);
    }

    @Override
    public void monitorRound(Pos at, String label, long round, long rounds, String failure) {
        step(phase, block, "monitor", label + " round " + round + "/" + rounds, since(), failure == null ? "passed" : "failed",
                null, null, null, null, null, null, null, failure);
    }

    @Override
    public void shellDone(Pos at, String command, int exitCode, Duration d) {
        step(phase, block, "sh", command, Instant.now().minus(d), exitCode == 0 ? "ok" : "failed", null, null, null, "exit " + exitCode,
                null, null, null, null);
    }

    @Override
    public void failed(Failure f) {
        String where = f.diagnostic().pos() == null ? "" : f.diagnostic().pos() + ": ";
        step(phase, block, "failure", null, Instant.now(), "failed", null, null, null, null, null, null, f.sqlState(),
                where + f.diagnostic().message());
    }

    /** Steps are recorded as they end: one began when the one before it ended (or its block began). */
    private Instant lastEnd = Instant.now();

    private Instant since() { return lastEnd; }

    private void step(String ph, String blk, String kind, String label, Instant started, String status, Long affected,
                      Integer statements, String expected, String actual, String answer, String by, String sqlState, String message) {
        lastEnd = Instant.now();
        if (lost != null) return;
        try {
            journal.recordStep(runId, new Journal.StepRecord(ph, blk, ++index, kind, label, started, Instant.now(), status, affected,
                    statements, expected, actual, answer, by, sqlState, message));
        } catch (SQLException e) {
            lost = e; // the phase records decide progress; the command reports a lost step row once the run ends
        }
    }

    /** Set when a step row could not be written (the connection was lost). */
    public SQLException lost() { return lost; }
}
