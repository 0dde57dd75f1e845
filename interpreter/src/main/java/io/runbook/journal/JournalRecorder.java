package io.runbook.journal;

import io.runbook.ast.Phase;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.parse.Program;
import io.runbook.run.PhaseState;
import io.runbook.run.Progress;
import io.runbook.run.Prompter;
import io.runbook.run.RunEvent;
import io.runbook.run.RunEvent.Block;
import io.runbook.run.RunListener;
import io.runbook.source.Diagnostic;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
    private Map<String, Journal.PhaseRecord> before;
    private final Set<String> rerun;
    private String phase;
    private String block = "preflight";
    private int index;
    private SQLException lost;

    public JournalRecorder(
            Journal journal, Program program, long runId, Map<String, Journal.PhaseRecord> before, Set<String> rerun) {
        this.journal = journal;
        this.program = program;
        this.runId = runId;
        this.before = before;
        this.rerun = rerun;
    }

    // ------------------------------------------------------------------ Progress

    /** What the journal says now (the shell reads it again after each phase). */
    public void refresh(Map<String, Journal.PhaseRecord> records) {
        this.before = records;
    }

    @Override
    public String skip(Phase p) {
        Journal.PhaseRecord r = before.get(p.name());
        if (r == null || !r.done() || rerun.contains(p.name())) return null;
        return r.describe();
    }

    @Override
    public void starting(Phase p, Instant started) throws SQLException {
        phase(null, p, "started", false, started);
    }

    @Override
    public void applied(Phase p, Connection phaseTransaction, Instant started) throws SQLException {
        phase(phaseTransaction, p, "applied", p.transactional(), started);
    }

    @Override
    public void baseline(Phase p) throws SQLException {
        phase(null, p, "baseline", p.transactional(), null);
    }

    @Override
    public void stopped(Phase p, boolean partly, String detail, Instant started) throws SQLException {
        phase(null, p, partly ? "partial" : "failed", false, started, detail);
    }

    private void phase(Connection tx, Phase p, String status, boolean transactional, Instant started)
            throws SQLException {
        phase(tx, p, status, transactional, started, null);
    }

    /** One row of runbook.phases for this run: the phase's checksums, its status, when it started, what is known. */
    private void phase(Connection tx, Phase p, String status, boolean transactional, Instant started, String detail)
            throws SQLException {
        journal.recordPhase(
                tx,
                runId,
                program.runbook().name(),
                p.name(),
                status,
                transactional,
                Checksums.phase(program, p),
                Checksums.phaseSource(program, p),
                started,
                detail);
    }

    /** `runbook baseline --force`: the phase was recorded as applied without proof; why says which (journaled). */
    public void forced(Phase p, String why) {
        note(p.name(), "phase", "baseline", p.name(), Instant.now(), "forced", "recorded with --force: " + why);
    }

    @Override
    public void undone(Phase p, Instant started) throws SQLException {
        phase(null, p, "rolled_back", p.transactional(), started);
    }

    @Override
    public void rangeCommitting(Connection tx, String label, String next, long rows, Instant started)
            throws SQLException {
        lastEnd = Instant.now();
        journal.recordStep(
                tx,
                runId,
                new Journal.StepRecord(
                        phase, block, ++index, "batch", label, started, lastEnd, "ok", rows, 1, null, next, null, null,
                        null, null));
    }

    @Override
    public List<String> finishedRanges(Phase p, String labelPrefix) throws SQLException {
        return journal.finishedRanges(program.runbook().name(), p.name(), labelPrefix);
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

    /** The journal's view of a run's events: a row for every step, guard, confirmation and failure. Looks are not journaled. */
    @Override
    public void on(RunEvent e) {
        if (e instanceof RunEvent.BlockStarted b) {
            lastEnd = Instant.now();
            block = b.block().name().toLowerCase(Locale.ROOT);
            if (b.block() != Block.VERIFY) {
                phase = b.phase() == null ? null : b.phase().name();
                index = 0;
            }
        } else if (e instanceof RunEvent.PhaseSkipped p) {
            note(p.phase().name(), "phase", "skip", p.phase().name(), Instant.now(), "skipped", p.why());
        } else if (e instanceof RunEvent.StepSkipped k) {
            note(
                    k.phase() == null ? null : k.phase().name(),
                    k.block().name().toLowerCase(Locale.ROOT),
                    "skip",
                    k.label(),
                    Instant.now(),
                    "skipped",
                    "skipped by the operator in runbook shell");
        } else if (e instanceof RunEvent.SqlDone d) {
            counted(
                    "sql",
                    d.label(),
                    Instant.now().minus(d.result().duration()),
                    d.result().affected(),
                    d.result().statements());
        } else if (e instanceof RunEvent.GuardChecked g) {
            Evaluator.Outcome o = g.outcome();
            step(
                    phase,
                    block,
                    g.label().startsWith("expect ") ? "expect" : "check",
                    g.label(),
                    since(),
                    o.passed() ? "passed" : "failed",
                    null,
                    null,
                    o.expected(),
                    o.actual(),
                    null,
                    null,
                    null,
                    null);
        } else if (e instanceof RunEvent.Confirmed c) {
            Prompter.Answer a = c.answer();
            step(
                    phase,
                    block,
                    "confirm",
                    c.question(),
                    since(),
                    a.yes() ? "yes" : "no",
                    null,
                    null,
                    null,
                    null,
                    a.yes() ? "yes" : "no",
                    a.by(),
                    null,
                    null);
        } else if (e instanceof RunEvent.Echoed x) {
            note(phase, block, "echo", x.text(), since(), "ok", null);
        } else if (e instanceof RunEvent.LetBound l) {
            step(
                    phase,
                    block,
                    "let",
                    l.name(),
                    since(),
                    "ok",
                    null,
                    null,
                    null,
                    Value.quoted(l.value()),
                    null,
                    null,
                    null,
                    null);
        } else if (e instanceof RunEvent.BatchProgress b) {
            counted(
                    "batch",
                    "batch " + b.batch() + " (" + b.totalRows() + " rows so far)",
                    Instant.now().minus(b.took()),
                    b.rows(),
                    1);
        } else if (e instanceof RunEvent.MonitorRound m) {
            note(
                    phase,
                    block,
                    "monitor",
                    m.label() + " round " + m.round() + "/" + m.rounds(),
                    since(),
                    m.failure() == null ? "passed" : "failed",
                    m.failure());
        } else if (e instanceof RunEvent.ShellDone d) {
            step(
                    phase,
                    block,
                    "sh",
                    d.command(),
                    Instant.now().minus(d.duration()),
                    d.passed() ? "ok" : "failed",
                    null,
                    null,
                    null,
                    "exit " + d.exitCode(),
                    null,
                    null,
                    null,
                    null);
        } else if (e instanceof RunEvent.LockRetry r) {
            // every attempt that gave up on a lock, with its lock_timeout and who held locks then
            step(
                    phase,
                    block,
                    "retry",
                    r.what(),
                    since(),
                    "lock timeout",
                    null,
                    null,
                    "attempt " + r.attempt() + "/" + r.attempts() + " with lock_timeout "
                            + io.runbook.ast.Durations.format(r.lockTimeout()),
                    r.holders().isEmpty() ? "no lock holder seen" : String.join("; ", r.holders()),
                    null,
                    null,
                    "55P03",
                    "retrying in " + io.runbook.ast.Durations.human(r.pause()) + " with lock_timeout "
                            + io.runbook.ast.Durations.format(r.nextLockTimeout()));
        } else if (e instanceof RunEvent.Failed f) {
            Diagnostic d = f.failure().diagnostic();
            String where = d.pos() == null ? "" : d.pos() + ": ";
            step(
                    phase,
                    block,
                    "failure",
                    null,
                    Instant.now(),
                    "failed",
                    null,
                    null,
                    null,
                    // a lock wait that gave up: who held locks then, as for every retry before it
                    f.failure().lockHolders().isEmpty()
                            ? null
                            : String.join("; ", f.failure().lockHolders()),
                    null,
                    null,
                    f.failure().sqlState(),
                    where + d.message());
        } else if (e instanceof RunEvent.PhaseFinished f && f.state() == PhaseState.DISCARDED) {
            note(f.phase().name(), block, "failure", "rollback", Instant.now(), "rolled back", f.detail());
        }
    }

    /** Steps are recorded as they end: one began when the one before it ended (or its block began). */
    private Instant lastEnd = Instant.now();

    private Instant since() {
        return lastEnd;
    }

    /** A row that says what happened in words only: no counts, values or answers. */
    private void note(
            String ph, String blk, String kind, String label, Instant started, String status, String message) {
        step(ph, blk, kind, label, started, status, null, null, null, null, null, null, null, message);
    }

    /** A statement or batch that ran: its rows affected and statements sent. */
    private void counted(String kind, String label, Instant started, Long affected, Integer statements) {
        step(phase, block, kind, label, started, "ok", affected, statements, null, null, null, null, null, null);
    }

    private void step(
            String ph,
            String blk,
            String kind,
            String label,
            Instant started,
            String status,
            Long affected,
            Integer statements,
            String expected,
            String actual,
            String answer,
            String by,
            String sqlState,
            String message) {
        lastEnd = Instant.now();
        if (lost != null) return;
        try {
            journal.recordStep(
                    runId,
                    new Journal.StepRecord(
                            ph,
                            blk,
                            ++index,
                            kind,
                            label,
                            started,
                            Instant.now(),
                            status,
                            affected,
                            statements,
                            expected,
                            actual,
                            answer,
                            by,
                            sqlState,
                            message));
        } catch (SQLException e) {
            lost = e; // the phase records decide progress; the command reports a lost step row once the run ends
        }
    }

    /** Set when a step row could not be written (the connection was lost). */
    public SQLException lost() {
        return lost;
    }
}
