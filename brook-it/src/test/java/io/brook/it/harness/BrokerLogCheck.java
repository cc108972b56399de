package io.brook.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Scans a broker log for Netty leak-detector reports ({@code LEAK:}) and ERROR lines not declared as expected.
 * Stateless and thread-safe.
 */
public final class BrokerLogCheck {

    private static final Pattern ERROR = Pattern.compile("\\bERROR\\b");
    private static final int MAX_REPORTED = 30;

    private BrokerLogCheck() {
    }

    public static List<String> problems(Path logFile, List<Pattern> expected) {
        if (!Files.exists(logFile)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> problems = new ArrayList<>();
        for (String line : lines) {
            boolean leak = line.contains("LEAK:");
            boolean error = ERROR.matcher(line).find() && expected.stream().noneMatch(p -> p.matcher(line).find());
            if ((leak || error) && problems.size() < MAX_REPORTED) {
                problems.add(line);
            }
        }
        return problems;
    }
}
