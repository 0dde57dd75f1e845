package io.runbook.cli;

import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The files a CI command works on: each file as named, each directory's *.runbook files (recursively, in name order). */
final class RunbookFiles {
    /** A file to work on, and whether it was found in a directory (rather than named by the user). */
    record Input(Path path, boolean fromDirectory) {}

    private RunbookFiles() {}

    static List<Input> expand(List<Path> paths) {
        Set<Path> seen = new LinkedHashSet<>();
        List<Input> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : walk.filter(f -> f.toString().endsWith(".runbook") && Files.isRegularFile(f))
                            .sorted()
                            .toList()) {
                        if (seen.add(f.normalize())) out.add(new Input(f, true));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.exists(p)) {
                if (seen.add(p.normalize())) out.add(new Input(p, false));
            } else {
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(
                                null, "file not found: " + p, "name .runbook files or directories that hold them"));
            }
        }
        return out;
    }

    /** Whether a file found in a directory is a library (defs only, no runbook block): it is parsed, not run. */
    static boolean isLibrary(io.runbook.ast.Module m) {
        return m.runbook() == null;
    }
}
