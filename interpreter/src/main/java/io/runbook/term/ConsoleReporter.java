package io.runbook.term;

import io.runbook.ast.Durations;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.run.PhaseState;
import io.runbook.run.RunListener;
import io.runbook.run.RunSummary;
import io.runbook.run.StepResult;
import io.runbook.source.Pos;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/** Prints a run as it happens, then a one-screen summary. Problems go to stderr, progress to stdout. */
public final class ConsoleReporter implements RunListener {
    private static final int MAX_WIDTH = 40;

    private final PrintStream out;
    private final PrintStream err;
    private final Style style;

    public ConsoleReporter(PrintStream out, PrintStream err, Style style) {
        this.out = out;
        this.err = err;
        this.style = style;
    }

    @Override
    public void runStarted(Runbook runbook, String target) {
        out.println(style.bold("runbook \"" + runbook.name() + "\"") + " on " + target);
    }

    @Override
    public void blockStarted(Block block, Phase phase, int index, int total) {
        switch (block) {
            case PREFLIGHT -> out.println(style.bold("preflight") + style.dim(" (read-only)"));
            case PHASE -> out.println(style.bold("phase " + index + "/" + total + " \"" + phase.name() + "\"")
                    + style.dim(phase.transactional() ? " (one transaction)" : " (no transaction: each statement commits)"));
            case VERIFY -> out.println("  " + style.bold("verify"));
            case ROLLBACK -> out.println(style.bold("rollback \"" + phase.name() + "\""));
        }
    }

    @Override
    public void phaseSkipped(Phase phase, int index, int total, String why) {
        out.println(style.bold("phase " + index + "/" + total + " \"" + phase.name() + "\"") + style.dim("  skipped: " + why));
    }

    @Override
    public void sqlDone(Pos at, String label, StepResult r) {
        String counts = r.statements() + (r.statements() == 1 ? " statement" : " statements")
                + (r.affected() > 0 ? ", " + r.affected() + (r.affected() == 1 ? " row" : " rows") + " affected" : "");
        out.println("  " + style.ok() + " " + label + style.dim("  " + counts + ", " + Durations.human(r.duration())));
        for (StepResult.ResultTable t : r.results()) table(t);
    }

    private long lastBatchLine;

    @Override
    public void batchProgress(Pos at, long batch, long rows, long total, Duration elapsed) {
        String line = "  batch " + batch + ": " + total + " rows, " + rate(total, elapsed) + " rows/s, " + Durations.human(elapsed);
        if (style.isTerminal()) {
            out.print("\r" + line + "\u001b[K");
            out.flush();
        } else if (System.nanoTime() - lastBatchLine > 5_000_000_000L) {
            lastBatchLine = System.nanoTime();
            out.println(line);
        }
    }

    @Override
    public void batchDone(Pos at, long batches, long total, Duration elapsed) {
        if (style.isTerminal()) out.print("\r\u001b[K");
        out.println("  " + style.ok() + " batch" + style.dim("  " + batches + " batches, " + total + " rows, " + rate(total, elapsed)
                + " rows/s, " + Durations.human(elapsed)));
    }

    private static long rate(long rows, Duration d) { return d.toMillis() == 0 ? rows : rows * 1000 / d.toMillis(); }

    @Override
    public void monitorRound(Pos at, String label, long round, long rounds, String failure) {
        out.println("  " + (failure == null ? style.ok() : style.fail()) + " monitor \"" + label + "\" round " + round + "/" + rounds
                + (failure == null ? "" : ": " + failure));
    }

    @Override
    public void shellOutput(Pos at, String line) { out.println("    " + style.dim("| ") + line); }

    @Override
    public void shellDone(Pos at, String command, int exitCode, Duration d) {
        String first = command.lines().findFirst().orElse("");
        out.println("  " + (exitCode == 0 ? style.ok() : style.fail()) + " sh " + (first.length() > 60 ? first.substring(0, 57) + "..." : first)
                + style.dim("  exit " + exitCode + ", " + Durations.human(d)));
    }

    @Override
    public void guard(Pos at, String label, Evaluator.Outcome o) {
        if (o.passed()) {
            out.println("  " + style.ok() + " " + label + (o.actual() == null ? "" : style.dim("  (" + o.actual() + ")")));
        } else {
            out.println("  " + style.fail() + " " + label + "  expected " + o.expected() + ", actual " + style.red(o.actual()));
        }
    }

    @Override
    public void confirmed(Pos at, String question, Prompter.Answer a) {
        out.println("  " + (a.yes() ? style.ok() : style.fail()) + " confirm \"" + question + "\"" + style.dim("  " + (a.yes() ? "yes" : "no") + " (" + a.by() + ")"));
    }

    @Override
    public void echo(Pos at, String text) { out.println("  " + text); }

    @Override
    public void let(Pos at, String name, Value value) {
        out.println("  " + style.dim("let " + name + " = " + Value.quoted(value)));
    }

    @Override
    public void note(String text) {
        err.print(text.endsWith("\n") ? text : text + "\n");
    }

    @Override
    public void phaseFinished(Phase phase, PhaseState state, Duration d, String detail) {
        String mark = switch (state) {
            case PASSED, COMMITTED, COMPLETED, UNDONE -> style.ok();
            default -> style.fail();
        };
        out.println("  " + mark + " " + state.label + style.dim("  " + Durations.human(d)) + (detail == null ? "" : "  " + detail));
    }

    @Override
    public void runFinished(RunSummary s) {
        out.println();
        out.println(style.bold("summary") + style.dim("  " + Durations.human(s.duration())));
        int width = Math.min(MAX_WIDTH, s.lines().stream().mapToInt(l -> l.name().length()).max().orElse(10));
        for (RunSummary.Line l : s.lines()) {
            String name = l.name().length() > width ? l.name().substring(0, width - 1) + "~" : l.name();
            String state = switch (l.state()) {
                case PASSED, COMMITTED, COMPLETED, UNDONE -> style.green(l.state().label);
                case NOT_RUN, SKIPPED -> style.dim(l.state().label);
                default -> style.red(l.state().label);
            };
            out.println("  " + pad(name, width) + "  " + state + (l.state() == PhaseState.NOT_RUN || l.state() == PhaseState.SKIPPED ? "" : style.dim("  " + Durations.human(l.duration()))));
        }
        String result = "exit " + s.exitCode() + ": " + s.outcome();
        out.println(s.exitCode() == 0 ? style.green(result) : style.red(result));
    }

    private void table(StepResult.ResultTable t) {
        List<String> cols = t.columns();
        int[] w = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) w[i] = Math.min(MAX_WIDTH, cols.get(i).length());
        for (List<String> row : t.rows()) for (int i = 0; i < row.size(); i++) w[i] = Math.min(MAX_WIDTH, Math.max(w[i], row.get(i).length()));
        out.println("      " + row(cols, w));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) rule.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
        out.println("      " + style.dim(rule.toString()));
        for (List<String> r : t.rows()) out.println("      " + row(r, w));
        out.println("      " + style.dim("(" + t.totalRows() + (t.totalRows() == 1 ? " row" : " rows")
                + (t.totalRows() > t.rows().size() ? ", first " + t.rows().size() + " shown" : "") + ")"));
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

    private static String pad(String s, int w) { return s.length() >= w ? s : s + " ".repeat(w - s.length()); }
}
