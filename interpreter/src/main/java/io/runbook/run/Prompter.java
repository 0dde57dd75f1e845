package io.runbook.run;

/** Asks the operator. Every answer says who gave it, for the journal and the report. */
public interface Prompter {
    record Answer(boolean yes, String by) {}

    /** A confirmation; with `typing`, only that exact word counts as yes. */
    Answer confirm(String question, String typing);

    /** Whether questions can be asked at all (a terminal, or --yes). */
    boolean canAsk();

    /** Answers every confirmation with yes: `--yes`, for CI and scripted runs. */
    static Prompter assumeYes() {
        return new Prompter() {
            public Answer confirm(String question, String typing) {
                return new Answer(true, "--yes");
            }

            public boolean canAsk() {
                return true;
            }
        };
    }

    /** No terminal and no --yes: nothing can be asked. The runner refuses to start before reaching a question. */
    static Prompter none() {
        return new Prompter() {
            public Answer confirm(String question, String typing) {
                return new Answer(false, "no terminal");
            }

            public boolean canAsk() {
                return false;
            }
        };
    }
}
