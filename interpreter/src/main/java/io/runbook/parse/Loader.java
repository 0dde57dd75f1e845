package io.runbook.parse;

import io.runbook.ast.Module;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads files (runbooks, libraries, SQL) from disk or from the stdlib on the classpath, and follows imports. */
public final class Loader {
    static final String STDLIB_PREFIX = "stdlib/";
    private static final String STDLIB_RESOURCES = "runbook/stdlib/";

    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final List<SourceFile> sources = new ArrayList<>();

    /** Reads and parses the main runbook file. */
    public Module loadMain(Path path) { return loadMain(read(path, path.toString(), null), path); }

    /** Parses text held in memory (an editor's unsaved buffer) as the main runbook file at path. */
    public Module loadMain(Path path, String text) {
        SourceFile file = new SourceFile(path.toString(), path, normalise(text));
        sources.add(file);
        return loadMain(file, path);
    }

    private Module loadMain(SourceFile file, Path path) {
        Module module = AstBuilder.parse(file);
        if (module.runbook() == null) {
            throw new RunbookException(ExitCode.INVALID, new Diagnostic(new Pos(file, 1, 1),
                    "no `runbook \"name\" { ... }` block in " + path, "a runbook file needs one runbook block; files with only defs are libraries to import"));
        }
        modules.put(key(path), module);
        return module;
    }

    /** All modules imported (directly or not) by the given one, each once, in dependency order. */
    public List<Module> imports(Module from) {
        List<Module> out = new ArrayList<>();
        collect(from, out, new ArrayList<>());
        return out;
    }

    private void collect(Module from, List<Module> out, List<String> stack) {
        for (Module.Import imp : from.imports()) {
            String key = resolveKey(from.file(), imp);
            if (stack.contains(key)) {
                throw new RunbookException(ExitCode.INVALID, new Diagnostic(imp.pos(), "import cycle: " + String.join(" -> ", stack) + " -> " + key,
                        "move the shared defs into a third file that both import"));
            }
            Module m = modules.get(key);
            if (m == null) {
                m = AstBuilder.parse(readImport(from.file(), imp, key));
                if (m.runbook() != null) {
                    throw new RunbookException(ExitCode.INVALID, new Diagnostic(imp.pos(), "imported file " + key + " contains a runbook block",
                            "only libraries (files with defs and imports) can be imported"));
                }
                modules.put(key, m);
            }
            if (out.contains(m)) continue;
            stack.add(key);
            collect(m, out, stack);
            stack.remove(stack.size() - 1);
            out.add(m);
        }
    }

    private String resolveKey(SourceFile from, Module.Import imp) {
        if (imp.path().startsWith(STDLIB_PREFIX)) return withExtension(imp.path());
        Path p = resolve(from, imp.path());
        if (!Files.exists(p) && !imp.path().endsWith(".runbook")) p = resolve(from, imp.path() + ".runbook");
        return key(p);
    }

    private SourceFile readImport(SourceFile from, Module.Import imp, String key) {
        if (imp.path().startsWith(STDLIB_PREFIX)) {
            String name = key.substring(STDLIB_PREFIX.length());
            try (InputStream in = Loader.class.getClassLoader().getResourceAsStream(STDLIB_RESOURCES + name)) {
                if (in == null) {
                    throw new RunbookException(ExitCode.INVALID, new Diagnostic(imp.pos(), "no standard library module '" + imp.path() + "'",
                            "the standard library has: stdlib/catalog and stdlib/ops (see docs/stdlib.md)"));
                }
                SourceFile file = new SourceFile(key, null, normalise(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                sources.add(file);
                return file;
            } catch (IOException e) {
                throw new RunbookException(ExitCode.INVALID, new Diagnostic(imp.pos(), "cannot read " + key + ": " + e.getMessage(), null));
            }
        }
        return read(Path.of(key), key, imp.pos());
    }

    /** Reads a file relative to the source that names it; a missing file is reported at the naming position. */
    public SourceFile readRelative(SourceFile from, String path, Pos at) {
        Path p = resolve(from, path);
        return read(p, display(p), at);
    }

    public static Path resolve(SourceFile from, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || from.path() == null) return p.normalize();
        Path dir = from.path().toAbsolutePath().getParent();
        return dir.resolve(p).normalize();
    }

    private SourceFile read(Path path, String name, Pos at) {
        try {
            SourceFile file = new SourceFile(name, path, normalise(Files.readString(path, StandardCharsets.UTF_8)));
            sources.add(file);
            return file;
        } catch (NoSuchFileException e) {
            throw new RunbookException(ExitCode.INVALID, new Diagnostic(at, "file not found: " + name,
                    "paths are relative to the file that names them" + (at == null ? "" : " (" + at.file().name() + ")")));
        } catch (IOException e) {
            throw new RunbookException(ExitCode.INVALID, new Diagnostic(at, "cannot read " + name + ": " + e.getMessage(), "check the file's permissions"));
        }
    }

    public List<SourceFile> sources() { return List.copyOf(sources); }

    /** CRLF to LF, and no BOM, so offsets, checksums and messages agree across platforms. */
    private static String normalise(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return t.indexOf('\r') < 0 ? t : t.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static String withExtension(String p) { return p.endsWith(".runbook") ? p : p + ".runbook"; }

    private static String key(Path p) { return p.toAbsolutePath().normalize().toString(); }

    /** A path relative to the working directory when it is below it: what the operator would type. */
    static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
