package io.runbook.cli;

import io.runbook.db.ConnectionSettings;
import io.runbook.db.Database;
import io.runbook.rehearse.ScratchDatabase;
import io.runbook.schema.SchemaDiff;
import io.runbook.schema.SchemaSnapshot;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runbook diff}: compares the schemas of two databases, or of a database and a SQL schema file (loaded into a
 * scratch database on the first database's server, dropped afterwards). Exit 0 when they are the same, 1 when they
 * differ. See docs/diff.md.
 */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Compares the schemas of two databases, or of a database and a SQL schema file.",
            "Lines: + only in the second, - only in the first, ~ in both but different."
        },
        footer = {
            "",
            "Exit codes: 0 no differences, 1 differences, 2 invalid input, 3 connection error,",
            "4 SQL error (loading the schema file or creating the scratch database).",
            "See docs/diff.md."
        })
final class DiffCommand implements Callable<Integer>, ContextAware {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--db",
            paramLabel = "URL",
            description =
                    "a database to compare: twice for two databases, once with --schema-file; default for the first: DATABASE_URL, then PGHOST/PGPORT/PGUSER/PGDATABASE")
    List<String> dbs = new ArrayList<>();

    @Option(
            names = "--schema-file",
            paramLabel = "FILE",
            description =
                    "SQL that creates the expected schema (e.g. pg_dump --schema-only); it is loaded into a scratch database runbook_scratch_... on the server of --db, which is dropped afterwards")
    Path schemaFile;

    @Option(
            names = "--schema",
            paramLabel = "NAME",
            description =
                    "compare only this schema (repeatable); default: all but pg_catalog, information_schema, pg_toast and the journal schema runbook")
    List<String> schemas = new ArrayList<>();

    @Option(
            names = "--exclude-schema",
            paramLabel = "NAME",
            description = "also leave out this schema (repeatable; e.g. a --journal-schema)")
    List<String> excludeSchemas = new ArrayList<>();

    @Option(names = "--ignore-owners", description = "do not compare who owns objects")
    boolean ignoreOwners;

    @Option(names = "--ignore-grants", description = "do not compare access privileges")
    boolean ignoreGrants;

    @Option(names = "--debug", description = "log everything, and show stack traces of internal errors")
    boolean debug;

    @Override
    public Integer call() {
        Context context = context();
        if (schemaFile == null && dbs.size() != 2) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "give two databases (--db A --db B) or a database and a schema file (--db A --schema-file FILE)");
        }
        if (schemaFile != null && dbs.size() > 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--schema-file compares with one database: give --db once");
        }
        return BaseCommand.guarded(context, debug, () -> execute(context));
    }

    private int execute(Context context) throws SQLException {
        Set<String> excluded = Set.copyOf(excludeSchemas);
        ConnectionSettings first =
                ConnectionSettings.resolve(dbs.isEmpty() ? null : dbs.get(0), context.env(), context.osUser());
        SourceFile file = schemaFile == null ? null : readSchemaFile();
        String nameA = first.describe();
        String nameB;
        SchemaSnapshot a;
        SchemaSnapshot b;
        try (Database databaseA = Database.open(first, "runbook");
                Connection ca = databaseA.connection()) {
            if (file != null) {
                nameB = schemaFile.toString();
                b = captureSchemaFile(databaseA, file, excluded);
            } else {
                ConnectionSettings second = ConnectionSettings.resolve(dbs.get(1), context.env(), context.osUser());
                nameB = second.describe();
                try (Database databaseB = Database.open(second, "runbook");
                        Connection cb = databaseB.connection()) {
                    b = SchemaSnapshot.capture(cb, schemas, excluded);
                }
            }
            a = SchemaSnapshot.capture(ca, schemas, excluded);
        }
        SchemaDiff diff = SchemaDiff.between(a, b, new SchemaDiff.Options(ignoreOwners, ignoreGrants));
        context.out().println("--- " + nameA);
        context.out().println("+++ " + nameB);
        for (String line : diff.lines()) context.out().println(line);
        int n = diff.changes().size();
        context.out().println(n == 0 ? "no differences" : n == 1 ? "1 difference" : n + " differences");
        return n == 0 ? ExitCode.OK : 1;
    }

    private SourceFile readSchemaFile() {
        try {
            return new SourceFile(schemaFile.toString(), schemaFile, Files.readString(schemaFile));
        } catch (NoSuchFileException e) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            null,
                            "schema file not found: " + schemaFile,
                            "give the path of a SQL file, relative to the current directory"));
        } catch (MalformedInputException e) {
            throw new RunbookException(
                    ExitCode.INVALID, new Diagnostic(null, "schema file is not UTF-8 text: " + schemaFile, null));
        } catch (IOException e) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(null, "cannot read schema file " + schemaFile + ": " + e.getMessage(), null));
        }
    }

    /** Loads the file into a fresh scratch database on the server of {@code server}, captures it, drops it. */
    private SchemaSnapshot captureSchemaFile(Database server, SourceFile file, Set<String> excluded)
            throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.create(server, "runbook_scratch")) {
            scratch.load(file);
            try (Database db = Database.open(scratch.settings(), "runbook");
                    Connection c = db.connection()) {
                return SchemaSnapshot.capture(c, schemas, excluded);
            }
        }
    }

    @Override
    public void context(Context context) {
        this.context = context;
    }

    private Context context;

    private Context context() {
        return context;
    }
}
