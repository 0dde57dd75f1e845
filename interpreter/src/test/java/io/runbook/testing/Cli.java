package io.runbook.testing;

import io.runbook.cli.Context;
import io.runbook.cli.Main;
import io.runbook.run.Prompter;
import io.runbook.term.Style;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Runs the real command line in-process and keeps what it printed. */
public final class Cli {
    public final int exit;
    public final String out;
    public final String err;

    private Cli(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    public static Cli run(String... args) {
        return run(null, Map.of(), args);
    }

    public static Cli run(Supplier<Prompter> terminal, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> environment = new HashMap<>(env);
        Context ctx = new Context(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                environment,
                "tester",
                terminal,
                Style.plain());
        int code = Main.run(ctx, args);
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** `runbook run FILE --db URI EXTRA...`. */
    public static Cli runFile(Supplier<Prompter> terminal, java.nio.file.Path file, String uri, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "run";
        args[1] = file.toString();
        args[2] = "--db";
        args[3] = uri;
        System.arraycopy(extra, 0, args, 4, extra.length);
        return run(terminal, Map.of(), args);
    }

    public String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
