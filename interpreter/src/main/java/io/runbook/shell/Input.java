package io.runbook.shell;

import io.runbook.sql.SplitResult;
import io.runbook.sql.SqlProblem;
import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * What the operator typed: a shell command (one line, first word a command name) or SQL, which goes on
 * over several lines until a `;` outside quotes, dollar quotes, comments and parentheses (the runbook's own
 * SQL splitter decides). Also JLine's parser: an incomplete SQL buffer asks for another line.
 */
final class Input implements Parser {
    /** Command names, in the order `help` lists them. */
    static final List<String> COMMANDS = List.of(
            "help",
            "plan",
            "next",
            "run",
            "skip",
            "verify",
            "check",
            "rollback",
            "commit",
            "status",
            "vars",
            "set",
            "reload",
            "quit",
            "exit");

    static final List<String> META = List.of("\\x", "\\pager", "\\q", "\\?");

    /** SQL's own SET forms: `set local ...`, `set role ...` are SQL, not the shell's `set NAME VALUE`. */
    private static final Set<String> SQL_SET_WORDS =
            Set.of("local", "session", "time", "role", "constraints", "transaction");

    /** Words after ROLLBACK / COMMIT that make them SQL (`rollback to savepoint a`, `commit work`). */
    private static final Set<String> SQL_TX_WORDS = Set.of("to", "work", "transaction", "prepared", "and");

    /**
     * The words a SQL statement can begin with: a line of one other word (`clear`, `ls`) is a mistyped
     * command, not the start of a statement that would swallow the next lines.
     */
    private static final Set<String> SQL_FIRST_WORDS = Set.of(
            "abort",
            "alter",
            "analyze",
            "analyse",
            "begin",
            "call",
            "checkpoint",
            "close",
            "cluster",
            "comment",
            "commit",
            "copy",
            "create",
            "deallocate",
            "declare",
            "delete",
            "discard",
            "do",
            "drop",
            "end",
            "execute",
            "explain",
            "fetch",
            "grant",
            "import",
            "insert",
            "listen",
            "load",
            "lock",
            "merge",
            "move",
            "notify",
            "prepare",
            "reassign",
            "refresh",
            "reindex",
            "release",
            "reset",
            "revoke",
            "rollback",
            "savepoint",
            "security",
            "select",
            "set",
            "show",
            "start",
            "table",
            "truncate",
            "unlisten",
            "update",
            "vacuum",
            "values",
            "with");

    /** A line of one word that is neither a command nor the start of a SQL statement (lower case), or null. */
    static String notACommand(String buffer) {
        String s = buffer.strip();
        if (!s.matches("[A-Za-z_][A-Za-z0-9_]*")) return null;
        String w = s.toLowerCase(Locale.ROOT);
        return COMMANDS.contains(w) || SQL_FIRST_WORDS.contains(w) ? null : w;
    }

    /** A shell command: its name (lower case; `\x` for meta commands) and the rest of the line. */
    record Command(String name, String args) {}

    /** The command the buffer holds, or null when it is SQL (or blank). */
    static Command command(String buffer) {
        String s = buffer.strip();
        if (s.isEmpty() || s.indexOf('\n') >= 0) return null;
        if (s.equals("?")) return new Command("help", "");
        String first = firstWord(s);
        String rest = s.substring(first.length()).strip();
        String name = first.toLowerCase(Locale.ROOT);
        if (name.startsWith("\\")) {
            if (name.startsWith("\\g")) return null; // \g and \gx end a SQL buffer
            return new Command(name, rest);
        }
        if (name.endsWith(";") && rest.isEmpty()) name = name.substring(0, name.length() - 1);
        if (!COMMANDS.contains(name)) return null;
        boolean semicolon = s.endsWith(";");
        switch (name) {
            case "set" -> {
                if (semicolon) return null;
                String var = firstWord(rest);
                String value = rest.substring(var.length()).strip();
                if (!var.matches("[A-Za-z_][A-Za-z0-9_]*")
                        || value.isEmpty()
                        || SQL_SET_WORDS.contains(var.toLowerCase(Locale.ROOT))
                        || value.startsWith("=")
                        || firstWord(value).equalsIgnoreCase("to")) {
                    return null;
                }
            }
            case "rollback", "commit" -> {
                if (semicolon
                        || (!rest.isEmpty()
                                && SQL_TX_WORDS.contains(firstWord(rest).toLowerCase(Locale.ROOT)))) return null;
            }
            default -> {
                if (rest.endsWith(";"))
                    rest = rest.substring(0, rest.length() - 1).strip();
            }
        }
        return new Command(name, unquote(rest));
    }

