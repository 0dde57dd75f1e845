package io.runbook.cli;

import io.runbook.ast.Runbook;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.run.Params;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Where param values come from: {@code --param-file} (NAME=VALUE lines), then {@code -p NAME=VALUE}, then the
 * runbook's defaults (which may read the environment: {@code env("API_KEY")}); a secret param still without a value
 * is asked for on the terminal, not echoed. A secret on the command line is accepted with a warning: other users of
 * the machine can read it in {@code ps}.
 */
final class ParamOptions {
    @Option(
            names = {"-p", "--param"},
            paramLabel = "NAME=VALUE",
            description =
                    "set a param (repeatable); for a secret param prefer --param-file or env(...): the command line is visible in ps")
    Map<String, String> given = new LinkedHashMap<>();

    @Option(
            names = "--param-file",
            paramLabel = "FILE",
            description = "read params from NAME=VALUE lines (# comments); keeps secrets off the command line; -p wins")
    Path file;

    private static final Set<PosixFilePermission> OTHERS =
            Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    /** The runbook's params bound to the values given (checked and typed): what every command that runs steps uses. */
    Scope bind(Program program, Context context) {
        return Params.bind(program, values(program, context), context.env());
    }

    /** The values given for the runbook's params, by name; secrets missing a value are asked for when a terminal can answer. */
    Map<String, String> values(Program program, Context context) {
        Map<String, String> out = new LinkedHashMap<>();
        if (file != null) out.putAll(readFile(program, context));
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (isSecret(program, e.getKey())) {
                context.err()
                        .println("WARNING: --param " + e.getKey()
                                + ": a secret on the command line can be read by other users of"
                                + " this machine (ps, /proc) and stays in the shell's history; use --param-file FILE (chmod 600), a default of"
                                + " env(\"NAME\"), or leave it out to be asked on the terminal");
            }
            out.put(e.getKey(), e.getValue());
        }
        for (Runbook.Param p : program.runbook().params()) {
            if (!p.secret() || p.defaultValue() != null || out.containsKey(p.name())) continue;
            Console console = System.console(); // only a real terminal: the value must not be echoed or logged
            if (console == null) continue; // Params.bind says it is missing, and how to give it
            char[] value = console.readPassword("value of secret param %s (not shown): ", p.name());
            if (value != null) out.put(p.name(), new String(value));
        }
        return out;
    }

    private static boolean isSecret(Program program, String name) {
        return program.runbook().params().stream().anyMatch(p -> p.name().equals(name) && p.secret());
    }

    private Map<String, String> readFile(Program program, Context context) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (MalformedInputException e) {
            throw invalid("--param-file " + file + " is not UTF-8 text", null);
        } catch (IOException e) {
            throw invalid(
                    "cannot read --param-file " + file + ": " + e.getMessage(),
                    "give the path of a file of NAME=VALUE lines");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) {
                // the line is not shown: it may hold a secret
                throw invalid(
                        "--param-file " + file + ", line " + (i + 1) + ": not NAME=VALUE",
                        "write one param per line, e.g. expected_rows=52");
            }
            out.put(
                    line.substring(0, eq).strip(),
                    lines.get(i).substring(lines.get(i).indexOf('=') + 1));
        }
        try {
            boolean othersRead = Files.getPosixFilePermissions(file).stream().anyMatch(OTHERS::contains);
            if (othersRead && out.keySet().stream().anyMatch(n -> isSecret(program, n))) {
                context.err()
                        .println("WARNING: --param-file " + file
                                + " holds a secret and other users can read it: chmod 600 " + file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        return out;
    }

    private static RunbookException invalid(String message, String hint) {
        return new RunbookException(ExitCode.INVALID, new Diagnostic(null, message, hint));
    }
}
