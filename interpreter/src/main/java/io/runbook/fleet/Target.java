package io.runbook.fleet;

import io.runbook.db.ConnectionSettings;
import io.runbook.db.ConnectionSettings.Endpoint;
import java.util.stream.Collectors;

/** One database of the fleet: its name (for people and reports) and where it is. */
public record Target(String name, ConnectionSettings settings) {
    /**
     * The server the target's connections count against (its max_connections): host and port, whatever the user or
     * database. With several hosts (failover), the list of them.
     */
    public String server() {
        return settings.endpoints().stream().map(Endpoint::toString).collect(Collectors.joining(","));
    }
}
