package io.runbook.cli;

import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.rehearse.Rehearsal;
import io.runbook.rehearse.ScratchDatabase;
import io.runbook.run.PhaseState;
import io.runbook.run.RunEvent;
import io.runbook.run.RunListener;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import io.runbook.term.ConsoleReporter;
import io.runbook.term.Style;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "rehearse",
        mixinStandardHelpOptions = true,
        description = {
            "Prove the way back works, in a scratch database: every phase forward, every rollback back, forward again.",
            "The scratch database is loaded with the fixture; each rollback block, last phase first, is checked to restore",
            "the schema its phase started from exactly. See docs/rehearse.md."
        })
final class RehearseCommand extends BaseCommand {
    @Option(
            names = "--db",
            paramLabel = "URL",
            description = "the server to create the scratch database on (any database there; default as for run)")
    String db;

    @Option(
            names = "--fixture",
            paramLabel = "FILE.sql",
            description = "the \"before\" schema (default: the runbook's `fixture \"...\"`)")
    Path fixture;

    @Option(
            names = "--from-db",
            paramLabel = "URL",
            description = "take the \"before\" schema from this database (pg_dump --schema-only)")
    String fromDb;

    @Mixin
    ParamOptions params;

    @Option(names = "--keep", description = "keep the scratch database afterwards (its name is printed)")
    boolean keep;

    @Option(
            names = {"-v", "--verbose"},
            description = "print every step, as runbook run does")
    boolean verbose;

    @Override
    int execute() throws SQLException {
        Program program = load();
        Scope scope = params.bind(program, context);
        Style style = context.style();
        try (Database server = connect(db)) {
            SourceFile before = fixtureSource(program, server);
            ScratchDatabase scratch = ScratchDatabase.create(server, "runbook_rehearse");
            Rehearsal.Result result;
            try {
                scratch.load(before);
                context.out()
                        .println(style.bold(
                                        "rehearsal of \"" + program.runbook().name() + "\"") + " in scratch database "
                                + scratch.name() + " (\"before\" schema: " + before.name() + ")");
                RunListener console =
                        verbose ? new ConsoleReporter(context.out(), context.err(), style) : new Quiet(context, style);
                result = new Rehearsal(program, scope, context.env(), console)
                        .run(
                                scratch,
                                JournalOptions.runInfo(
                                        "rehearse",
                                        program,
                                        file,
                                        scratch.settings().describe(),
                                        scope,
                                        context,
                                        false));
            } finally {
                if (keep) context.out().println("scratch database kept: " + scratch.name());
                else scratch.close();
            }
            context.out().println();
            context.out().println(style.bold("verdict"));
            for (Rehearsal.Verdict v : result.verdicts()) {
                context.out()
                        .println("  " + (v.ok() ? style.ok() : style.fail()) + " " + v.subject() + ": " + v.text());
                for (String line : v.diff()) context.out().println("      " + line);
            }
            if (!result.confirmations().isEmpty()) {
                context.out().println(style.bold("confirmations answered yes by the rehearsal"));
                for (String c : result.confirmations()) context.out().println("  - " + c);
            }
            String last = result.ok() ? "exit 0: rehearsal passed" : "exit 1: rehearsal failed";
            context.out().println(result.ok() ? style.green(last) : style.red(last));
            return result.ok() ? ExitCode.OK : ExitCode.GUARD_FAILED;
        }
    }

    private SourceFile fixtureSource(Program program, Database server) {
        if (fromDb != null) return PgDump.schemaOnly(fromDb, context);
        Path path = fixture;
        if (path == null && program.runbook().fixture() != null) {
            path = io.runbook.parse.Loader.resolve(
                    program.main().file(), program.runbook().fixture().path());
        }
        if (path == null) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            program.runbook().pos(),
                            "a rehearsal needs the \"before\" schema",
                            "declare `fixture \"schema.sql\"` in the runbook, or pass --fixture FILE.sql or --from-db URL"));
        }
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8).replace("\r\n", "\n");
            return new SourceFile(path.toString(), path, text);
        } catch (IOException e) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(null, "cannot read the fixture " + path + ": " + e.getMessage(), null));
        }
    }

    /** Phase results and problems only: the verdict is what a rehearsal is for. */
    private static final class Quiet implements RunListener {
        private final Context context;
        private final Style style;

        Quiet(Context context, Style style) {
            this.context = context;
            this.style = style;
        }

        @Override
        public void on(RunEvent e) {
            if (e instanceof RunEvent.PhaseFinished f) {
                boolean ok = f.state() == PhaseState.COMMITTED
                        || f.state() == PhaseState.COMPLETED
                        || f.state() == PhaseState.UNDONE;
                context.out()
                        .println("  " + (ok ? style.ok() : style.fail()) + " "
                                + f.phase().name() + ": " + f.state().label);
            } else if (e instanceof RunEvent.Note n) {
                context.err().print(n.text().endsWith("\n") ? n.text() : n.text() + "\n");
            } else if (e instanceof RunEvent.Failed f) {
                context.err()
                        .print(f.failure().render(ConsoleReporter::runWords).render());
            }
        }
    }
}
