package io.brook.it.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ConsoleBrowser;
import io.brook.it.harness.JavaClients;

/**
 * The figure for issue 8: how long the console's topics page takes, on a broker with many topics (10,000 unless
 * {@code -Dbrook.it.consoleTopics=N} says otherwise), until its first rows show in headless Chromium; also the
 * {@code GET /api/topics} call alone and a search. Prints the figures; asserts only that rows show. Opt-in (it
 * creates thousands of topics), tagged {@code figure} and left out of the suite: run it with
 * {@code mvn verify -pl brook-it -Dtest=ConsoleTopicsLoadTimeTest -Dbrook.it.excludedGroups= -Dbrook.it.consoleTopics=10000}.
 */
@Tag("figure")
@BrookTest
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ConsoleTopicsLoadTimeTest {

    private static final String PROPERTY = "brook.it.consoleTopics";
    private static final int BATCH = 200;
    private static final int RUNS = 5;

    @Test
    void shouldShowTheFirstTopicRowsAndPrintTheLoadTime(BrookBroker broker) throws Exception {
        Optional<Integer> wanted = Optional.ofNullable(System.getProperty(PROPERTY)).filter(s -> !s.isBlank())
                .map(Integer::parseInt);
        assumeTrue(wanted.isPresent(), "Opt-in figure: run with -D" + PROPERTY + "=10000");
        int count = wanted.get();

        // given: many one-partition topics
        long createStart = System.nanoTime();
        try (Admin admin = JavaClients.admin(broker)) {
            for (int from = 0; from < count; from += BATCH) {
                List<NewTopic> batch = new ArrayList<>();
                for (int i = from; i < Math.min(count, from + BATCH); i++) {
                    batch.add(new NewTopic(String.format("load-%05d", i), 1, (short) 1));
                }
                try {
                    admin.createTopics(batch).all().get(2, TimeUnit.MINUTES);
                } catch (ExecutionException e) {
                    // A busy broker may answer a batch after the client gave up: wait for the batch to exist.
                    assertThat(e.getCause()).isInstanceOfAny(TimeoutException.class, TopicExistsException.class);
                    Set<String> wantedNames = batch.stream().map(NewTopic::name).collect(Collectors.toSet());
                    Awaitility.await().atMost(Duration.ofMinutes(3))
                            .until(() -> admin.listTopics().names().get(1, TimeUnit.MINUTES).containsAll(wantedNames));
                }
            }
        }
        long createMs = (System.nanoTime() - createStart) / 1_000_000;
        String base = ConsoleUrls.base(broker);

        // when: the API alone
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Long> apiMs = new ArrayList<>();
        List<Long> searchMs = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            apiMs.add(timeGet(http, base + "/api/topics?page=0&size=50"));
            searchMs.add(timeGet(http, base + "/api/topics?search=load-0999&page=0&size=50"));
        }

        // when: the page in the browser, from navigation until the first rows show
        List<Long> pageMs = new ArrayList<>();
        try (ConsoleBrowser browser = ConsoleBrowser.start()) {
            for (int run = 0; run < RUNS; run++) {
                browser.open("about:blank");
                long start = System.nanoTime();
                browser.open(base + "/console/#/topics");
                browser.visible(By.cssSelector("#topics .topic-row"));
                pageMs.add((System.nanoTime() - start) / 1_000_000);
            }
            assertThat(browser.visible(By.id("page-info")).getText()).contains(count + " topics");
            browser.screenshot("09-topics-" + count);
        }

        // then
        System.out.printf("FIGURE console topics page, %d topics (created in %d ms): first rows shown in %s ms "
                + "(median %d); GET /api/topics page of 50: %s ms (median %d); search: %s ms (median %d)%n", count,
                createMs, pageMs, median(pageMs), apiMs, median(apiMs), searchMs, median(searchMs));
    }

    private static long timeGet(HttpClient http, String url) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        return ms;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
