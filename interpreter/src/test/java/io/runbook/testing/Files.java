package io.runbook.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Writes test runbooks and SQL files. */
public final class Files {
    private Files() {}

    public static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            java.nio.file.Files.createDirectories(p.getParent());
            java.nio.file.Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root (examples/, bin/). */
    public static Path root() {
        return Path.of(System.getProperty("runbook.root", ".."))
                .toAbsolutePath()
                .normalize();
    }
}
