package io.runbook.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `runbook ARGS` in a JVM of its own, as an operator's shell starts it: what a test kills, cuts off or watches
 * from outside. Its stdout and stderr go to one log file.
 */
public final class RunbookProcess {
    private RunbookProcess() {}

    /** The command line: this JVM's java, the test class path, the CLI's main class, then args. */
    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.runbook.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts `runbook ARGS`, its output (stdout and stderr) written to log. */
    public static Process start(Path log, String... args) throws IOException {
        return new ProcessBuilder(command(args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * Starts `runbook ARGS` in a session of its own (setsid), without a controlling terminal, as under cron or a
     * CI runner; its output written to log. Its stdin is a pipe the test writes to, or closes.
     */
    public static Process withoutTerminal(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setsid", "--wait"));
        cmd.addAll(command(args));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** `runbook run FILE --db URI --yes EXTRA...`, its output written to log. */
    public static Process run(Path log, Path file, String uri, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "--db", uri, "--yes"));
        args.addAll(List.of(extra));
        return start(log, args.toArray(String[]::new));
    }

    /** What the process wrote so far, or "(no log)". */
    public static String log(Path log) {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
