package io.runbook.run;

import io.runbook.ast.Step;
import io.runbook.eval.Evaluator;
import io.runbook.schema.SchemaDiff;
import io.runbook.schema.SchemaSnapshot;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** `snapshot "name"` and `expect schema == snapshot "name"`: the schema, recorded and compared, with a readable diff. */
final class SchemaSteps {
    private static final int MAX_LINES = 50;

    private final StepRunner in;
    private final Map<String, SchemaSnapshot> taken = new HashMap<>();

    SchemaSteps(StepRunner in) {
        this.in = in;
    }

    void snapshot(Step.Snapshot s) {
        SchemaSnapshot snap = capture();
        taken.put(s.name(), snap);
        try {
            in.progress().snapshotTaken(s.name(), snap.toJson());
        } catch (SQLException e) {
            throw Engine.lost(e);
        }
        in.emit(new RunEvent.SnapshotTaken(
                s.pos(), s.name(), snap.tables().size(), snap.indexes().size()));
    }

    void expect(Step.ExpectSchema e) {
        SchemaSnapshot want = taken.get(e.name());
        if (want == null) {
            try {
                String json = in.progress().snapshot(e.name());
                if (json != null) want = SchemaSnapshot.fromJson(json);
            } catch (SQLException x) {
                throw Engine.lost(x);
            }
        }
        if (want == null) {
            throw new Failure(
                    ExitCode.GUARD_FAILED,
                    new Diagnostic(
                            e.pos(),
                            "no snapshot \"" + e.name() + "\" in this run or the journal",
                            "the phase that takes it did not run (see --from/--only)"));
        }
        SchemaDiff diff = SchemaDiff.between(want, capture());
        List<String> lines = diff.lines();
        String expected = "schema == snapshot \"" + e.name() + "\"";
        Evaluator.Outcome o = new Evaluator.Outcome(
                lines.isEmpty(), expected, lines.isEmpty() ? "identical" : lines.size() + " difference(s)");
        in.emit(new RunEvent.GuardChecked(e.pos(), "expect " + expected, o));
        if (!o.passed()) {
            List<String> details = new ArrayList<>();
            details.add("differences (- only in the snapshot, + only now, ~ changed):");
            for (String l : lines.subList(0, Math.min(MAX_LINES, lines.size()))) details.add("  " + l);
            if (lines.size() > MAX_LINES) details.add("  ... " + (lines.size() - MAX_LINES) + " more");
            Diagnostic d = new Diagnostic(e.pos(), "expectation failed: " + expected, details, null);
            Failure f = in.guardFailed(e.pos(), "expectation failed: " + expected, o);
            throw new Failure(
                    ExitCode.GUARD_FAILED,
                    new Diagnostic(
                            d.pos(), d.message(), d.details(), f.diagnostic().hint()));
        }
    }

    private SchemaSnapshot capture() {
        try {
            return SchemaSnapshot.capture(in.session().connection(), List.of());
        } catch (SQLException e) {
            throw Engine.lost(e);
        }
    }
}
