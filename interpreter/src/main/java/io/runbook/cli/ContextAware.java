package io.runbook.cli;

/** A command that needs the context (streams, environment, terminal): Main's factory hands it over. */
interface ContextAware {
    void context(Context context);
}
