package io.brook.server.cli;

import picocli.CommandLine.Option;

/** The {@code --format table|json} option, as a picocli mixin. Not thread-safe (filled once by the parser). */
public final class FormatOption {

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", converter = OutputFormat.Converter.class, description = "table (for people, the default) or json (for scripts).")
    private OutputFormat format = OutputFormat.TABLE;

    public OutputFormat format() {
        return format;
    }
}
