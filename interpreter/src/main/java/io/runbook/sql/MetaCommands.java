package io.runbook.sql;

/** Problems for psql backslash commands, which runbook does not execute. */
final class MetaCommands {

    private static final String PREFIX = "runbook runs SQL only: ";

    private MetaCommands() {}

    /** The command's name in a line that starts with its backslash: up to whitespace or a backslash. */
    static String name(String line) {
        int i = 1;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '\\') {
            i++;
        }
        return line.substring(1, i);
    }

    static SqlProblem problem(int offset, String name) {
        return new SqlProblem(offset, "psql meta-command \\" + name + " is not supported", hint(name));
    }

    /** psql's \; and \: put a literal ';' or ':' into the query; runbook has no equivalent. */
    static SqlProblem escape(int offset, char c) {
        String hint = c == ';'
                ? "end each statement with a plain ; (runbook sends statements one at a time)"
                : "write the colon plainly; :: casts and colons inside quotes are left alone";
        return new SqlProblem(offset, "psql escape \\" + c + " is not supported", hint);
    }

    static String hint(String name) {
        return switch (name) {
            case "i", "ir", "include", "include_relative" ->
                PREFIX + "use `sql file \"...\"` steps to include other files";
            case "set", "unset", "gset" -> PREFIX + "use `param` or `let` for variables";
            case "echo", "qecho", "warn" -> PREFIX + "use `echo` steps for messages";
            case "if", "elif", "else", "endif" -> PREFIX + "use `expect`/`check` steps for conditions";
            case "copy" -> PREFIX + "use COPY ... FROM STDIN with the data inline, ended by a line \\.";
            default ->
                PREFIX + "use `sql file \"...\"` steps for includes, `let`/`param` for "
                        + "variables, `echo` for messages";
        };
    }
}
