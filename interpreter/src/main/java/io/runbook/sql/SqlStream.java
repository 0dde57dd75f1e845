package io.runbook.sql;

import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import io.runbook.source.SourceFile;
import io.runbook.source.SqlText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A SQL file as psql runs it with -f, read as a stream and never held whole: statements one at
 * a time (COPY data is copied on as bytes), and psql's own commands on the way: \i and \ir
 * include files, \set and \\unset set variables, \echo prints, \if/\elif/\else/\endif choose
 * lines, and :name references are rescanned as psql does. Other meta-commands are refused.
 *
 * <p>When checking, values of variables from outside the file are unknown and every branch of
 * an \if is read; when running, only the branches psql would take.
 */
public final class SqlStream implements AutoCloseable {

    /** Something the file says to do, or a problem with it. */
    public sealed interface Item permits Statement, Echo, Problem, Gap {}

    /**
     * A statement; its offsets are relative to origin.text(). With copyFollows, COPY data follows:
     * {@link #copyData} copies it on (or the next {@link #next} skips it). rescanned: it came out
     * of a variable's value, so its SQL is not in the file as such.
     */
    public record Statement(SqlStatement statement, SqlText origin, boolean copyFollows, boolean rescanned)
            implements Item {}

    /** \echo or \qecho: a line for the run's output. */
    public record Echo(Pos pos, String text) implements Item {}

    public record Problem(Diagnostic diagnostic) implements Item {}

    /**
     * The text between two items (blank lines, comments, the ';' that ended a statement), only with
     * {@link #keepGaps}: lint reads its allow directives from the comments.
     */
    public record Gap(SqlText text) implements Item {}

    /** Where COPY data goes, as the file's bytes. */
    public interface CopySink {
        void write(byte[] b, int off, int len) throws IOException;
    }

    /** A file read by the stream, with what it holds (its text too when it is small). */
    public record FileRead(SourceFile file, int statements) {}

    private static final int MAX_DEPTH = 32;

    private final boolean checking;
    private final Function<String, String> outer;
    private final Map<String, String> vars = new HashMap<>();
    private final Deque<Frame> frames = new ArrayDeque<>();
    private final Deque<Item> queued = new ArrayDeque<>();
    private final List<FileRead> files = new ArrayList<>();
    private boolean stdStrings = true;
    private boolean gaps;
    Frame copyFrame;
    Statement copyStatement;
    boolean copyHandedOut;

    private SqlStream(boolean checking, Function<String, String> outer) {
        this.checking = checking;
        this.outer = outer;
    }

    /**
     * Opens a SQL file. outer gives the values of variables defined outside it (runbook params
     * and lets), null for undefined; when checking, values may be unknown (outer is asked only
     * whether a name is defined: non-null means defined).
     */
    public static SqlStream open(SourceFile file, Function<String, String> outer, boolean checking) throws IOException {
        SqlStream s = new SqlStream(checking, outer);
        s.frames.push(new Frame(file, new SqlInput(file.path(), checking)));
        return s;
    }

    /** Also hand out the text between items as {@link Gap}s (for lint). */
    public void keepGaps() {
        gaps = true;
    }

    private void gap(Frame f, int to) {
        if (gaps && f.active() && to > f.from) {
            Pos pos = f.at(f.from);
            queued.add(new Gap(SqlText.at(f.window.substring(f.from, to), f.file, pos.line(), pos.col())));
        }
    }

    /** Follows the server's standard_conforming_strings at the start (psql asks the server). */
    public void standardConformingStrings(boolean on) {
        stdStrings = on;
    }

    /** Every file read, in the order they were finished; the first file is last. */
    public List<FileRead> files() {
        return List.copyOf(files);
    }

    /** Whether the name is a variable: set by \set in the file, or defined outside it. */
    public boolean defines(String name) {
        return vars.containsKey(name) ? vars.get(name) != null : outer.apply(name) != null;
    }

    /** The file line where the data of the COPY statement last returned starts. */
    public long copyDataLine() {
        return copyFrame == null ? 0 : copyFrame.line;
    }

    /**
     * Copies the data of the COPY statement last returned to sink, up to its \. line. Returns
     * whether the data ended with that line (false: the file ended first).
     */
    public boolean copyData(CopySink sink) throws IOException {
        Frame f = copyFrame;
        if (f == null) {
            return true;
        }
        copyFrame = null;
        long lines = f.input.copyData(sink);
        f.line += lines < 0 ? -lines - 1 : lines;
        f.col = 1;
        return lines >= 0;
    }