    /** `"name"` → name: phase names and check labels may be typed in quotes. */
    static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String firstWord(String s) {
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) i++;
        return s.substring(0, i);
    }

    /** SQL ending in psql's `\g` / `\gx` (run it; `\gx` shows it expanded), or null. */
    static String sqlTerminator(String buffer) {
        String s = buffer.stripTrailing();
        if (s.endsWith("\\gx")) return "\\gx";
        if (s.endsWith("\\g")) return "\\g";
        return null;
    }

    /** Whether the buffer is ready to run: a command, a meta command, blank, or SQL ending in `;` (or `\g`). */
    static boolean complete(String buffer) {
        if (buffer.isBlank() || command(buffer) != null || notACommand(buffer) != null) return true;
        String s = buffer.strip();
        if (s.startsWith("\\") && s.indexOf('\n') < 0) return true;
        if (sqlTerminator(buffer) != null) return !unterminated(SqlSplitter.split(strip(buffer)));
        SplitResult split = SqlSplitter.split(buffer);
        if (unterminated(split)) return false;
        List<SqlStatement> statements = split.statements();
        if (statements.isEmpty()) return true; // only comments
        SqlStatement last = statements.get(statements.size() - 1);
        if (last.copyData() != null) return true;
        return buffer.substring(last.end()).stripLeading().startsWith(";");
    }

    /** The buffer without its `\g` / `\gx`. */
    static String strip(String buffer) {
        String t = sqlTerminator(buffer);
        if (t == null) return buffer;
        String s = buffer.stripTrailing();
        return s.substring(0, s.length() - t.length());
    }

    private static boolean unterminated(SplitResult split) {
        for (SqlProblem p : split.problems()) {
            if (p.message().startsWith("unterminated") || p.message().startsWith("COPY data not terminated"))
                return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ JLine parser

    /** On a dumb terminal JLine shows no continuation prompt: the shell reads the next lines itself. */
    private final boolean multiline;

    Input(boolean multiline) {
        this.multiline = multiline;
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (multiline
                && (context == ParseContext.ACCEPT_LINE || context == ParseContext.SECONDARY_PROMPT)
                && !complete(line)) {
            throw new EOFError(-1, -1, "the statement goes on until ;", "");
        }
        return words(line, cursor);
    }

    /**
     * Words for completion. A command line has two: the command and everything after it (phase names and
     * check labels hold spaces). SQL is split at anything that cannot be part of a (qualified) name.
     */
    static Words words(String line, int cursor) {
        int start = 0;
        while (start < line.length() && Character.isWhitespace(line.charAt(start))) start++;
        int firstEnd = start;
        while (firstEnd < line.length() && !Character.isWhitespace(line.charAt(firstEnd))) firstEnd++;
        String first = line.substring(start, firstEnd).toLowerCase(Locale.ROOT);
        if (line.indexOf('\n') < 0 && (COMMANDS.contains(first) || first.startsWith("\\")) && cursor > firstEnd) {
            int argStart = firstEnd;
            while (argStart < cursor && Character.isWhitespace(line.charAt(argStart))) argStart++;
            if (!first.equals("set") && !first.startsWith("\\")) {
                String arg = line.substring(argStart);
                List<String> words = List.of(line.substring(start, firstEnd), arg);
                return new Words(line, cursor, words, 1, cursor - argStart, arg.length());
            }
        }
        int from = cursor;
        while (from > 0 && nameChar(line.charAt(from - 1))) from--;
        int to = cursor;
        while (to < line.length() && nameChar(line.charAt(to))) to++;
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < from) {
            while (i < from && !nameChar(line.charAt(i))) i++;
            int w = i;
            while (i < from && nameChar(line.charAt(i))) i++;
            if (w < i) words.add(line.substring(w, i));
        }
        int index = words.size();
        words.add(line.substring(from, to));
        i = to;
        while (i < line.length()) {
            while (i < line.length() && !nameChar(line.charAt(i))) i++;
            int w = i;
            while (i < line.length() && nameChar(line.charAt(i))) i++;
            if (w < i) words.add(line.substring(w, i));
        }
        int wordCursor = cursor - from;
        int wordLength = to - from;
        return new Words(line, cursor, words, index, wordCursor, wordLength);
    }

    private static boolean nameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$' || c == ':' || c == '"' || c == '\\';
    }

    /** A parsed line; completion replaces the whole current word (rawWordCursor/rawWordLength). */
    record Words(String line, int cursor, List<String> words, int wordIndex, int wordCursor, int wordLength)
            implements CompletingParsedLine {
        @Override
        public String word() {
            return words.get(wordIndex);
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate;
        }

        @Override
        public int rawWordCursor() {
            return wordCursor;
        }

        @Override
        public int rawWordLength() {
            return wordLength;
        }

        /** The first word of the buffer, lower case. */
        String first() {
            String s = line.strip();
            return firstWord(s).toLowerCase(Locale.ROOT);
        }

        /** Whether the current word is the first of the buffer. */
        boolean atStart() {
            return line.substring(0, cursor - wordCursor).isBlank();
        }

        /** The word before the current one, lower case ("" when none). */
        String previous() {
            String before = line.substring(0, cursor - wordCursor).stripTrailing();
            int i = before.length();
            while (i > 0 && nameChar(before.charAt(i - 1))) i--;
            return before.substring(i).toLowerCase(Locale.ROOT);
        }
    }
}
