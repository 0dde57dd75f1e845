package io.runbook.sql;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The SHA-256 of a file's bytes as they are read. For a large file the hashing runs on a thread of its own: it
 * costs about as much CPU as reading and splitting the file, and the check before a run waits for both. The reader
 * hands over copies of what it read; a few buffers go round, so memory stays flat.
 */
final class Sha256 {
    /** From this size on a thread of its own pays (a data dump); below, hashing costs a few milliseconds. */
    static final long BACKGROUND_FROM = 8L << 20;

    private static final int BUFFERS = 4;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private record Chunk(byte[] bytes, int length) {}

    private final MessageDigest digest;
    private final BlockingQueue<Chunk> full;
    private final BlockingQueue<byte[]> free;
    private final Thread worker;
    private int made;
    private boolean ended;
    private String hex;

    Sha256(boolean background) {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!background) {
            full = null;
            free = null;
            worker = null;
            return;
        }
        full = new ArrayBlockingQueue<>(BUFFERS + 1);
        free = new ArrayBlockingQueue<>(BUFFERS);
        worker = new Thread(this::work, "runbook-sha256");
        worker.setDaemon(true); // never keeps the process alive, whatever happens to the reader
        worker.start();
    }

    void update(byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        if (worker == null) {
            digest.update(b, off, len);
            return;
        }
        byte[] copy = free.poll();
        try {
            if (copy == null && made == BUFFERS) {
                copy = free.take(); // the hashing is behind: wait for a buffer it is done with
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        }
        if (copy == null || copy.length < len) {
            if (copy == null) {
                made++;
            }
            copy = new byte[Math.max(len, SqlInput.CHUNK)];
        }
        System.arraycopy(b, off, copy, 0, len);
        full.add(new Chunk(copy, len)); // never full: at most BUFFERS chunks are out, plus END
    }

    /** No more bytes: the thread finishes what it was given and stops. Called again, it does nothing. */
    void end() {
        if (worker != null && !ended) {
            ended = true;
            full.add(END);
        }
    }

    /** The SHA-256 (hex) of all bytes given; waits for the thread to finish them. */
    String hex() {
        if (hex != null) {
            return hex;
        }
        end();
        if (worker != null) {
            boolean interrupted = false;
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        StringBuilder sb = new StringBuilder(64);
        for (byte x : digest.digest()) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        hex = sb.toString();
        return hex;
    }

    private void work() {
        while (true) {
            Chunk c;
            try {
                c = full.take();
            } catch (InterruptedException e) {
                return;
            }
            if (c == END) {
                return;
            }
            digest.update(c.bytes(), 0, c.length());
            free.offer(c.bytes());
        }
    }
}
