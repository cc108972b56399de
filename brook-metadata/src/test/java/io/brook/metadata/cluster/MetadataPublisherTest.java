package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.metadata.MetadataImage;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetadataPublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private MetadataPublisher publisher = new MetadataPublisher("test-publisher", Duration.ofSeconds(5));

    @AfterEach
    void close() {
        publisher.close();
    }

    /** A distinct image per name; the listeners below print it by its broker config "v". */
    private static MetadataImage image(String name) {
        return new MetadataImage(Map.of(), Map.of(), Map.of("v", name));
    }

    private static String name(MetadataImage image) {
        return image.brokerConfigs().getOrDefault("v", "empty");
    }

    private void record(MetadataImage previous, MetadataImage current) {
        calls.add(name(previous) + "->" + name(current));
    }

    @Test
    void shouldDeliverImagesInLogOrderWithThePreviousDeliveredImage() {
        publisher.addListener(this::record);

        publisher.offer(1, image("a"));
        assertThat(publisher.doWork()).isEqualTo(1);
        publisher.offer(2, image("b"));
        assertThat(publisher.doWork()).isEqualTo(1);

        assertThat(calls).containsExactly("empty->a", "a->b");
        assertThat(publisher.publishedIndex()).isEqualTo(2);
        assertThat(publisher.doWork()).as("nothing left").isZero();
    }

    @Test
    void shouldCoalesceImagesOfferedWhileBehindIntoOneChangeFromTheLastDelivered() {
        publisher.addListener(this::record);
        publisher.offer(1, image("a"));
        publisher.doWork();

        publisher.offer(2, image("b"));
        publisher.offer(3, image("c"));
        publisher.offer(4, image("d"));
        publisher.doWork();

        assertThat(calls).containsExactly("empty->a", "a->d");
        assertThat(publisher.publishedIndex()).isEqualTo(4);
    }

    @Test
    void shouldAdvanceTheIndexWithoutCallingListenersWhenTheImageDidNotChange() {
        publisher.addListener(this::record);
        MetadataImage a = image("a");
        publisher.offer(1, a);
        publisher.doWork();

        publisher.offer(2, a); // a refused command
        assertThat(publisher.doWork()).isEqualTo(1);

        assertThat(calls).containsExactly("empty->a");
        assertThat(publisher.publishedIndex()).isEqualTo(2);
    }

    @Test
    void shouldKeepDeliveringToOtherListenersAndLaterChangesWhenAListenerThrows() {
        publisher.addListener((previous, current) -> {
            throw new IllegalStateException("listener bug");
        });
        publisher.addListener(this::record);

        publisher.offer(1, image("a"));
        publisher.doWork();
        publisher.offer(2, image("b"));
        publisher.doWork();

        assertThat(calls).containsExactly("empty->a", "a->b");
        assertThat(publisher.publishedIndex()).isEqualTo(2);
    }

    @Test
    void shouldDeliverOnItsOwnThreadAndReleaseWaitersOnceListenersHaveTheImage() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        publisher.addListener((previous, current) -> {
            threads.add(Thread.currentThread().getName());
            record(previous, current);
        });
        publisher.start();

        publisher.offer(5, image("a"));

        assertThat(publisher.awaitPublished(5, WAIT)).isTrue();
        assertThat(calls).containsExactly("empty->a");
        assertThat(threads).containsExactly("test-publisher");
        assertThat(publisher.isPublisherThread()).isFalse();
    }

    @Test
    void shouldRefuseToLetAListenerWaitForItsOwnDelivery() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        publisher.addListener((previous, current) -> {
            try {
                publisher.awaitPublished(1, WAIT);
            } catch (IllegalStateException | InterruptedException e) {
                errors.add(e);
            }
        });
        publisher.start();

        publisher.offer(1, image("a"));

        assertThat(publisher.awaitPublished(1, WAIT)).isTrue();
        assertThat(errors).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldCloseInBoundedTimeWhileAListenerIsStuckAndDeliverNothingAfterwards() throws Exception {
        publisher = new MetadataPublisher("test-publisher", Duration.ofMillis(100));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        publisher.addListener((previous, current) -> {
            record(previous, current);
            entered.countDown();
            try {
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        publisher.start();
        publisher.offer(1, image("a"));
        assertThat(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        publisher.close(); // returns after its 100 ms timeout although the listener is still busy
        publisher.offer(2, image("b"));

        assertThat(publisher.awaitPublished(2, WAIT)).as("waiters return once closed").isFalse();
        release.countDown();
        assertThat(publisher.awaitTermination(WAIT)).isTrue();
        assertThat(calls).containsExactly("empty->a");
    }

    @Test
    void shouldEndTheThreadWhenClosedIdle() throws Exception {
        publisher.start();

        publisher.close();

        assertThat(publisher.awaitTermination(WAIT)).isTrue();
        assertThatThrownBy(publisher::start).isInstanceOf(IllegalStateException.class);
    }
}
