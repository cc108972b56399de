package io.brook.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rows under named columns, printed either aligned for people (headers are the column names in capitals, words split
 * at capitals: {@code committedOffset} is {@code COMMITTED OFFSET}) or as a JSON array of objects keyed by the column
 * names. Null values print as {@code -} in text and {@code null} in JSON. Not thread-safe.
 */
public final class Table {

    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    private Table(List<String> columns) {
        this.columns = columns;
    }

    public static Table withColumns(String... columns) {
        return new Table(List.of(columns));
    }

    public Table row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " values, got " + values.length);
        }
        rows.add(java.util.Arrays.asList(values));
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Prints the table as text or JSON. */
    public void print(OutputFormat format, PrintWriter out) {
        if (format == OutputFormat.JSON) {
            Json.print(toJson(), out);
        } else {
            printText(out);
        }
    }

    public void printText(PrintWriter out) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(columns.stream().map(Table::header).toList());
        for (List<Object> row : rows) {
            lines.add(row.stream().map(v -> v == null ? "-" : v.toString()).toList());
        }
        printAligned(lines, out);
        out.flush();
    }

    public ArrayNode toJson() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (List<Object> row : rows) {
            ObjectNode object = array.addObject();
            for (int i = 0; i < columns.size(); i++) {
                object.set(columns.get(i), Json.MAPPER.valueToTree(row.get(i)));
            }
        }
        return array;
    }

    /** Prints rows of cells in columns two spaces apart, the first row being the header. */
    public static void printAligned(List<List<String>> rows, PrintWriter out) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.println(line);
        }
    }

    static String header(String column) {
        return column.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    }
}