    /** The next item, or null at the end of the file. */
    public Item next() throws IOException {
        if (copyFrame != null && copyHandedOut) {
            Statement st = copyStatement;
            if (!copyData(null) && st != null) {
                queued.add(problem(
                        st.origin().pos(),
                        "COPY data not terminated by a line '\\.'",
                        "end the inline data of COPY ... FROM STDIN with a line containing only \\."));
            }
        }
        while (true) {
            if (!queued.isEmpty()) {
                Item item = queued.poll();
                if (item == copyStatement) {
                    copyHandedOut = true;
                }
                return item;
            }
            Frame f = frames.peek();
            if (f == null) {
                return null;
            }
            Item item = step(f);
            if (item != null) {
                return item;
            }
        }
    }

    private Item step(Frame f) throws IOException {
        if (f.window == null || f.needMore) {
            if (!f.read(this)) {
                return null;
            }
        }
        SqlSplitter sp = f.splitter;
        sp.stdStrings(stdStrings);
        SqlSplitter.Found found = sp.next(f.from);
        if (found == SqlSplitter.Found.NEED_MORE) {
            f.needMore = true;
            return null;
        }
        for (SqlProblem p : sp.problems) {
            if (f.active()) {
                queued.add(problem(f.at(p.offset()), p.message(), p.hint()));
            }
        }
        switch (found) {
            case END -> {
                gap(f, f.window.length());
                end(f);
                return null;
            }
            case STATEMENT -> {
                SqlStatement st = sp.statement;
                gap(f, st.start());
                Pos pos = f.at(st.start());
                f.advance(sp.resume);
                if (!f.active()) {
                    if (sp.copyFollows) {
                        f.startCopy(sp.resume, this, null);
                    }
                    return null;
                }
                if (!sp.terminated && sp.resume < f.window.length()) {
                    queued.add(problem(
                            pos,
                            "statement not ended by ; before a psql command",
                            "end the statement with ; (psql's \\g and friends are not supported)"));
                    return null;
                }
                Boolean mode = st.setsStandardStrings();
                if (mode != null) {
                    stdStrings = mode;
                }
                f.statements++;
                SqlStatement own = new SqlStatement(st.text(), 0, st.text().length(), st.vars(), null, -1);
                Statement item =
                        new Statement(own, SqlText.at(st.text(), f.file, pos.line(), pos.col()), sp.copyFollows, false);
                if (sp.copyFollows) {
                    f.startCopy(sp.resume, this, item);
                    queued.add(item);
                    return null;
                }
                if (!checking && hasRawValues(own)) {
                    rescan(item);
                    return null;
                }
                queued.add(item);
                return null;
            }
            default -> {
                gap(f, sp.metaStart);
                String line = f.window.substring(sp.metaStart, sp.metaEnd);
                Pos pos = f.at(sp.metaStart);
                f.advance(sp.resume);
                meta(f, line, pos);
                return null;
            }
        }
    }

    private void end(Frame f) throws IOException {
        if (!f.conds.isEmpty()) {
            queued.add(problem(
                    f.conds.peek().pos,
                    "\\if without \\endif at the end of " + f.file.name(),
                    "close it with \\endif in the same file"));
        }
        frames.pop();
        f.input.close();
        // A small file keeps its text (lint, plan and the journal's copy of a phase use it); it is read once more.
        // A run only compares sizes with the checked file: it does not read it again.
        String kept = null;
        if (checking && f.input.size() <= SourceFile.KEPT_TEXT) {
            kept = new SourceFile(f.file.name(), f.file.path(), null).text();
        }
        files.add(new FileRead(
                SourceFile.streamed(f.file.name(), f.file.path(), kept, f.input.size(), f.input.sha256(), f.modified),
                f.statements));
    }

    // ------------------------------------------------------------------ meta-commands

