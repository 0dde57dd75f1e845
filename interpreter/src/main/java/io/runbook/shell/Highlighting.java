package io.runbook.shell;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colours the line being typed: shell commands (the runbook's words), SQL keywords, strings, numbers,
 * comments and the runbook's variables (:name). A small scanner of its own: it must cope with any half-typed
 * text, quotes left open included.
 */
final class Highlighting implements Highlighter {
    static final AttributedStyle COMMAND = AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);
    static final AttributedStyle KEYWORD = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
    static final AttributedStyle STRING = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    static final AttributedStyle NUMBER = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    static final AttributedStyle COMMENT = AttributedStyle.DEFAULT.faint().italic();
    static final AttributedStyle VARIABLE = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle ARGUMENT = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);

    /** Statement starters first: they are what Tab offers at the start of a line. */
    static final List<String> STARTERS = List.of(
            "select",
            "insert",
            "update",
            "delete",
            "with",
            "values",
            "table",
            "create",
            "alter",
            "drop",
            "truncate",
            "begin",
            "commit",
            "rollback",
            "savepoint",
            "release",
            "explain",
            "analyze",
            "show",
            "set",
            "reset",
            "grant",
            "revoke",
            "comment",
            "copy",
            "vacuum",
            "reindex",
            "cluster",
            "lock",
            "call",
            "do",
            "refresh",
            "prepare",
            "execute",
            "deallocate",
            "listen",
            "notify",
            "discard");

    static final Set<String> KEYWORDS = new TreeSet<>(List.of(
            "all",
            "alter",
            "analyze",
            "and",
            "any",
            "array",
            "as",
            "asc",
            "begin",
            "between",
            "by",
            "cascade",
            "case",
            "cast",
            "check",
            "collate",
            "column",
            "comment",
            "commit",
            "concurrently",
            "constraint",
            "copy",
            "create",
            "cross",
            "current_date",
            "current_timestamp",
            "current_user",
            "database",
            "default",
            "deferrable",
            "delete",
            "desc",
            "distinct",
            "do",
            "drop",
            "else",
            "end",
            "enum",
            "except",
            "exists",
            "explain",
            "extension",
            "false",
            "fetch",
            "filter",
            "first",
            "for",
            "foreign",
            "from",
            "full",
            "function",
            "grant",
            "group",
            "having",
            "if",
            "ilike",
            "in",
            "index",
            "inner",
            "insert",
            "intersect",
            "interval",
            "into",
            "is",
            "join",
            "key",
            "last",
            "lateral",
            "left",
            "like",
            "limit",
            "lock",
            "materialized",
            "natural",
            "not",
            "nothing",
            "null",
            "nulls",
            "offset",
            "on",
            "only",
            "or",
            "order",
            "outer",
            "over",
            "partition",
            "policy",
            "primary",
            "procedure",
            "references",
            "rename",
            "replace",
            "restrict",
            "returning",
            "returns",
            "revoke",
            "right",
            "role",
            "rollback",
            "savepoint",
            "schema",
            "select",
            "sequence",
            "set",
            "show",
            "similar",
            "some",
            "table",
            "temporary",
            "then",
            "to",
            "transaction",
            "trigger",
            "true",
            "truncate",
            "type",
            "union",
            "unique",
            "update",
            "using",
            "vacuum",
            "values",
            "view",
            "when",
            "where",
            "window",
            "with",
            "without",
            "add",
            "owner",
            "language",
            "tablespace",
            "release",
            "reset",
            "execute",
            "prepare",
            "call",
            "refresh",
            "reindex",
            "cluster",
            "listen",
            "notify",
            "discard",
            "conflict",
            "excluded",
            "serial",
            "bigserial",
            "int",
            "integer",
            "bigint",
            "smallint",
            "text",
            "varchar",
            "char",
            "boolean",
            "numeric",
            "decimal",
            "real",
            "double",
            "precision",
            "date",
            "time",
            "timestamp",
            "timestamptz",
            "uuid",
            "json",
            "jsonb",
            "bytea",
            "generated",
            "always",
            "identity",
            "stored",
            "valid",
            "validate",
            "local",
            "session",
            "zone",
            "no",
            "action",
            "immediate",
            "deferred",
            "initially"));

    private final java.util.function.Supplier<Boolean> colour;

    Highlighting(java.util.function.Supplier<Boolean> colour) {
        this.colour = colour;
    }

    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        if (!colour.get()) return new AttributedString(buffer);
        return highlight(buffer);
    }

    static AttributedString highlight(String buffer) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        Input.Command command = Input.command(buffer);
        if (command != null || isCommandWord(buffer)) {
            int start = 0;
            while (start < buffer.length() && Character.isWhitespace(buffer.charAt(start))) start++;
            int end = start;
            while (end < buffer.length() && !Character.isWhitespace(buffer.charAt(end))) end++;
            sb.append(buffer.substring(0, start));
            sb.styled(COMMAND, buffer.substring(start, end));
            sb.styled(ARGUMENT, buffer.substring(end));
            return sb.toAttributedString();
        }
        sql(buffer, sb);
        return sb.toAttributedString();
    }

    /** A command being typed (its arguments not complete yet). */
    private static boolean isCommandWord(String buffer) {
        String s = buffer.strip();
        if (s.indexOf('\n') >= 0 || s.endsWith(";")) return false;
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) i++;
        String w = s.substring(0, i).toLowerCase(Locale.ROOT);
        return (Input.COMMANDS.contains(w) && !w.equals("set") && !w.equals("rollback") && !w.equals("commit"))
                || w.startsWith("\\");
    }

    private static void sql(String s, AttributedStringBuilder sb) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            int j;
            if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                j = s.indexOf('\n', i);
                j = j < 0 ? n : j;
                sb.styled(COMMENT, s.substring(i, j));
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                j = blockComment(s, i);
                sb.styled(COMMENT, s.substring(i, j));
            } else if (c == '\''
                    || ((c == 'E' || c == 'e') && i + 1 < n && s.charAt(i + 1) == '\'' && !wordBefore(s, i))) {
                boolean escapes = c != '\'';
                j = string(s, escapes ? i + 1 : i, escapes);
                sb.styled(STRING, s.substring(i, j));
            } else if (c == '"') {
                j = s.indexOf('"', i + 1);
                j = j < 0 ? n : j + 1;
                sb.append(s.substring(i, j));
            } else if (c == '$' && dollarTag(s, i) != null) {
                String tag = dollarTag(s, i);
                int close = s.indexOf(tag, i + tag.length());
                j = close < 0 ? n : close + tag.length();
                sb.styled(STRING, s.substring(i, j));
            } else if (c == ':'
                    && i + 1 < n
                    && s.charAt(i + 1) != ':'
                    && (i == 0 || s.charAt(i - 1) != ':')
                    && (Character.isLetter(s.charAt(i + 1))
                            || s.charAt(i + 1) == '_'
                            || s.charAt(i + 1) == '\''
                            || s.charAt(i + 1) == '"')) {
                j = i + 1;
                char q = s.charAt(j);
                if (q == '\'' || q == '"') {
                    int close = s.indexOf(q, j + 1);
                    j = close < 0 ? n : close + 1;
                } else {
                    while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                }
                sb.styled(VARIABLE, s.substring(i, j));
            } else if (Character.isDigit(c) && !wordBefore(s, i)) {
                j = i;
                while (j < n && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) j++;
                sb.styled(NUMBER, s.substring(i, j));
            } else if (Character.isLetter(c) || c == '_') {
                j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$'))
                    j++;
                String w = s.substring(i, j);
                if (KEYWORDS.contains(w.toLowerCase(Locale.ROOT)) && (i == 0 || s.charAt(i - 1) != '.'))
                    sb.styled(KEYWORD, w);
                else sb.append(w);
            } else {
                j = i + 1;
                sb.append(c);
            }
            i = j;
        }
    }

    private static boolean wordBefore(String s, int i) {
        return i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_');
    }

    private static int blockComment(String s, int i) {
        int depth = 0;
        int j = i;
        while (j < s.length()) {
            if (s.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (s.startsWith("*/", j)) {
                depth--;
                j += 2;
                if (depth == 0) return j;
            } else {
                j++;
            }
        }
        return s.length();
    }

    private static int string(String s, int quote, boolean escapes) {
        int j = quote + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (escapes && c == '\\') {
                j += 2;
            } else if (c == '\'') {
                if (j + 1 < s.length() && s.charAt(j + 1) == '\'') j += 2;
                else return j + 1;
            } else {
                j++;
            }
        }
        return s.length();
    }

    /** `$$` or `$tag$` starting at i, or null (`$1` is a parameter). */
    private static String dollarTag(String s, int i) {
        if (wordBefore(s, i)) return null;
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            if (j == i + 1 && Character.isDigit(s.charAt(j))) return null;
            j++;
        }
        return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
    }
}
