package io.runbook.cli;

import io.runbook.run.Prompter;
import io.runbook.term.Style;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a command needs from the world: output streams, the environment and the operator's terminal.
 * Tests pass their own; main() passes the real ones.
 */
public record Context(
        PrintStream out,
        PrintStream err,
        Map<String, String> env,
        String osUser,
        Supplier<Prompter> terminal,
        Style style) {

    /** The operator's terminal, or null when there is none (piped, CI, cron). */
    public Prompter terminalPrompter() {
        return terminal == null ? null : terminal.get();
    }
}
