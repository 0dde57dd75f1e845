package io.runbook.cli;

import io.runbook.lsp.RunbookLanguageServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "lsp",
        mixinStandardHelpOptions = true,
        description = {
            "Run the language server for editors: LSP over stdin and stdout (started by the editor, not by hand).",
            "Diagnostics, completion, hover, go to definition, outline and formatting. See docs/editors.md."
        })
final class LspCommand implements Callable<Integer>, ContextAware {
    private Context context;

    @Override
    public void context(Context context) {
        this.context = context;
    }

    @Option(
            names = "--db",
            paramLabel = "URL",
            description =
                    "a development database whose tables and columns complete inside SQL (default: RUNBOOK_LSP_DB; the editor setting runbook.database wins)")
    String db;

    @Option(
            names = "--stdio",
            hidden = true,
            description = "accepted for clients that pass it: stdio is the only transport")
    boolean stdio;

    @Override
    public Integer call() {
        Map<String, String> env = new HashMap<>(context.env());
        if (db != null) env.put("RUNBOOK_LSP_DB", db);
        // stdout is the protocol's channel: nothing else may write to it.
        return RunbookLanguageServer.serve(
                new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), env);
    }
}
