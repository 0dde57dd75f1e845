package io.runbook.sql;

import io.runbook.source.Pos;
import io.runbook.source.SourceFile;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** One SQL file open in a {@link SqlStream}: its input, the window of text being split, its line count and if-blocks. */
final class Frame {
    final SourceFile file;
    final SqlInput input;
    final Path real;
    final Deque<Cond> conds = new ArrayDeque<>();
    String window;
    SqlSplitter splitter;
    boolean needMore;
    boolean lastWindow;
    int from;
    /** Line and column of window offset mark. */
    int mark;

    long line = 1;
    int col = 1;
    int statements;

    final long modified;

    Frame(SourceFile file, SqlInput input) throws IOException {
        this.file = file;
        this.input = input;
        this.real = file.path().toRealPath();
        this.modified = Files.getLastModifiedTime(real).toMillis();
    }

    boolean active() {
        Cond c = conds.peek();
        return c == null || (c.outerActive && c.active);
    }

    /** Reads more lines onto what is left of the window; false when the file is done. */
    boolean read(SqlStream s) throws IOException {
        if (lastWindow) {
            return false;
        }
        String rest = "";
        if (window != null) {
            advance(from);
            rest = window.substring(from);
        }
        String more;
        try {
            more = input.lines(Math.max(SqlInput.CHUNK, rest.length() * 2));
        } catch (CharacterCodingException e) {
            int[] at = input.badLine();
            boolean sameLine = at[0] == 1 && !rest.isEmpty() && !rest.endsWith("\n");
            throw new SqlStream.InvalidText(new Pos(
                    file,
                    (int) (line + countLines(rest)) + at[0] - 1,
                    sameLine ? at[1] + rest.length() - rest.lastIndexOf('\n') - 1 : at[1]));
        }
        if (more == null) {
            lastWindow = true;
            more = "";
        }
        window = rest + more;
        splitter = new SqlSplitter(window, lastWindow, false);
        from = 0;
        mark = 0;
        needMore = false;
        return true;
    }

    private static int countLines(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** The position of window offset o (at or after mark). */
    Pos at(int o) {
        long l = line;
        int c = col;
        for (int i = mark; i < o; i++) {
            if (window.charAt(i) == '\n') {
                l++;
                c = 1;
            } else {
                c++;
            }
        }
        return new Pos(file, (int) l, c);
    }

    /** Moves the scan (and the line count) to window offset o. */
    void advance(int o) {
        for (int i = mark; i < o; i++) {
            if (window.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        mark = Math.max(mark, o);
        from = Math.max(from, o);
    }

    /** COPY data starts at window offset o: what the window holds of it goes back to the input. */
    void startCopy(int o, SqlStream s, SqlStream.Statement st) {
        advance(o);
        input.unread(window.substring(o));
        lastWindow = false; // the data went back to the input: there is more to read after it
        window = "";
        from = 0;
        mark = 0;
        splitter = new SqlSplitter(window, lastWindow, false);
        needMore = true;
        s.copyFrame = this;
        s.copyStatement = st;
        s.copyHandedOut = st == null;
    }
}
