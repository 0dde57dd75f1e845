package io.runbook.ast;

import io.runbook.source.Pos;
import java.util.List;

/** A unit of progress: one transaction unless `no transaction`. verify runs before COMMIT; rollback undoes it later. */
public record Phase(Pos pos, String name, boolean transactional, List<Step> steps, List<Step> verify,
                    List<Step> rollback) {
    public boolean hasRollback() { return !rollback.isEmpty(); }
}
