package io.runbook.ast;

import io.runbook.source.Pos;
import java.util.List;

/**
 * A unit of progress: one transaction unless `no transaction`. verify runs before COMMIT; rollback undoes
 * it later. source is the phase's text as written, for checksums and for showing what changed. retry is
 * its lock-timeout retry policy as written (null: the default policy).
 */
public record Phase(
        Pos pos,
        String name,
        boolean transactional,
        List<Step> steps,
        List<Step> verify,
        List<Step> rollback,
        String source,
        Retry retry) {
    public boolean hasRollback() {
        return !rollback.isEmpty();
    }
}
