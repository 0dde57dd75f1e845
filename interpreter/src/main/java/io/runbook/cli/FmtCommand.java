package io.runbook.cli;

import io.runbook.fmt.Formatter;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "fmt",
        mixinStandardHelpOptions = true,
        description = {
            "Rewrite runbook files in the one canonical layout: indentation, spacing, blank lines.",
            "Comments are kept; SQL bodies and strings are never touched. See docs/editors.md."
        },
        footer = {
            "",
            "Exit codes: 0 ok (with --check: nothing would change), 1 with --check: some files would change,",
            "2 a file does not parse or cannot be read."
        })
final class FmtCommand implements Callable<Integer>, ContextAware {
    private Context context;

    @Override
    public void context(Context context) {
        this.context = context;
    }

    @Parameters(
            arity = "1..*",
            paramLabel = "FILE|DIR",
            description = ".runbook files, or directories to search for them")
    List<Path> paths;

    @Option(
            names = "--check",
            description = "change nothing: list the files that are not formatted and exit 1 if there are any (for CI)")
    boolean check;

    @Option(names = "--debug", description = "show stack traces of internal errors")
    boolean debug;

    @Override
    public Integer call() {
        return BaseCommand.guarded(context, debug, () -> {
            List<Path> changed = new ArrayList<>();
            int broken = 0;
            for (RunbookFiles.Input in : RunbookFiles.expand(paths)) {
                Path file = in.path();
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    context.err().println("ERROR: cannot read " + file + ": " + e.getMessage());
                    broken++;
                    continue;
                }
                String formatted;
                try {
                    formatted = Formatter.format(file.toString(), file, text);
                } catch (RunbookException e) {
                    e.diagnostics().forEach(d -> context.err().print(d.render()));
                    broken++;
                    continue;
                }
                if (formatted.equals(text)) continue;
                changed.add(file);
                if (check) {
                    context.out().println(file);
                } else {
                    try {
                        Files.writeString(file, formatted, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        context.err().println("ERROR: cannot write " + file + ": " + e.getMessage());
                        broken++;
                        continue;
                    }
                    context.out().println("formatted " + file);
                }
            }
            if (check && !changed.isEmpty()) {
                context.err()
                        .println(changed.size() + (changed.size() == 1 ? " file is" : " files are")
                                + " not formatted: run `runbook fmt` on " + (changed.size() == 1 ? "it" : "them"));
            }
            if (broken > 0) return ExitCode.INVALID;
            return check && !changed.isEmpty() ? ExitCode.GUARD_FAILED : ExitCode.OK;
        });
    }
}
