package io.runbook.lsp;

import io.runbook.ast.Module;
import io.runbook.eval.Describe;
import io.runbook.parse.AstBuilder;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The functions a runbook can call, with their signatures and the comments written above them: the built-ins, the
 * standard library (copied once to a temporary folder so an editor can open it) and a buffer's own or imported defs.
 */
final class Library {
    /** A function; file and line (1-based) say where it is defined, null for a built-in. */
    record Function(String name, String signature, String doc, String module, Path file, int line, int col) {}

    static final List<String> STDLIB = List.of("stdlib/catalog", "stdlib/ops");
    private static final Map<String, String> BUILTINS = Map.of(
            "env", "env(name, default = null)|an environment variable of the runner, or the default",
            "lower", "lower(text)|the text in lower case",
            "upper", "upper(text)|the text in upper case",
            "length", "length(text)|the number of characters");

    private static Map<String, List<Function>> stdlib;
    private static Path stdlibDir;

    private Library() {}

    static List<Function> builtins() {
        List<Function> out = new ArrayList<>();
        BUILTINS.forEach((name, s) -> out.add(new Function(
                name, s.substring(0, s.indexOf('|')), s.substring(s.indexOf('|') + 1), "built-in", null, 0, 0)));
        out.sort(java.util.Comparator.comparing(Function::name));
        return out;
    }

    /** Each standard library module (as imported: "stdlib/catalog") with its functions. */
    static synchronized Map<String, List<Function>> stdlib() {
        if (stdlib == null) {
            Map<String, List<Function>> m = new LinkedHashMap<>();
            for (String module : STDLIB) {
                Path file = stdlibFile(module);
                m.put(module, file == null ? List.of() : defs(module, file, read(file)));
            }
            stdlib = m;
        }
        return stdlib;
    }

    /** The standard library module's source, copied to a temporary folder; null when it cannot be. */
    static synchronized Path stdlibFile(String module) {
        String name = module.substring("stdlib/".length()) + ".runbook";
        try {
            if (stdlibDir == null) {
                stdlibDir = Files.createTempDirectory("runbook-stdlib");
                stdlibDir.toFile().deleteOnExit();
            }
            Path file = stdlibDir.resolve(name);
            if (!Files.exists(file)) {
                try (InputStream in = Library.class.getClassLoader().getResourceAsStream("runbook/stdlib/" + name)) {
                    if (in == null) return null;
                    Files.write(file, in.readAllBytes());
                }
                file.toFile().deleteOnExit();
            }
            return file;
        } catch (IOException e) {
            return null;
        }
    }

    /** The defs of a source text, each with the comment lines right above it as its documentation. */
    static List<Function> defs(String module, Path file, String text) {
        Module parsed;
        try {
            parsed = AstBuilder.parse(new SourceFile(module, file, text));
        } catch (RunbookException e) {
            return List.of();
        }
        List<Function> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (Module.FunctionDef d : parsed.defs()) {
            String params = d.params().stream()
                    .map(p -> p.name() + (p.defaultValue() == null ? "" : " = " + Describe.expr(p.defaultValue())))
                    .collect(Collectors.joining(", "));
            out.add(new Function(
                    d.name(),
                    d.name() + "(" + params + ")",
                    docAbove(lines, d.pos().line() - 1),
                    module,
                    file,
                    d.pos().line(),
                    d.pos().col()));
        }
        return out;
    }

    /** The comment lines directly above a 0-based line, without their # or --. */
    static String docAbove(String[] lines, int line) {
        List<String> doc = new ArrayList<>();
        for (int i = line - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (l.startsWith("#")) doc.add(0, l.substring(1).strip());
            else if (l.startsWith("--")) doc.add(0, l.substring(2).strip());
            else break;
        }
        return String.join("\n", doc);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
