package io.runbook.cli;

import io.runbook.ast.Module;
import io.runbook.lint.Finding;
import io.runbook.lint.LintReport;
import io.runbook.lint.Linter;
import io.runbook.lint.Severity;
import io.runbook.parse.AstBuilder;
import io.runbook.parse.Checker;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `check` and `lint`: many files and directories, each checked and linted on its own, and one verdict for CI
 * (--fail-on). A library found in a directory (defs, no runbook block) is parsed, not run, so it is not linted.
 */
abstract class FilesCommand implements Callable<Integer>, ContextAware {
    enum FailOn {
        warning,
        error
    }

    Context context;

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
            names = "--fail-on",
            defaultValue = "error",
            paramLabel = "warning|error",
            description =
                    "exit 2 when a finding is this severe or worse (default: ${DEFAULT-VALUE}); problems found by the checker always fail")
    FailOn failOn;

    @Option(names = "--debug", description = "log everything, and show stack traces of internal errors")
    boolean debug;

    /** One file's outcome: the checker's problems (the file is invalid), or its program and lint report. */
    record Checked(Path file, boolean library, Program program, LintReport lint, List<Diagnostic> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    @Override
    public final Integer call() {
        return BaseCommand.guarded(context, debug, () -> execute(checkAll()));
    }

    abstract int execute(List<Checked> files);

    List<Checked> checkAll() {
        List<Checked> out = new ArrayList<>();
        for (RunbookFiles.Input in : RunbookFiles.expand(paths)) out.add(check(in));
        return out;
    }

    /** The PostgreSQL major version lint's version-dependent rules assume (null: the runbook's, else 15). */
    Integer pgVersion() {
        return null;
    }

    private Checked check(RunbookFiles.Input in) {
        Path file = in.path();
        try {
            if (in.fromDirectory() && isLibrary(file)) return new Checked(file, true, null, null, List.of());
            Program program = Checker.load(file);
            return new Checked(file, false, program, Linter.lint(program, pgVersion()), List.of());
        } catch (RunbookException e) {
            return new Checked(file, false, null, null, e.diagnostics());
        }
    }

    private static boolean isLibrary(Path file) {
        try {
            Module m = AstBuilder.parse(
                    new SourceFile(file.toString(), file, Files.readString(file, StandardCharsets.UTF_8)));
            return m.runbook() == null;
        } catch (IOException | RunbookException e) {
            return false; // the full check reports it
        }
    }

    /** Every lint finding of the files, in order (suppressed ones included, marked). */
    static List<Finding> findings(List<Checked> files) {
        List<Finding> out = new ArrayList<>();
        for (Checked c : files) if (c.lint() != null) out.addAll(c.lint().findings());
        return out;
    }

    static List<Diagnostic> problems(List<Checked> files) {
        List<Diagnostic> out = new ArrayList<>();
        for (Checked c : files) out.addAll(c.problems());
        return out;
    }

    /** One report for all files: their findings, and their statement counts summed. */
    static LintReport merged(List<Checked> files) {
        int statements = 0, parsed = 0, screened = 0, tokens = 0, unanalysed = 0;
        for (Checked c : files) {
            if (c.lint() == null) continue;
            LintReport.Stats s = c.lint().stats();
            statements += s.statements();
            parsed += s.parsed();
            screened += s.screened();
            tokens += s.tokens();
            unanalysed += s.unanalysed();
        }
        return new LintReport(findings(files), new LintReport.Stats(statements, parsed, screened, tokens, unanalysed));
    }

    /** The exit code: 2 when a file is invalid or a finding reaches --fail-on, else 0. */
    int verdict(List<Checked> files) {
        if (files.stream().anyMatch(c -> !c.ok())) return ExitCode.INVALID;
        LintReport all = merged(files);
        long failing = all.count(Severity.ERROR) + (failOn == FailOn.warning ? all.count(Severity.WARNING) : 0);
        return failing > 0 ? ExitCode.INVALID : ExitCode.OK;
    }

    static String version() {
        try {
            return new Main.Version().getVersion()[0].replaceFirst("^runbook ", "");
        } catch (IOException e) {
            return "dev";
        }
    }
}