    private void meta(Frame f, String line, Pos pos) throws IOException {
        String name = MetaCommands.name(line);
        String rest = line.substring(1 + name.length());
        switch (name) {
            case "if", "elif", "else", "endif" -> conditional(f, name, rest, pos);
            default -> {
                if (!f.active()) {
                    return;
                }
                PsqlArgs.Parsed p = PsqlArgs.parse(rest, this::value);
                if (p.error() != null) {
                    queued.add(problem(
                            pos, "\\" + name + ": " + p.error(), "write the arguments plainly or in 'single quotes'"));
                    return;
                }
                List<String> args = p.args();
                switch (name) {
                    case "i", "include", "ir", "include_relative" -> include(f, name, args, pos);
                    case "set" -> set(args, pos);
                    case "unset" -> {
                        if (args.isEmpty()) {
                            queued.add(problem(pos, "\\unset needs a variable name", "write \\unset name"));
                        } else {
                            vars.put(args.get(0), null); // hides a runbook variable of that name too, as in psql
                        }
                    }
                    case "echo", "qecho", "warn" -> {
                        List<String> words = args;
                        if (!words.isEmpty() && words.get(0).equals("-n")) {
                            words = words.subList(1, words.size());
                        }
                        queued.add(new Echo(pos, String.join(" ", words)));
                    }
                    default ->
                        queued.add(new Problem(new Diagnostic(
                                pos, MetaCommands.problem(0, name).message(), MetaCommands.hint(name))));
                }
            }
        }
    }

