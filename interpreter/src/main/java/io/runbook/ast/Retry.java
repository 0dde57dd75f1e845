package io.runbook.ast;

import io.runbook.source.Pos;
import java.util.Map;

/**
 * A lock-timeout retry policy as written: `no retry` (enabled false), or `retry(name = value, ...)` with
 * the options attempts, lock_timeout, max_lock_timeout, sleep, max_sleep.
 */
public record Retry(Pos pos, boolean enabled, Map<String, Expr> options) {
    public static final java.util.List<String> OPTIONS =
            java.util.List.of("attempts", "lock_timeout", "max_lock_timeout", "sleep", "max_sleep");
}
