package io.runbook.run;

import java.util.List;

/** Hears a run's events: the console prints them, the journal records them, the summary counts them. */
@FunctionalInterface
public interface RunListener {
    void on(RunEvent event);

    /** Several listeners heard as one, in the order given. */
    static RunListener all(RunListener... listeners) {
        List<RunListener> all = List.of(listeners);
        return e -> all.forEach(l -> l.on(e));
    }
}
