package io.brook.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class TopicPageTest {

    private final List<String> topics = IntStream.range(0, 10_000).mapToObj(i -> String.format("t-%05d", i))
            .toList();

    @Test
    void shouldSortAndPageWhenNoSearchIsGiven() {
        TopicPage page = TopicPage.of(List.of("b", "c", "a"), "", 0, 2);

        assertThat(page.names()).containsExactly("a", "b");
        assertThat(page.total()).isEqualTo(3);
    }

    @Test
    void shouldFilterCaseInsensitivelyBeforePaging() {
        TopicPage page = TopicPage.of(topics, "T-0999", 1, 5);

        assertThat(page.total()).isEqualTo(10);
        assertThat(page.names()).containsExactly("t-09995", "t-09996", "t-09997", "t-09998", "t-09999");
    }

    @Test
    void shouldGiveAnEmptyPageWhenPastTheEnd() {
        TopicPage page = TopicPage.of(topics, "", 400, 50);

        assertThat(page.names()).isEmpty();
        assertThat(page.total()).isEqualTo(10_000);
    }
}
