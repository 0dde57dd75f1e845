package io.runbook.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a SQL source into statements the way psql does (src/bin/psql/psqlscan.l): at ';'
 * outside quotes, dollar quotes, comments, parentheses and BEGIN ATOMIC function bodies.
 * Records psql variable references, inline COPY data and the problems (psql meta-commands,
 * unterminated constructs) on the way.
 *
 * <p>{@link #split} splits a whole text. {@link SqlStream} feeds a file through the same scanner
 * a window at a time: {@link #next} finds one statement or meta-command from an offset, or says
 * that the window ends too early to tell, and the stream reads on.
 */
public final class SqlSplitter {

    /** What one call of {@link #next} found. */
    enum Found {
        STATEMENT,
        META,
        NEED_MORE,
        END
    }

    private final String s;
    private final SqlLexer lx;
    /** The window is the end of the source: nothing more will follow. */
    private final boolean last;
    /** COPY data is kept as a string on the statement (split); else the stream copies it on. */
    private final boolean collectCopy;

    // Results of the last next().
    final List<SqlProblem> problems = new ArrayList<>();
    SqlStatement statement;
    /** The statement ended at ';' (not at a meta-command or the end of the source). */
    boolean terminated;
    /** COPY ... FROM STDIN data follows, from statement.copyDataStart() (streamed sources only). */
    boolean copyFollows;

    int metaStart;
    int metaEnd;
    int resume;

    // State of the statement being scanned; stmtStart < 0 until its first token.
    private int stmtStart;
    private int lastEnd;
    private int parenDepth;
    private int beginDepth;
    private int wordCount;
    private final char[] leadWords = new char[4];
    private List<VarRef> vars;
    private boolean isCopy;
    private boolean afterFrom;
    private boolean copyFromStdin;

    SqlSplitter(String window, boolean last, boolean collectCopy) {
        this.s = window;
        this.lx = new SqlLexer(window);
        this.last = last;
        this.collectCopy = collectCopy;
    }

    /** Follows SET standard_conforming_strings: off lets backslashes escape in '...' strings. */
    void stdStrings(boolean on) {
        lx.stdStrings = on;
    }

    boolean stdStrings() {
        return lx.stdStrings;
    }

    public static SplitResult split(String source) {
        return split(source, true);
    }

    /** Splits with standard_conforming_strings on or off at the start. */
    public static SplitResult split(String source, boolean stdStrings) {
        SqlSplitter sp = new SqlSplitter(source, true, true);
        sp.stdStrings(stdStrings);
        List<SqlStatement> statements = new ArrayList<>();
        List<SqlProblem> problems = new ArrayList<>();
        int from = 0;
        while (true) {
            Found f = sp.next(from);
            problems.addAll(sp.problems);
            if (f == Found.END) {
                break;
            }
            if (f == Found.STATEMENT) {
                statements.add(sp.statement);
                Boolean mode = StatementKind.setsStandardStrings(sp.statement.text());
                if (mode != null) {
                    sp.stdStrings(mode);
                }
            } else {
                String line = source.substring(sp.metaStart, sp.metaEnd);
                problems.add(MetaCommands.problem(sp.metaStart, MetaCommands.name(line)));
            }
            from = sp.resume;
        }
        // COPY data problems are found after the statement's own ones: keep source order.
        problems.sort(Comparator.comparingInt(SqlProblem::offset));
        return new SplitResult(statements, problems);
    }

    /** Scans from offset from to the end of one statement or meta-command line. */
    Found next(int from) {
        problems.clear();
        statement = null;
        terminated = false;
        copyFollows = false;
        stmtStart = -1;
        parenDepth = 0;
        beginDepth = 0;
        wordCount = 0;
        vars = null;
        isCopy = false;
        afterFrom = false;
        copyFromStdin = false;
        lx.seek(from);
        while (true) {
            SqlLexer.Type t = lx.next();
            if (lx.unterminated != null) {
                SqlProblem p = lx.unterminated;
                lx.unterminated = null;
                if (!last) {
                    return Found.NEED_MORE;
                }
                problems.add(p);
            }
            switch (t) {
                case EOF -> {
                    if (!last) {
                        return Found.NEED_MORE;
                    }
                    resume = s.length();
                    return endStatement(-1, false) ? Found.STATEMENT : Found.END;
                }
                case SEMI -> {
                    if (parenDepth == 0 && beginDepth == 0) {
                        if (stmtStart < 0) {
                            continue; // an empty statement
                        }
                        return endStatement(lx.end, true) ? Found.STATEMENT : Found.NEED_MORE;
                    }
                }
                case BACKSLASH -> {
                    Found f = backslash(lx.start);
                    if (f != null) {
                        return f;
                    }
                    continue;
                }
                default -> {}
            }
            token(t);
        }
    }

    private void token(SqlLexer.Type t) {
        if (stmtStart < 0) {
            stmtStart = lx.start;
        }
        lastEnd = lx.end;
        boolean from = false;
        switch (t) {
            case LPAREN -> parenDepth++;
            case RPAREN -> {
                if (parenDepth > 0) {
                    parenDepth--;
                }
            }
            case WORD -> {
                word();
                if (parenDepth == 0) {
                    if (afterFrom && isCopy && lx.is("STDIN")) {
                        copyFromStdin = true;
                    }
                    from = lx.is("FROM");
                }
            }
            case VAR -> {
                // :1 is not a variable name we track: it is how an array slice a[1:3] looks.
                if (!SqlLexer.isDigit(s.charAt(lx.nameStart))) {
                    if (vars == null) {
                        vars = new ArrayList<>();
                    }
                    vars.add(new VarRef(
                            lx.start - stmtStart,
                            lx.end - stmtStart,
                            s.substring(lx.nameStart, lx.nameEnd),
                            lx.varKind));
                }
            }
            default -> {}
        }
        afterFrom = from;
    }

    /**
     * psql 15's heuristic for SQL-standard function bodies: once a statement starts with
     * CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN (and CASE within it) opens a block that
     * END closes, and ';' inside such a block does not end the statement.
     */
    private void word() {
        if (wordCount == 0) {
            Arrays.fill(leadWords, '\0');
            isCopy = lx.is("COPY");
        }
        if (wordCount < leadWords.length
                && (lx.is("CREATE") || lx.is("FUNCTION") || lx.is("PROCEDURE") || lx.is("OR") || lx.is("REPLACE"))) {
            leadWords[wordCount] = Character.toLowerCase(s.charAt(lx.start));
        }
        wordCount++;
        char[] w = leadWords;
        boolean createRoutine = w[0] == 'c'
                && (w[1] == 'f' || w[1] == 'p' || (w[1] == 'o' && w[2] == 'r' && (w[3] == 'f' || w[3] == 'p')));
        if (createRoutine && parenDepth == 0) {
            if (lx.is("BEGIN")) {
                beginDepth++;
            } else if (lx.is("CASE")) {
                if (beginDepth >= 1) {
                    beginDepth++;
                }
            } else if (lx.is("END") && beginDepth > 0) {
                beginDepth--;
            }
        }
    }

    /**
     * A backslash outside quotes. psql's \; and \: escapes are reported and skipped (null: scan
     * on). Any other meta-command first ends the statement in progress (as \g would in psql);
     * then it is returned with its line.
     */
    private Found backslash(int at) {
        char n = at + 1 < s.length() ? s.charAt(at + 1) : ' ';
        if (n == ';' || n == ':') {
            problems.add(MetaCommands.escape(at, n));
            lx.seek(at + 2);
            return null;
        }
        if (stmtStart >= 0) {
            endStatement(at, false);
            resume = at;
            return Found.STATEMENT;
        }
        int nl = s.indexOf('\n', at);
        if (nl < 0 && !last) {
            return Found.NEED_MORE;
        }
        metaStart = at;
        metaEnd = nl < 0 ? s.length() : nl;
        resume = nl < 0 ? s.length() : nl + 1;
        return Found.META;
    }

    /**
     * Records the statement in progress, if any. lineFrom is where the line that ends the
     * statement continues (-1 at end of source): COPY FROM STDIN data starts on the next line.
     * False when the COPY data cannot be found in this window yet.
     */
    private boolean endStatement(int lineFrom, boolean semicolon) {
        if (stmtStart < 0) {
            resume = lineFrom < 0 ? s.length() : lineFrom;
            return false;
        }
        // Only a token left unterminated at the end of the source can end in whitespace.
        while (Character.isWhitespace(s.charAt(lastEnd - 1))) {
            lastEnd--;
        }
        terminated = semicolon;
        resume = lineFrom < 0 ? s.length() : lineFrom;
        String copyData = null;
        int copyStart = -1;
        if (copyFromStdin) {
            int nl = lineFrom < 0 ? -1 : s.indexOf('\n', lineFrom);
            if (nl < 0 && !last) {
                return false;
            }
            if (semicolon) {
                checkRestOfCopyLine(lineFrom, nl < 0 ? s.length() : nl);
            }
            copyStart = nl < 0 ? s.length() : nl + 1;
            if (collectCopy) {
                copyData = copyData(copyStart);
            } else {
                copyFollows = semicolon;
                resume = copyStart;
            }
        }
        List<VarRef> v = vars == null ? List.of() : vars;
        statement = new SqlStatement(s.substring(stmtStart, lastEnd), stmtStart, lastEnd, v, copyData, copyStart);
        return true;
    }

    /** Lines from dataStart up to a line that is exactly \. (psql also accepts \.\r\n). */
    private String copyData(int dataStart) {
        int line = dataStart;
        while (true) {
            int nl = s.indexOf('\n', line);
            int lineEnd = nl < 0 ? s.length() : nl;
            int contentEnd = lineEnd > line && s.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            if (contentEnd - line == 2 && s.charAt(line) == '\\' && s.charAt(line + 1) == '.') {
                resume = nl < 0 ? s.length() : nl + 1;
                return s.substring(dataStart, line);
            }
            if (nl < 0) {
                problems.add(new SqlProblem(
                        stmtStart,
                        "COPY data not terminated by a line '\\.'",
                        "end the inline data of COPY ... FROM STDIN with a line containing only \\."));
                resume = s.length();
                return s.substring(dataStart);
            }
            line = nl + 1;
        }
    }

    /** psql would run text after "COPY ... FROM STDIN;" only after the data; we refuse it. */
    private void checkRestOfCopyLine(int from, int to) {
        int i = from;
        while (i < to && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i < to && !s.startsWith("--", i)) {
            problems.add(new SqlProblem(
                    i,
                    "text after COPY ... FROM STDIN; on the same line is not supported",
                    "start the COPY data on the next line and put further statements after its \\. line"));
        }
    }
}