    private void set(List<String> args, Pos pos) {
        if (args.isEmpty()) {
            queued.add(problem(pos, "\\set without a name would list psql's variables", "write \\set name value"));
            return;
        }
        String name = args.get(0);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            queued.add(problem(
                    pos, "\\set: invalid variable name \"" + name + "\"", "use letters, digits and underscores"));
            return;
        }
        String value = String.join("", args.subList(1, args.size()));
        if (name.equals("AUTOCOMMIT") || (name.equals("ON_ERROR_STOP") && Boolean.FALSE.equals(PsqlArgs.bool(value)))) {
            queued.add(problem(
                    pos,
                    "\\set " + name + " " + value + " would change how runbook runs statements",
                    "a phase decides transactions, and runbook always stops at the first error: remove the line"));
            return;
        }
        vars.put(name, value);
    }

    private void include(Frame f, String name, List<String> args, Pos pos) throws IOException {
        if (args.isEmpty()) {
            queued.add(problem(pos, "\\" + name + " needs a file name", "write \\" + name + " path/to/file.sql"));
            return;
        }
        String arg = args.get(0);
        if (arg.startsWith("~/") || arg.equals("~")) {
            arg = System.getProperty("user.home") + arg.substring(1);
        }
        Path p = Path.of(arg);
        boolean relative = name.startsWith("ir") || name.equals("include_relative");
        if (!p.isAbsolute()) {
            // psql: \i is relative to the working directory, \ir to the including file's directory.
            Path base = relative
                    ? f.file.path().toAbsolutePath().getParent()
                    : Path.of("").toAbsolutePath();
            p = base.resolve(p);
        }
        p = p.normalize();
        if (!Files.isRegularFile(p)) {
            queued.add(
                    problem(
                            pos,
                            "\\" + name + ": " + (Files.exists(p) ? "not a regular file: " : "file not found: ")
                                    + args.get(0),
                            relative
                                    ? "\\ir paths are relative to the file that names them"
                                    : "\\i paths are relative to the directory runbook runs in, as in psql; \\ir is relative to this file"));
            return;
        }
        Path real = p.toRealPath();
        List<String> chain = new ArrayList<>();
        for (Frame open : frames) {
            chain.add(0, open.file.name());
            if (open.real.equals(real)) {
                chain.add(display(p));
                queued.add(problem(
                        pos,
                        "\\" + name + " cycle: " + String.join(" -> ", chain),
                        "a file must not include itself, directly or through others"));
                return;
            }
        }
        if (frames.size() >= MAX_DEPTH) {
            queued.add(problem(
                    pos,
                    "\\" + name + ": files include each other more than " + MAX_DEPTH + " deep",
                    "flatten the includes"));
            return;
        }
        SourceFile file = new SourceFile(display(p), p, null);
        frames.push(new Frame(file, new SqlInput(p, checking)));
    }

    private static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    private void conditional(Frame f, String name, String rest, Pos pos) {
        Cond top = f.conds.peek();
        switch (name) {
            case "if" -> {
                Cond c = new Cond(pos);
                c.outerActive = f.active();
                if (c.outerActive) {
                    Boolean v = condition(rest, pos);
                    c.taken = v == null || v;
                    c.active = c.taken;
                }
                f.conds.push(c);
            }
            case "elif", "else" -> {
                if (top == null) {
                    queued.add(problem(pos, "\\" + name + " without \\if", "start the block with \\if"));
                    return;
                }
                if (top.sawElse) {
                    queued.add(problem(
                            pos, "\\" + name + " after \\else", "\\else must be the last branch before \\endif"));
                    return;
                }
                top.sawElse = name.equals("else");
                if (!top.outerActive) {
                    return;
                }
                Boolean v = name.equals("else") ? Boolean.TRUE : condition(rest, pos);
                if (checking) {
                    top.active = true;
                } else {
                    top.active = !top.taken && v != null && v;
                    top.taken |= top.active;
                }
            }
            default -> {
                if (top == null) {
                    queued.add(problem(pos, "\\endif without \\if", "remove it, or start the block with \\if"));
                    return;
                }
                f.conds.pop();
            }
        }
    }

    /** The condition's truth; null when unknown (checking: a variable from outside) or invalid (reported). */
    private Boolean condition(String rest, Pos pos) {
        boolean[] unknown = {false};
        PsqlArgs.Parsed p = PsqlArgs.parse(rest, n -> {
            // When checking, values from outside the file are unknown, and so is what \set made of them.
            String v = value(n);
            if (checking && v != null) {
                unknown[0] = true;
            }
            return v;
        });
        if (p.error() != null) {
            queued.add(problem(pos, "\\if: " + p.error(), "write the condition plainly, e.g. \\if :dry_run"));
            return null;
        }
        String expr = String.join(" ", p.args());
        if (unknown[0]) {
            return null;
        }
        Boolean b = PsqlArgs.bool(expr);
        if (b == null) {
            queued.add(
                    problem(
                            pos,
                            "\\if needs a boolean, not \"" + expr + "\"",
                            "psql takes true/false, yes/no, on/off, 1/0 (or a unique prefix); an undefined variable stays as written"));
        }
        return checking ? null : b;
    }

    /** A variable's value: set in the file, else from outside it; null when undefined. */
    public String valueOf(String name) {
        return value(name);
    }

    private String value(String name) {
        return vars.containsKey(name) ? vars.get(name) : outer.apply(name);
    }

    // ------------------------------------------------------------------ rescanning

    private boolean hasRawValues(SqlStatement st) {
        for (VarRef v : st.vars()) {
            if (v.kind() == VarRef.Kind.RAW && value(v.name()) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * psql reads a :name's value as if it stood in the file: a ';' in it ends the statement, and
     * it may name other variables. Substitutes and splits again, until no value is left.
     */
    private void rescan(Statement item) {
        String text = item.statement().text();
        for (int round = 0; ; round++) {
            SqlStatement st = round == 0
                    ? item.statement()
                    : splitWithMode(text).statements().get(0);
            if (round > 10) {
                queued.add(problem(
                        item.origin().pos(),
                        "variable values refer to each other without end",
                        "a :name must not expand to itself"));
                return;
            }
            StringBuilder out = new StringBuilder();
            int copied = 0;
            boolean any = false;
            for (VarRef v : st.vars()) {
                String value = v.kind() == VarRef.Kind.RAW ? value(v.name()) : null;
                if (value != null) {
                    out.append(text, copied, v.start()).append(value);
                    copied = v.end();
                    any = true;
                }
            }
            if (!any) {
                break;
            }
            out.append(text, copied, text.length());
            text = out.toString();
            SplitResult again = splitWithMode(text);
            if (again.statements().size() != 1 || again.hasProblems()) {
                List<SqlStatement> parts = again.statements();
                for (SqlProblem p : again.problems()) {
                    queued.add(
                            problem(item.origin().pos(), "after putting in variable values: " + p.message(), p.hint()));
                }
                for (SqlStatement part : parts) {
                    queued.add(rescanned(part, item));
                }
                return;
            }
        }
        queued.add(rescanned(splitWithMode(text).statements().get(0), item));
    }

    private SplitResult splitWithMode(String text) {
        return SqlSplitter.split(text, stdStrings);
    }

    private static Statement rescanned(SqlStatement part, Statement from) {
        SqlStatement own = new SqlStatement(part.text(), 0, part.text().length(), part.vars(), null, -1);
        Pos p = from.origin().pos();
        return new Statement(own, SqlText.at(part.text(), p.file(), p.line(), p.col()), false, true);
    }

    private static Problem problem(Pos pos, String message, String hint) {
        return new Problem(new Diagnostic(pos, message, hint));
    }

    @Override
    public void close() throws IOException {
        while (!frames.isEmpty()) {
            frames.pop().input.close();
        }
    }

    /** A file that is not UTF-8. */
    public static final class InvalidText extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Pos pos;

        InvalidText(Pos pos) {
            super("invalid UTF-8");
            this.pos = pos;
        }

        public Pos pos() {
            return pos;
        }
    }
}
