package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.parse.Program;
import io.runbook.source.ExitCode;
import picocli.CommandLine.Command;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Parse a runbook, resolve its imports, files and names, without touching a database (for CI).")
final class CheckCommand extends BaseCommand {
    @Override
    int execute() {
        Program program = load();
        if (!LintCommand.passesLint(program, context)) return ExitCode.INVALID;  // lint errors fail check; warnings are printed
        int statements = program.scripts().values().stream().mapToInt(s -> s.statements().size()).sum();
        int steps = program.runbook().preflight().size();
        for (Phase p : program.runbook().phases()) steps += p.steps().size() + p.verify().size() + p.rollback().size();
        context.out().println("ok: " + file + ": " + program.runbook().phases().size() + " phases, " + steps + " steps, "
                + program.scripts().size() + " SQL file references (" + statements + " statements)");
        return ExitCode.OK;
    }
}
