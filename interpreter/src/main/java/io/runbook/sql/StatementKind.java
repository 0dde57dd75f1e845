package io.runbook.sql;

import static io.runbook.sql.SqlLexer.Type.COMMA;
import static io.runbook.sql.SqlLexer.Type.LPAREN;
import static io.runbook.sql.SqlLexer.Type.RPAREN;

/** Keyword-level classification of one statement; see the methods of {@link SqlStatement}. */
final class StatementKind {

    private StatementKind() {}

    static boolean isTransactionControl(String text) {
        StatementTokens t = StatementTokens.of(text);
        return switch (t.keyword()) {
            case "BEGIN" -> !t.word(1, "ATOMIC");
            case "START", "PREPARE" -> t.word(1, "TRANSACTION");
            case "COMMIT", "END", "ABORT" -> true;
            // ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] x only unwinds to a savepoint.
            case "ROLLBACK" -> !t.word(t.word(1, "WORK") || t.word(1, "TRANSACTION") ? 2 : 1, "TO");
            default -> false;
        };
    }

    static boolean returnsRows(String text) {
        StatementTokens t = StatementTokens.of(text);
        return switch (t.keyword()) {
            case "SELECT" -> t.find(0, "INTO") < 0;
            // EXECUTE runs a prepared statement that may well be a SELECT; assume it returns rows.
            case "VALUES", "TABLE", "SHOW", "EXPLAIN", "FETCH", "CALL", "EXECUTE" -> true;
            case "INSERT", "UPDATE", "DELETE", "MERGE" -> t.find(1, "RETURNING") >= 0;
            case "WITH" -> withReturnsRows(t);
            case "COPY" -> followedBy(t, "TO", "STDOUT");
            default -> false;
        };
    }

    /**
     * A WITH returns rows unless its main statement is a data change without RETURNING. The
     * main statement's keyword is the first one that is not a CTE name: a CTE name follows
     * WITH, RECURSIVE or a comma and comes before AS or a column list.
     */
    private static boolean withReturnsRows(StatementTokens t) {
        for (int k = 1; k < t.count(); k++) {
            boolean select = t.word(k, "SELECT");
            boolean change = t.word(k, "INSERT") || t.word(k, "UPDATE") || t.word(k, "DELETE") || t.word(k, "MERGE");
            if (!select && !change && !t.word(k, "VALUES") && !t.word(k, "TABLE")) {
                continue;
            }
            boolean cteName = t.type(k - 1) == COMMA
                    || t.word(k - 1, "WITH")
                    || t.word(k - 1, "RECURSIVE")
                    || t.word(k + 1, "AS");
            if (cteName) {
                continue;
            }
            if (select) {
                return t.find(k + 1, "INTO") < 0;
            }
            return !change || t.find(k + 1, "RETURNING") >= 0;
        }
        return true;
    }

    static boolean mustRunAlone(String text) {
        StatementTokens t = StatementTokens.of(text);
        return switch (t.keyword()) {
            case "VACUUM" -> true;
            case "CREATE" -> {
                int k = t.word(1, "UNIQUE") ? 2 : 1;
                yield t.word(k, "INDEX") ? t.word(k + 1, "CONCURRENTLY") : createsOrDropsCluster(t);
            }
            case "DROP" -> t.word(1, "INDEX") ? t.word(2, "CONCURRENTLY") : createsOrDropsCluster(t);
            // REINDEX [(CONCURRENTLY, ...)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] x;
            // the SCHEMA, DATABASE and SYSTEM forms commit per table.
            case "REINDEX" -> t.concurrentlyAnywhere() || reindexesMany(t);
            case "ALTER" ->
                t.word(1, "SYSTEM")
                        || (t.word(1, "DATABASE") && followedBy(t, "SET", "TABLESPACE"))
                        || (t.word(1, "TABLE") && t.find(2, "DETACH") >= 0 && t.find(2, "CONCURRENTLY") >= 0)
                        || (t.word(1, "SUBSCRIPTION") && (t.find(2, "REFRESH") >= 0 || t.find(2, "PUBLICATION") >= 0));
            case "CLUSTER" -> clustersEverything(t);
            case "DISCARD" -> t.word(1, "ALL");
            default -> false;
        };
    }

    /** CREATE/DROP of a database, tablespace or subscription (the latter may make a slot). */
    private static boolean createsOrDropsCluster(StatementTokens t) {
        return t.word(1, "DATABASE") || t.word(1, "TABLESPACE") || t.word(1, "SUBSCRIPTION");
    }

    private static boolean reindexesMany(StatementTokens t) {
        int k = 1;
        if (t.type(k) == LPAREN) {
            k += 2; // the option list is one group: '(' and ')' at top level
        }
        return t.word(k, "SCHEMA") || t.word(k, "DATABASE") || t.word(k, "SYSTEM");
    }

    /** Plain CLUSTER [VERBOSE] or CLUSTER (options), i.e. without a table name. */
    private static boolean clustersEverything(StatementTokens t) {
        for (int k = 1; k < t.count(); k++) {
            boolean options = t.type(k) == LPAREN || t.type(k) == RPAREN;
            if (!options && !t.word(k, "VERBOSE")) {
                return false;
            }
        }
        return true;
    }

    /**
     * What SET [SESSION|LOCAL] standard_conforming_strings {TO|=} value, or RESET of it (or RESET
     * ALL) sets it to: true for on, false for off, null when the statement does not set it.
     */
    static Boolean setsStandardStrings(String text) {
        StatementTokens t = StatementTokens.of(text);
        String k = t.keyword();
        if (k.equals("RESET")) {
            return t.word(1, "STANDARD_CONFORMING_STRINGS") || t.word(1, "ALL") ? Boolean.TRUE : null;
        }
        if (!k.equals("SET")) {
            return null;
        }
        int i = t.word(1, "SESSION") || t.word(1, "LOCAL") ? 2 : 1;
        if (!t.word(i, "STANDARD_CONFORMING_STRINGS")) {
            return null;
        }
        String v = t.text(i + 2).toLowerCase(java.util.Locale.ROOT).replace("'", "");
        return switch (v) {
            case "off", "false", "0", "no", "of", "fa", "fal", "fals", "n" -> Boolean.FALSE;
            default -> Boolean.TRUE;
        };
    }

    static boolean isCopyToStdout(String text) {
        StatementTokens t = StatementTokens.of(text);
        return t.keyword().equals("COPY") && followedBy(t, "TO", "STDOUT");
    }

    static boolean isCopyFromStdin(String text) {
        StatementTokens t = StatementTokens.of(text);
        return t.keyword().equals("COPY") && followedBy(t, "FROM", "STDIN");
    }

    /** Whether some top-level word a is directly followed by the word b. */
    private static boolean followedBy(StatementTokens t, String a, String b) {
        for (int k = t.find(0, a); k >= 0; k = t.find(k + 1, a)) {
            if (t.word(k + 1, b)) {
                return true;
            }
        }
        return false;
    }
}
