package io.runbook.db;

/**
 * A connection setting (the {@code --db} option, {@code DATABASE_URL}, {@code PGPORT}, ...) could not be
 * understood. The message names the source, shows the offending value with any password masked, says what
 * is wrong and lists the accepted forms.
 */
public final class ConnectionConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The accepted forms of a {@code --db} / {@code DATABASE_URL} value, one per line, indented. */
    public static final String ACCEPTED_FORMS = String.join(
            "\n",
            "accepted forms:",
            "  postgresql://user:password@host:5432/dbname?sslmode=require&application_name=x"
                    + "   (also postgres://; percent-encode special characters, e.g. %40 for @)",
            "  jdbc:postgresql://host:5432/dbname?user=name&password=secret",
            "  host=localhost port=5432 dbname=app user=name password=secret"
                    + "   (libpq keyword/value; quote values with spaces: password='a b')");

    private final String source;
    private final String problem;

    /**
     * @param source   where the value came from, e.g. {@code --db}, {@code DATABASE_URL}, {@code PGPORT}
     * @param rawValue the value as given; it is masked before it becomes part of the message
     * @param problem  what is wrong with it (must not contain a password)
     */
    public ConnectionConfigException(String source, String rawValue, String problem) {
        super(message(source, rawValue, problem));
        this.source = source;
        this.problem = problem;
    }

    private static String message(String source, String rawValue, String problem) {
        return "invalid " + source + " value \"" + Secrets.mask(rawValue) + "\": " + problem + "\n" + ACCEPTED_FORMS;
    }

    /** Where the bad value came from, e.g. {@code --db}. */
    public String source() {
        return source;
    }

    /** What is wrong, without the value and the list of accepted forms. */
    public String problem() {
        return problem;
    }
}
