package io.runbook.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The arguments of a psql meta-command line, read as psql reads them (psqlscanslash.l, OT_NORMAL):
 * separated by whitespace; 'single quotes' group and take '' and backslash escapes; "double
 * quotes" are kept as written; :name, :'name', :"name" and :{?name} outside quotes take the
 * variable's value. Backquotes (shell commands) are refused.
 */
final class PsqlArgs {

    /** An argument list, or why it could not be read. */
    record Parsed(List<String> args, String error) {}

    private PsqlArgs() {}

    static Parsed parse(String text, Function<String, String> vars) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n || text.startsWith("\\\\", i)) {
                return new Parsed(out, null);
            }
            StringBuilder arg = new StringBuilder();
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                char c = text.charAt(i);
                if (c == '\'') {
                    i = quoted(text, i + 1, arg);
                    if (i < 0) {
                        return new Parsed(out, "unterminated quoted string in the arguments");
                    }
                } else if (c == '"') {
                    int e = text.indexOf('"', i + 1);
                    if (e < 0) {
                        return new Parsed(out, "unterminated quoted identifier in the arguments");
                    }
                    arg.append(text, i, e + 1);
                    i = e + 1;
                } else if (c == '`') {
                    return new Parsed(out, "backquotes run a shell command, which runbook does not do from SQL files");
                } else if (c == ':') {
                    i = variable(text, i, arg, vars);
                } else {
                    arg.append(c);
                    i++;
                }
            }
            out.add(arg.toString());
        }
    }

    /** A 'quoted' part from just after its opening quote; returns the offset after it, or -1. */
    private static int quoted(String t, int i, StringBuilder arg) {
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c == '\'') {
                if (i + 1 < t.length() && t.charAt(i + 1) == '\'') {
                    arg.append('\'');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            if (c == '\\' && i + 1 < t.length()) {
                char e = t.charAt(i + 1);
                i += 2;
                switch (e) {
                    case 'n' -> arg.append('\n');
                    case 't' -> arg.append('\t');
                    case 'b' -> arg.append('\b');
                    case 'r' -> arg.append('\r');
                    case 'f' -> arg.append('\f');
                    default -> {
                        if (e >= '0' && e <= '7') {
                            int v = e - '0';
                            for (int k = 0; k < 2 && i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '7'; k++) {
                                v = v * 8 + (t.charAt(i++) - '0');
                            }
                            arg.append((char) v);
                        } else {
                            arg.append(e);
                        }
                    }
                }
                continue;
            }
            arg.append(c);
            i++;
        }
        return -1;
    }

    /** A :variable reference at i; an undefined variable is kept as written, as psql does. */
    private static int variable(String t, int i, StringBuilder arg, Function<String, String> vars) {
        SqlLexer lx = new SqlLexer(t);
        lx.seek(i);
        if (lx.next() == SqlLexer.Type.VAR && lx.start == i) {
            String name = t.substring(lx.nameStart, lx.nameEnd);
            String value = vars.apply(name);
            switch (lx.varKind) {
                case TEST -> arg.append(value == null ? "FALSE" : "TRUE");
                case RAW -> arg.append(value == null ? t.substring(lx.start, lx.end) : value);
                case LITERAL ->
                    arg.append(value == null ? t.substring(lx.start, lx.end) : PsqlVariables.quoteLiteral(value));
                case IDENTIFIER ->
                    arg.append(value == null ? t.substring(lx.start, lx.end) : PsqlVariables.quoteIdentifier(value));
            }
            return lx.end;
        }
        arg.append(':');
        return i + 1;
    }

    /** psql's ParseVariableBool: unique prefixes of true/false/yes/no, on/off (two letters at least), 1/0; else null. */
    static Boolean bool(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int len = v.length();
        if (len == 0) {
            return null;
        }
        if ("true".startsWith(v) || "yes".startsWith(v) || (len >= 2 && "on".startsWith(v)) || v.equals("1")) {
            return Boolean.TRUE;
        }
        if ("false".startsWith(v) || "no".startsWith(v) || (len >= 2 && "off".startsWith(v)) || v.equals("0")) {
            return Boolean.FALSE;
        }
        return null;
    }
}
