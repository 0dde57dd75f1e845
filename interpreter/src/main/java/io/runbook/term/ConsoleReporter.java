package io.runbook.term;

import io.runbook.ast.Durations;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.run.Consequence;
import io.runbook.run.Failure;
import io.runbook.run.PhaseState;
import io.runbook.run.Prompter;
import io.runbook.run.RunEvent;
import io.runbook.run.RunEvent.Block;
import io.runbook.run.RunListener;
import io.runbook.run.RunSummary;
import io.runbook.run.StepResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** Prints a run as it happens, then a one-screen summary. Problems go to stderr, progress to stdout. */
public final class ConsoleReporter implements RunListener {
    private static final int MAX_WIDTH = 40;

    private final PrintStream out;
    private final PrintStream err;
    private final Style style;
    private final Function<Consequence, String> words;

    public ConsoleReporter(PrintStream out, PrintStream err, Style style) {
        this(out, err, style, ConsoleReporter::runWords);
    }

    /** words: how this front end says what a failure left behind (the shell says what to type next). */
    public ConsoleReporter(PrintStream out, PrintStream err, Style style, Function<Consequence, String> words) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.words = words;
    }

    /** What a failure left behind, in `runbook run`'s words. */
    public static String runWords(Consequence c) {
        return switch (c.kind()) {
            case NOTHING_CHANGED -> "nothing was changed (read-only)";
            case PHASE_ROLLED_BACK -> "the phase was rolled back: nothing of it was applied";
            case STEP_UNDONE -> "the step was undone; the phase's transaction is still open";
            case PARTLY_COMMITTED ->
                "this `no transaction` phase already committed: " + String.join("; ", c.committed());
            case UNDO_ROLLED_BACK ->
                "this rollback block was rolled back"
                        + (c.committed().isEmpty()
                                ? ""
                                : " (what it committed stays: " + String.join("; ", c.committed()) + ")")
                        + "; `runbook rollback` runs it again";
            case CONNECTION_LOST ->
                "the server rolled back the open transaction; applied phases are skipped when you run again";
        };
    }

    @Override
    public void on(RunEvent e) {
        if (e instanceof RunEvent.Looked l) on(l.event());
        else if (e instanceof RunEvent.RunStarted r) runStarted(r.runbook(), r.target());
        else if (e instanceof RunEvent.BlockStarted b) blockStarted(b.block(), b.phase(), b.index(), b.total());
        else if (e instanceof RunEvent.PhaseSkipped p) phaseSkipped(p.phase(), p.index(), p.total(), p.why());
        else if (e instanceof RunEvent.SqlDone d) sqlDone(d.label(), d.result());
        else if (e instanceof RunEvent.BatchProgress b) batchProgress(b.totalRows(), b.batch(), b.elapsed());
        else if (e instanceof RunEvent.RangeDone r) rangeDone(r);
        else if (e instanceof RunEvent.BatchDone b) batchDone(b.batches(), b.totalRows(), b.elapsed());
        else if (e instanceof RunEvent.MonitorRound m) monitorRound(m.label(), m.round(), m.rounds(), m.failure());
        else if (e instanceof RunEvent.MonitorEnded m)
            note("monitor \"" + m.label() + "\" ended early by the operator after " + m.round() + "/" + m.rounds()
                    + " rounds");
        else if (e instanceof RunEvent.ShellOutput o) out.println("    " + style.dim("| ") + o.line());
        else if (e instanceof RunEvent.ShellDone d) shellDone(d.command(), d.exitCode(), d.duration(), d.passed());
        else if (e instanceof RunEvent.GuardChecked g) guard(g.label(), g.outcome());
        else if (e instanceof RunEvent.Confirmed c) confirmed(c.question(), c.answer());
        else if (e instanceof RunEvent.Echoed x) out.println("  " + x.text());
        else if (e instanceof RunEvent.LetBound l)
            out.println("  " + style.dim("let " + l.name() + " = " + Value.quoted(l.value())));
        else if (e instanceof RunEvent.SnapshotTaken t)
            note("  snapshot \"" + t.name() + "\" taken: " + t.tables() + " tables, " + t.indexes() + " indexes");
        else if (e instanceof RunEvent.Note n) note(n.text());
        else if (e instanceof RunEvent.LockRetry r) lockRetry(r);
        else if (e instanceof RunEvent.LocksShown l) l.holders().forEach(h -> note("  lock: " + h));
        else if (e instanceof RunEvent.StepSkipped k) out.println("  " + style.dim("skipped: " + k.label()));
        else if (e instanceof RunEvent.Failed f) failed(f.failure());
        else if (e instanceof RunEvent.PhaseFinished f) phaseFinished(f.state(), f.duration(), f.detail());
        else if (e instanceof RunEvent.RunFinished f) runFinished(f.summary());
    }

    private void failed(Failure f) {
        err.print(f.render(words).render());
    }

    private void lockRetry(RunEvent.LockRetry r) {
        note("lock_timeout (" + Durations.format(r.lockTimeout()) + ") expired on attempt " + r.attempt() + "/"
                + r.attempts() + " of " + r.what() + ": rolled back; retrying in " + Durations.human(r.pause())
                + " with lock_timeout " + Durations.format(r.nextLockTimeout()));
        for (String line : r.holders()) note("    " + line);
    }

    private void runStarted(Runbook runbook, String target) {
        out.println(style.bold("runbook \"" + runbook.name() + "\"") + " on " + target);
    }

    private void blockStarted(Block block, Phase phase, int index, int total) {
        switch (block) {
            case PREFLIGHT -> out.println(style.bold("preflight") + style.dim(" (read-only)"));
            case PHASE ->
                out.println(style.bold("phase " + index + "/" + total + " \"" + phase.name() + "\"")
                        + style.dim(
                                phase.transactional()
                                        ? " (one transaction)"
                                        : " (no transaction: each statement commits)"));
            case VERIFY -> out.println("  " + style.bold("verify"));
            case ROLLBACK -> out.println(style.bold("rollback \"" + phase.name() + "\""));
        }
    }

    private void phaseSkipped(Phase phase, int index, int total, String why) {
        out.println(style.bold("phase " + index + "/" + total + " \"" + phase.name() + "\"")
                + style.dim("  skipped: " + why));
    }

    private void sqlDone(String label, StepResult r) {
        String counts = r.statements()
                + (r.statements() == 1 ? " statement" : " statements")
                + (r.affected() > 0 ? ", " + r.affected() + (r.affected() == 1 ? " row" : " rows") + " affected" : "");
        out.println("  " + style.ok() + " " + label + style.dim("  " + counts + ", " + Durations.human(r.duration())));
        for (StepResult.ResultTable t : r.results()) table(t);
    }

    private long lastBatchLine;

    private void batchProgress(long total, long batch, Duration elapsed) {
        progressLine("  batch " + batch + ": " + total + " rows, " + rate(total, elapsed) + " rows/s, "
                + Durations.human(elapsed));
    }

    /**
     * `batch 12: id [110001, 120001), 45.2%, 120000 rows, 80000 rows/s, 1.50s, about 1min 20s left`: the range that
     * committed (with `parallel`, ranges below it may still be under way) and the share of all keys done.
     */
    private void rangeDone(RunEvent.RangeDone r) {
        progressLine("  batch " + r.batch() + ": " + r.key() + " [" + r.from() + ", " + r.to() + "), "
                + String.format(java.util.Locale.ROOT, "%.1f%%", r.done() * 100) + ", " + r.totalRows() + " rows, "
                + rate(r.totalRows(), r.elapsed()) + " rows/s, " + Durations.human(r.elapsed())
                + (r.eta() == null ? "" : ", about " + Durations.human(r.eta()) + " left"));
    }

    /** On a terminal one line rewritten in place; else a line every 5 seconds. */
    private void progressLine(String line) {
        if (style.isTerminal()) {
            out.print("\r" + line + "\u001b[K");
            out.flush();
        } else if (System.nanoTime() - lastBatchLine > 5_000_000_000L) {
            lastBatchLine = System.nanoTime();
            out.println(line);
        }
    }

    private void batchDone(long batches, long total, Duration elapsed) {
        if (style.isTerminal()) out.print("\r\u001b[K");
        out.println("  " + style.ok() + " batch"
                + style.dim("  " + batches + " batches, " + total + " rows, " + rate(total, elapsed) + " rows/s, "
                        + Durations.human(elapsed)));
    }

    private static long rate(long rows, Duration d) {
        return d.toMillis() == 0 ? rows : rows * 1000 / d.toMillis();
    }

    private void monitorRound(String label, long round, long rounds, String failure) {
        out.println("  " + (failure == null ? style.ok() : style.fail()) + " monitor \"" + label + "\" round " + round
                + "/" + rounds + (failure == null ? "" : ": " + failure));
    }

    private void shellDone(String command, int exitCode, Duration d, boolean passed) {
        String first = command.lines().findFirst().orElse("");
        out.println("  " + (passed ? style.ok() : style.fail()) + " sh "
                + (first.length() > 60 ? first.substring(0, 57) + "..." : first)
                + style.dim("  exit " + exitCode + ", " + Durations.human(d)));
    }

    private void guard(String label, Evaluator.Outcome o) {
        if (o.passed()) {
            out.println(
                    "  " + style.ok() + " " + label + (o.actual() == null ? "" : style.dim("  (" + o.actual() + ")")));
        } else {
            out.println("  " + style.fail() + " " + label + "  expected " + o.expected() + ", actual "
                    + style.red(o.actual()));
        }
    }

    private void confirmed(String question, Prompter.Answer a) {
        out.println("  " + (a.yes() ? style.ok() : style.fail()) + " confirm \"" + question + "\""
                + style.dim("  " + (a.yes() ? "yes" : "no") + " (" + a.by() + ")"));
    }

    private void note(String text) {
        err.print(text.endsWith("\n") ? text : text + "\n");
    }

    private void phaseFinished(PhaseState state, Duration d, String detail) {
        String mark = switch (state) {
            case PASSED, COMMITTED, COMPLETED, UNDONE -> style.ok();
            case DISCARDED -> style.yellow("-");
            default -> style.fail();
        };
        out.println("  " + mark + " " + state.label + style.dim("  " + Durations.human(d))
                + (detail == null ? "" : "  " + detail));
    }

    private void runFinished(RunSummary s) {
        out.println();
        out.println(style.bold("summary") + style.dim("  " + Durations.human(s.duration())));
        int width = Math.min(
                MAX_WIDTH,
                s.lines().stream().mapToInt(l -> l.name().length()).max().orElse(10));
        for (RunSummary.Line l : s.lines()) {
            String name = l.name().length() > width ? l.name().substring(0, width - 1) + "~" : l.name();
            String state = switch (l.state()) {
                case PASSED, COMMITTED, COMPLETED, UNDONE -> style.green(l.state().label);
                case NOT_RUN, SKIPPED -> style.dim(l.state().label);
                default -> style.red(l.state().label);
            };
            out.println("  " + pad(name, width) + "  " + state
                    + (l.state() == PhaseState.NOT_RUN || l.state() == PhaseState.SKIPPED
                            ? ""
                            : style.dim("  " + Durations.human(l.duration()))));
        }
        String result = "exit " + s.exitCode() + ": " + s.outcome();
        out.println(s.exitCode() == 0 ? style.green(result) : style.red(result));
    }

    private void table(StepResult.ResultTable result) {
        List<List<String>> shown = result.rows().stream()
                .map(r -> r.stream().map(c -> c == null ? "NULL" : c).toList())
                .toList();
        StepResult.ResultTable t =
                new StepResult.ResultTable(result.columns(), result.numeric(), shown, result.totalRows());
        List<String> cols = t.columns();
        int[] w = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++)
            w[i] = Math.min(MAX_WIDTH, cols.get(i).length());
        for (List<String> row : t.rows())
            for (int i = 0; i < row.size(); i++)
                w[i] = Math.min(MAX_WIDTH, Math.max(w[i], row.get(i).length()));
        out.println("      " + row(cols, w));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) rule.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
        out.println("      " + style.dim(rule.toString()));
        for (List<String> r : t.rows()) out.println("      " + row(r, w));
        out.println("      "
                + style.dim("(" + t.totalRows() + (t.totalRows() == 1 ? " row" : " rows")
                        + (t.totalRows() > t.rows().size()
                                ? ", first " + t.rows().size() + " shown"
                                : "") + ")"));
    }

    private static String row(List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i).replace('\n', ' ');
            if (c.length() > w[i]) c = c.substring(0, w[i] - 1) + "~";
            sb.append(i == 0 ? "" : " | ").append(pad(c, w[i]));
        }
        return sb.toString().stripTrailing();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
