package io.brook.server.cli;

import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How a command prints its result: tables for people, or JSON for scripts. */
public enum OutputFormat {
    TABLE, JSON;

    /** Case-insensitive {@code table}/{@code json} for picocli. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a format: use table or json");
            }
        }
    }
}
