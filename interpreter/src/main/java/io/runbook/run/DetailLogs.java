package io.runbook.run;

/**
 * Whether anything below WARN may be logged: --debug, --log-file, or the operator's own logback.xml. Until one of
 * them says so, runbook asks no logger whether it is enabled: the question alone starts Logback, a good part of a
 * plain run's start-up, only to hear "no".
 */
public final class DetailLogs {
    private static volatile boolean on = operatorsOwn();

    private DetailLogs() {}

    public static boolean on() {
        return on;
    }

    /** --debug and --log-file turn it on; back to the default (the operator's own configuration or off) with false. */
    public static void on(boolean value) {
        on = value || operatorsOwn();
    }

    private static boolean operatorsOwn() {
        return System.getProperty("logback.configurationFile") != null;
    }
}
