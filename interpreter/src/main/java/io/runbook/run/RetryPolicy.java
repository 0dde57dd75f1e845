package io.runbook.run;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What to do when a statement gives up waiting for a lock (SQLSTATE 55P03): roll back, wait, and try
 * again. The lock_timeout stays at its first value on every attempt unless the runbook asks for more
 * (max_lock_timeout: it then doubles up to that): every attempt's lock_timeout is how long readers queued
 * behind the statement stall, so a longer one trades their latency for the migration's progress. The
 * waits between attempts grow exponentially from 1 s with jitter, capped at 1 minute (pgroll's backoff),
 * so that the blocker gets room to finish.
 */
public record RetryPolicy(
        boolean enabled,
        int attempts,
        Duration lockTimeout,
        Duration maxLockTimeout,
        Duration sleep,
        Duration maxSleep) {
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMillis(500);
    public static final int DEFAULT_ATTEMPTS = 10;
    public static final Duration DEFAULT_SLEEP = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_SLEEP = Duration.ofMinutes(1);

    public static RetryPolicy off(Duration lockTimeout) {
        return new RetryPolicy(false, 1, lockTimeout, lockTimeout, Duration.ZERO, Duration.ZERO);
    }

    /** The lock_timeout of an attempt (1-based): doubling from the first up to maxLockTimeout (by default the same: no doubling). */
    public Duration lockTimeout(int attempt) {
        long ms = lockTimeout.toMillis();
        for (int i = 1; i < attempt && ms < maxLockTimeout.toMillis(); i++) ms *= 2;
        return Duration.ofMillis(Math.min(ms, Math.max(maxLockTimeout.toMillis(), lockTimeout.toMillis())));
    }

    /** How long to wait after a failed attempt: exponential, capped, with "equal jitter" (half fixed, half random). */
    public Duration sleepAfter(int attempt) {
        long ceiling = sleep.toMillis();
        for (int i = 1; i < attempt && ceiling < maxSleep.toMillis(); i++) ceiling *= 2;
        ceiling = Math.min(ceiling, Math.max(maxSleep.toMillis(), sleep.toMillis()));
        long half = ceiling / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }
}
