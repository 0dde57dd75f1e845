package io.runbook.sql;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One SQL file read as a stream of bytes, normalised as the loader normalises text (no BOM,
 * CRLF and CR to LF), with a SHA-256 of what was read. Text is handed out a window of whole
 * lines at a time; COPY data is copied on as bytes, never decoded. Memory stays at the buffer
 * size (plus the longest line).
 */
final class SqlInput implements AutoCloseable {

    static final int CHUNK = 1 << 16;

    private final InputStream in;
    private final Sha256 digest;
    private byte[] buf = new byte[2 * CHUNK];
    private int pos;
    private int limit;
    private boolean eof;
    private boolean atStart = true;
    private boolean afterCr;
    private long size;

    /** hashed: compute the SHA-256 (checking does; a run compares size and time with the checked file instead). */
    SqlInput(Path path, boolean hashed) throws IOException {
        this.in = Files.newInputStream(path);
        this.digest = hashed ? new Sha256(Files.size(path) >= Sha256.BACKGROUND_FROM) : null;
    }

    /** SHA-256 (hex) of the normalised bytes: asked once the whole file is read (no more is hashed after). */
    String sha256() {
        return digest == null ? null : digest.hex();
    }

    /** Normalised bytes read so far. */
    long size() {
        return size;
    }

    /**
     * The next whole lines, about min chars or more (the last window may end without a line
     * break); null at the end of the file.
     *
     * @throws CharacterCodingException for bytes that are not UTF-8: the window's first line
     *     number lets the caller find the line with {@link #badLine}
     */
    String lines(int min) throws IOException {
        int want = Math.max(min, CHUNK);
        while (true) {
            int end = -1;
            if (limit - pos >= want) {
                end = lastNewline(pos + want, limit);
            }
            if (end < 0 && eof) {
                end = limit;
            }
            if (end >= 0) {
                if (end == pos) {
                    return null;
                }
                String text = decode(pos, end);
                pos = end;
                return text;
            }
            if (limit - pos >= want) {
                want = (limit - pos) * 2; // no line break yet: read on
            }
            fill(want);
        }
    }

    /** The offset after the last '\n' in [pos, from) — or after the first one past from. */
    private int lastNewline(int from, int to) {
        for (int i = from - 1; i >= pos; i--) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    private String decode(int from, int to) throws CharacterCodingException {
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            if (buf[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder d = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return d.decode(ByteBuffer.wrap(buf, from, to - from)).toString();
    }

    /** 1-based line (counted within the undelivered bytes) and column of the first byte that is not UTF-8. */
    int[] badLine() {
        int line = 1;
        int lineStart = pos;
        int i = pos;
        while (i < limit) {
            int b = buf[i] & 0xff;
            int n = b < 0x80
                    ? 1
                    : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
            boolean ok = n > 0 && i + n <= limit;
            for (int k = 1; ok && k < n; k++) {
                ok = (buf[i + k] & 0xc0) == 0x80;
            }
            if (!ok) {
                String before = new String(buf, lineStart, i - lineStart, StandardCharsets.UTF_8);
                return new int[] {line, before.length() + 1};
            }
            if (b == '\n') {
                line++;
                lineStart = i + 1;
            }
            i += n;
        }
        return new int[] {line, 1};
    }

    /** Puts text back in front of what is still to be read (it was read and hashed already). */
    void unread(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0) {
            return;
        }
        if (b.length <= pos) {
            pos -= b.length;
        } else {
            byte[] n = new byte[Math.max(buf.length, b.length + limit - pos)];
            System.arraycopy(buf, pos, n, b.length, limit - pos);
            limit = b.length + limit - pos;
            pos = 0;
            buf = n;
        }
        System.arraycopy(b, 0, buf, pos, b.length);
    }

    /**
     * COPY data: copies the lines up to a line that is exactly \. to sink (which may be null: the
     * data is only read). Returns the number of lines read, the \. line included, or -(lines + 1)
     * when the file ended first.
     */
    long copyData(SqlStream.CopySink sink) throws IOException {
        long lines = 0;
        while (true) {
            byte[] b = buf;
            int lim = limit;
            int i = pos;
            int lineStart = pos;
            int flushed = pos;
            while (true) {
                // Here i is a line start.
                if (i + 1 < lim
                        && b[i] == '\\'
                        && b[i + 1] == '.'
                        && (i + 2 < lim ? b[i + 2] == '\n' : eof && i + 2 == lim)) {
                    if (sink != null && i > flushed) {
                        sink.write(b, flushed, i - flushed);
                    }
                    pos = Math.min(lim, i + 3);
                    return lines + 1;
                }
                int nl = indexOf(b, i, lim, (byte) '\n');
                if (nl < 0 || nl + 3 > lim && !eof) {
                    lineStart = i;
                    break; // the line (or the one after it, for the check above) needs more bytes
                }
                lines++;
                i = nl + 1;
            }
            if (sink != null && lineStart > flushed) {
                sink.write(buf, flushed, lineStart - flushed);
            }
            pos = lineStart;
            if (eof) {
                if (sink != null && limit > pos) {
                    sink.write(buf, pos, limit - pos);
                }
                lines += limit > pos ? 1 : 0;
                pos = limit;
                return -(lines + 1);
            }
            fill(limit - pos + CHUNK);
        }
    }

    /** Reads until at least want bytes are buffered past pos, or the end of the file. */
    private void fill(int want) throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (!eof && limit - pos < want) {
            if (buf.length - limit < CHUNK) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, limit + CHUNK));
            }
            // Straight into the buffer: the bytes are only looked at again when a line break needs normalising.
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
                break;
            }
            int from = limit;
            int start = from;
            if (atStart && n > 0) {
                atStart = false;
                if (n >= 3
                        && (buf[from] & 0xff) == 0xef
                        && (buf[from + 1] & 0xff) == 0xbb
                        && (buf[from + 2] & 0xff) == 0xbf) {
                    start += 3;
                }
            }
            limit = normalise(from, start, from + n);
            if (digest != null) {
                digest.update(buf, from, limit - from);
            }
            size += limit - from;
        }
    }

    /** Moves buf[start, end) to to, CRLF and CR made LF; returns the new end. Most files have no CR at all. */
    private int normalise(int to, int start, int end) {
        byte[] b = buf;
        int r = start;
        boolean cr = afterCr;
        if (!cr && to == start) {
            r = indexOf(b, start, end, (byte) '\r');
            if (r < 0) {
                return end;
            }
        }
        int w = to + (r - start);
        for (; r < end; r++) {
            byte x = b[r];
            if (x == '\r') {
                b[w++] = '\n';
                cr = true;
            } else {
                if (x != '\n' || !cr) {
                    b[w++] = x;
                }
                cr = false;
            }
        }
        afterCr = cr;
        return w;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The first index of target in b[from, to), or -1. Eight bytes at a time (a byte equal to target is a zero
     * byte after xor; the lowest flagged byte is the first): COPY data is scanned for line breaks twice.
     */
    static int indexOf(byte[] b, int from, int to, byte target) {
        long pattern = (target & 0xffL) * ONES;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ pattern;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == target) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
        if (digest != null) {
            digest.end();
        }
    }
}
