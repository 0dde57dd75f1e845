package io.runbook.parse;

import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import java.util.ArrayList;
import java.util.List;

/** What the checker's passes find, in the order they find it. */
final class Problems {
    private final List<Diagnostic> list = new ArrayList<>();

    void add(Pos pos, String message, String hint) {
        list.add(new Diagnostic(pos, Suggest.shortenNames(message), hint == null ? null : Suggest.shortenNames(hint)));
    }

    void add(Diagnostic d) {
        list.add(d);
    }

    void addAll(List<Diagnostic> all) {
        list.addAll(all);
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<Diagnostic> all() {
        return List.copyOf(list);
    }
}
