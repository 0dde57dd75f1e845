package io.runbook.sql;

import java.util.List;

/**
 * One statement of a SQL source. {@code text} is {@code source.substring(start, end)}: it
 * begins at the statement's first token and ends after its last token, before the
 * terminating ';' (leading and trailing whitespace and comments are left out).
 *
 * <p>For {@code COPY ... FROM STDIN}, {@code copyData} holds the inline data lines that
 * follow the statement, each ending with its line break, without the terminating
 * {@code \.} line; {@code copyDataStart} is its offset in the source. Otherwise copyData is
 * null and copyDataStart is -1.
 *
 * <p>The classification methods scan the text each time they are called.
 */
public record SqlStatement(String text, int start, int end, List<VarRef> vars, String copyData, int copyDataStart) {

    public SqlStatement {
        vars = vars == null ? List.of() : List.copyOf(vars);
    }

    /** The first keyword upper-cased, e.g. CREATE, BEGIN, WITH; "" if it starts otherwise. */
    public String keyword() {
        return StatementTokens.of(text).keyword();
    }

    /**
     * BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK (not ROLLBACK TO a savepoint), ABORT,
     * COMMIT/ROLLBACK PREPARED and PREPARE TRANSACTION. SAVEPOINT and RELEASE are not.
     */
    public boolean isTransactionControl() {
        return StatementKind.isTransactionControl(text);
    }

    /**
     * Whether the statement produces a result set, which keeps it out of a JDBC batch: SELECT
     * (not SELECT INTO), VALUES, TABLE, SHOW, EXPLAIN, FETCH, CALL, EXECUTE, a WITH whose main
     * statement returns rows, a data change with a top-level RETURNING, COPY ... TO STDOUT.
     */
    public boolean returnsRows() {
        return StatementKind.returnsRows(text);
    }

    /**
     * Whether PostgreSQL refuses to run the statement inside a transaction block: CREATE/DROP
     * INDEX CONCURRENTLY, REINDEX CONCURRENTLY or SCHEMA/DATABASE/SYSTEM, VACUUM, CREATE/DROP
     * DATABASE and TABLESPACE, ALTER SYSTEM, CLUSTER without a table, and a few rarer ones
     * (ALTER DATABASE SET TABLESPACE, DETACH PARTITION CONCURRENTLY, DISCARD ALL, subscription
     * commands that may create or drop a replication slot).
     */
    public boolean mustRunAlone() {
        return StatementKind.mustRunAlone(text);
    }

    /** COPY ... TO STDOUT: its rows would go to the client. */
    public boolean isCopyToStdout() {
        return StatementKind.isCopyToStdout(text);
    }

    /** SET/RESET of standard_conforming_strings: true for on, false for off, else null. */
    public Boolean setsStandardStrings() {
        return StatementKind.setsStandardStrings(text);
    }

    public boolean isCopyFromStdin() {
        return StatementKind.isCopyFromStdin(text);
    }
}
