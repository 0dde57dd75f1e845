package io.runbook.fleet;

import io.runbook.ast.Durations;
import io.runbook.term.Style;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The fleet on the console: a line per finished target, a live progress line (redrawn in place on a terminal,
 * printed every tenth of the fleet otherwise), and at the end the output of the targets that did not apply and a
 * summary table.
 */
public final class FleetConsole implements Fleet.View {
    private final PrintStream out;
    private final Style style;
    private final int total;
    private final long start = System.nanoTime();
    private int running;
    private int applied;
    private int failed;
    private int other;
    private int lastPrinted;
    /** The fleet halted: the targets still waiting will not start, so there is no time left to estimate. */
    private boolean halted;

    public FleetConsole(PrintStream out, Style style, int total) {
        this.out = out;
        this.style = style;
        this.total = total;
    }

    @Override
    public synchronized void started(Target target, boolean canary) {
        running++;
        if (canary) {
            clearLine();
            out.println("canary: " + target.name() + " (" + target.settings().describe() + ")");
        }
        redraw();
    }

    @Override
    public synchronized void finished(TargetResult r) {
        running--;
        if (r.ok()) applied++;
        else if (r.failed()) failed++;
        else other++;
        clearLine();
        String mark = r.ok() ? style.ok() : r.failed() ? style.fail() : style.yellow("--");
        out.println("  " + mark + " " + r.target().name() + "  " + r.describe()
                + style.dim("  " + Durations.human(r.duration()))
                + (r.ok() || r.detail() == null ? "" : ": " + r.detail()));
        int done = applied + failed + other;
        if (style.isTerminal()) {
            redraw();
        } else if (done == total || done - lastPrinted >= Math.max(1, total / 10)) {
            lastPrinted = done;
            out.println(progress());
        }
    }

    @Override
    public synchronized void halted(String reason) {
        halted = true;
        clearLine();
        out.println(style.red(reason) + "; running targets stop after their current phase");
        redraw();
    }

    /** applied / running / failed / pending, elapsed and an estimate of what is left (once halted: what will not start). */
    synchronized String progress() {
        int done = applied + failed + other;
        int pending = total - done - running;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String estimate = halted || done == 0 || done == total
                ? ""
                : ", about "
                        + Durations.human(elapsed.multipliedBy(total - done).dividedBy(done)) + " left";
        return String.format(
                Locale.ROOT,
                "fleet: %d/%d applied, %d running, %d failed, %s%s; %s elapsed%s",
                applied,
                total,
                running,
                failed,
                halted ? "halted (" + pending + " not started)" : pending + " pending",
                other == 0 ? "" : ", " + other + " other",
                Durations.human(elapsed),
                estimate);
    }

    private void redraw() {
        if (style.isTerminal()) out.print("\r\033[K" + progress());
    }

    private void clearLine() {
        if (style.isTerminal()) out.print("\r\033[K");
    }

    /** The output of every target that did not apply, then one row per target. */
    public void summary(List<TargetResult> results) {
        clearLine();
        for (TargetResult r : results) {
            if (r.ok() || r.output().isBlank()) continue;
            out.println();
            out.println(style.bold(
                    "--- " + r.target().name() + " (" + r.target().settings().describe() + "): " + r.describe()));
            out.print(r.output().lines().map(l -> "  " + l + "\n").reduce("", String::concat));
        }
        out.println();
        out.println(
                style.bold("summary") + style.dim("  " + Durations.human(Duration.ofNanos(System.nanoTime() - start))));
        int width = Math.max(
                6,
                results.stream().mapToInt(r -> r.target().name().length()).max().orElse(6));
        int stateWidth = Math.max(
                5, results.stream().mapToInt(r -> r.describe().length()).max().orElse(5));
        out.println("  " + pad("target", width) + "  " + pad("state", stateWidth) + "  duration  run");
        for (TargetResult r : results) {
            String state = pad(r.describe(), stateWidth);
            state = r.ok() ? style.green(state) : r.failed() ? style.red(state) : style.yellow(state);
            String when = r.state() == TargetResult.State.NOT_STARTED ? "" : Durations.human(r.duration());
            out.println(("  " + pad(r.target().name(), width) + "  " + state + "  " + pad(when, 8) + "  "
                            + (r.runId() == null ? "" : "#" + r.runId()))
                    .stripTrailing());
        }
        long ok = results.stream().filter(TargetResult::ok).count();
        long bad = results.stream().filter(TargetResult::failed).count();
        String line = ok + " of " + results.size() + " applied, " + bad + " failed, " + (results.size() - ok - bad)
                + " not run";
        out.println(ok == results.size() ? style.green(line) : style.red(line));
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
