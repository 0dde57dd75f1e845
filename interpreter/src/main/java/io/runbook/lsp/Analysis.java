package io.runbook.lsp;

import io.runbook.ast.Module;
import io.runbook.lint.Finding;
import io.runbook.lint.LintReport;
import io.runbook.lint.Linter;
import io.runbook.parse.AstBuilder;
import io.runbook.parse.Checker;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place the language server meets the checker: parse, check and lint an editor's buffer and say what is
 * wrong, as problems with a position, a severity and the whole message (hint included). When the parser's
 * diagnostics gain severities and end positions, only this class changes.
 */
final class Analysis {
    enum Level {
        ERROR,
        WARNING,
        INFO
    }

    /** One problem. pos may be in another file (an imported library, a SQL file) or null (nowhere in particular). */
    record Problem(Pos pos, Level level, String message, String code, boolean wholeLine) {}

    /** module: the parsed buffer (null when it does not parse); program: checked (null when the check failed). */
    record Result(List<Problem> problems, Module module, Program program) {}

    private Analysis() {}

    static Result of(Path path, String text) {
        Module module;
        try {
            module = AstBuilder.parse(new SourceFile(path.toString(), path, text));
        } catch (RunbookException e) {
            return new Result(problems(e), null, null);
        }
        if (module.runbook() == null)
            return new Result(List.of(), module, null); // a library: checked where it is imported
        Program program;
        try {
            program = Checker.load(path, text);
        } catch (RunbookException e) {
            return new Result(problems(e), module, null);
        }
        List<Problem> out = new ArrayList<>();
        LintReport report = Linter.lint(program);
        for (Finding f : report.active()) {
            Level level = switch (f.severity()) {
                case ERROR -> Level.ERROR;
                case WARNING -> Level.WARNING;
                case INFO -> Level.INFO;
            };
            out.add(new Problem(
                    f.pos(), level, f.message() + (f.fix() == null ? "" : "\nfix: " + f.fix()), f.rule().id, true));
        }
        return new Result(out, module, program);
    }

    private static List<Problem> problems(RunbookException e) {
        List<Problem> out = new ArrayList<>();
        for (Diagnostic d : e.diagnostics()) {
            StringBuilder m = new StringBuilder(d.message());
            for (String detail : d.details()) m.append('\n').append(detail);
            if (d.hint() != null && !d.hint().isBlank()) m.append("\nhint: ").append(d.hint());
            out.add(new Problem(d.pos(), Level.ERROR, m.toString(), null, false));
        }
        return out;
    }
}
