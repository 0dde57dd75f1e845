package io.runbook.fleet;

import io.runbook.db.ConnectionSettings;

/** One database of the fleet: its name (for people and reports) and where it is. */
public record Target(String name, ConnectionSettings settings) {
    /** Targets on the same server, as the same user, can share that server's connection budget. */
    public String server() {
        return settings.user() + "@" + settings.host() + ":" + settings.port();
    }
}
