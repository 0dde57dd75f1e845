package io.runbook.term;

/** Colour on a terminal, plain text when piped or when NO_COLOR is set (https://no-color.org). */
public final class Style {
    private final boolean colour;
    private final boolean unicode;

    public Style(boolean colour, boolean unicode) {
        this.colour = colour;
        this.unicode = unicode;
    }

    public static Style plain() {
        return new Style(false, false);
    }

    /** Output goes to a terminal (colour on): progress lines may be redrawn in place. */
    public boolean isTerminal() {
        return colour;
    }

    public String ok() {
        return colour ? green(unicode ? "✓" : "ok") : "ok";
    }

    public String fail() {
        return colour ? red(unicode ? "✗" : "FAIL") : "FAIL";
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    private String wrap(String code, String s) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
