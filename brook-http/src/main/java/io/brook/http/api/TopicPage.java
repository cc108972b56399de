package io.brook.http.api;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * One page of a sorted, filtered list of names: what {@code GET /api/topics} shows of 10,000 topics. Pure, immutable.
 *
 * @param names the names on this page, in order
 * @param total how many names matched the search
 * @param page the page number, from 0
 * @param size the page size asked for
 */
public record TopicPage(List<String> names, int total, int page, int size) {

    /** Names containing {@code search} (case-insensitive; blank matches all), sorted, then page {@code page}. */
    public static TopicPage of(Collection<String> all, String search, int page, int size) {
        String needle = search.trim().toLowerCase(Locale.ROOT);
        List<String> matching = all.stream()
                .filter(name -> needle.isEmpty() || name.toLowerCase(Locale.ROOT).contains(needle))
                .sorted()
                .toList();
        long from = Math.min((long) page * size, matching.size());
        long to = Math.min(from + size, matching.size());
        return new TopicPage(matching.subList((int) from, (int) to), matching.size(), page, size);
    }
}
