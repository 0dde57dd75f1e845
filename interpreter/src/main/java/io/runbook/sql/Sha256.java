package io.runbook.sql;

import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 of a file's normalised bytes. A small file is hashed as it is read. A large one (a data dump) is read
 * again and hashed on a thread of its own, and nothing waits for it until someone asks for the hash: the check
 * before a run scans the file at memory speed meanwhile, and the run connects and reads its journal. Cold, the
 * hashing of 100 MB costs about half a second, longer than the scan.
 */
final class Sha256 {
    /** From this size on a thread of its own pays (a data dump); below, hashing costs a few milliseconds. */
    static final long BACKGROUND_FROM = 8L << 20;

    private final MessageDigest digest;
    private final Thread worker;
    private final Path path;
    private IOException failed;
    private String hex;

    /** Hashed as the reader hands the bytes over with {@link #update}. */
    Sha256() {
        this.digest = newDigest();
        this.worker = null;
        this.path = null;
    }

    private Sha256(Path path) {
        this.digest = newDigest();
        this.path = path;
        this.worker = new Thread(() -> work(path), "runbook-sha256");
        worker.setDaemon(true); // never keeps the process alive: a check that needs no hash does not wait for it
        worker.start();
    }

    /** Reads the file on a thread of its own and hashes it. */
    static Sha256 ofFile(Path path) {
        return new Sha256(path);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void update(byte[] b, int off, int len) {
        if (len > 0) {
            digest.update(b, off, len);
        }
    }

    /** The SHA-256 (hex) of all the bytes; waits for the thread to finish them. */
    synchronized String hex() {
        if (hex != null) {
            return hex;
        }
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
            if (failed != null) {
                // The file was readable a moment ago, when it was checked: it was removed or replaced since.
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(
                                null,
                                "cannot read " + path + " for its checksum: " + failed.getMessage(),
                                "the file changed after it was checked; run again"));
            }
        }
        StringBuilder sb = new StringBuilder(64);
        for (byte x : digest.digest()) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        hex = sb.toString();
        return hex;
    }

    private void work(Path path) {
        try (SqlInput in = new SqlInput(path, false)) {
            in.readAll(digest::update);
        } catch (IOException e) {
            failed = e; // seen by hex() after join
        }
    }
}
