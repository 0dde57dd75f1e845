package io.runbook.journal;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.ast.Steps;
import io.runbook.parse.Program;
import io.runbook.source.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run is checked against: the runbook as a whole (its file, imports and every SQL file it reads)
 * and each phase (its text and the SQL files it reads). Texts are compared with normalised line endings
 * (the loader reads them that way), so a checkout on another platform does not count as a change.
 */
public final class Checksums {
    private Checksums() {}

    public static String runbook(Program program) {
        StringBuilder sb = new StringBuilder();
        for (SourceFile f : program.sources()) sb.append(text(f)).append('\u0000');
        return Journal.sha256(sb.toString());
    }

    /** The phase as written plus the SQL files it reads: what the journal keeps to show a later change. */
    public static String phaseSource(Program program, Phase phase) {
        StringBuilder sb = new StringBuilder(phase.source());
        for (Step.FileRef ref : fileRefs(phase)) {
            Program.SqlScript script = program.script(ref);
            if (script == null) continue;
            sb.append("\n\n-- sql file \"").append(ref.path()).append("\"\n").append(text(script.file()));
            for (SourceFile f : script.included())
                sb.append("\n\n-- \\i \"").append(f.name()).append("\"\n").append(text(f));
        }
        return sb.toString();
    }

    /**
     * A file's text; a SQL file too large to keep in memory (and in the journal) by its size and SHA-256, which
     * change when its text does.
     */
    private static String text(SourceFile f) {
        return f.hasText()
                ? f.text()
                : "-- (" + f.size() + " bytes, sha256 " + f.sha256() + ": too large to keep here)\n";
    }

    public static String phase(Program program, Phase phase) {
        return Journal.sha256(phaseSource(program, phase));
    }

    private static List<Step.FileRef> fileRefs(Phase phase) {
        List<Step.FileRef> out = new ArrayList<>();
        Steps.walk(phase, at -> {
            if (at.step() instanceof Step.Sql sql && sql.source() instanceof Step.FileRef ref) out.add(ref);
        });
        return out;
    }
}
