package io.runbook.lsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The functions one buffer can call, and the files its import and sql file strings name. */
final class Names {
    /** A function and whether the buffer already imports it (false: completing it adds the import). */
    record Visible(Library.Function function, boolean imported) {}

    private Names() {}

    static Map<String, Visible> functions(Path doc, Outline outline) {
        Map<String, Visible> out = new LinkedHashMap<>();
        for (Library.Function f : Library.builtins()) out.put(f.name(), new Visible(f, true));
        List<String> imported = new ArrayList<>();
        for (var t : outline.imports) imported.add(Outline.unquote(t.getText()));
        for (String imp : imported) {
            if (imp.startsWith("stdlib/")) {
                String module = imp.endsWith(".runbook") ? imp.substring(0, imp.length() - ".runbook".length()) : imp;
                for (Library.Function f : Library.stdlib().getOrDefault(module, List.of()))
                    out.putIfAbsent(f.name(), new Visible(f, true));
            } else {
                Path file = importFile(doc, imp);
                if (file != null && Files.isRegularFile(file)) {
                    for (Library.Function f : Library.defs(imp, file, Library.read(file)))
                        out.putIfAbsent(f.name(), new Visible(f, true));
                }
            }
        }
        for (Library.Function f : Library.defs(doc.toString(), doc, outline.text.text))
            out.put(f.name(), new Visible(f, true));
        Library.stdlib().forEach((module, fs) -> fs.forEach(f -> out.putIfAbsent(f.name(), new Visible(f, false))));
        return out;
    }

    /** The file an import names: a standard library module's copy, or a path relative to the buffer (".runbook" optional). */
    static Path importFile(Path doc, String imp) {
        if (imp.startsWith("stdlib/"))
            return Library.stdlibFile(imp.endsWith(".runbook") ? imp.substring(0, imp.length() - 8) : imp);
        Path p = relative(doc, imp);
        if (!Files.exists(p) && !imp.endsWith(".runbook")) p = relative(doc, imp + ".runbook");
        return p;
    }

    /** A path as a runbook writes it: relative to the runbook's folder. */
    static Path relative(Path doc, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) return p.normalize();
        Path dir = doc.toAbsolutePath().getParent();
        return (dir == null ? p : dir.resolve(p)).normalize();
    }
}
