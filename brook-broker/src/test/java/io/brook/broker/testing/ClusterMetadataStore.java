package io.brook.broker.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.Uuid;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.metadata.cluster.MetadataCommandApplier;

/**
 * A test double of the cluster metadata for several in-JVM brokers: one image with broker registrations and
 * partition registrations, changed only by cluster commands applied with the real {@link MetadataCommandApplier}
 * (AlterPartition included) or by a test's direct {@link #edit}. Like the Ratis store, changes are applied on one
 * mutating thread, which also calls the listeners; {@link #submit} completes after them.
 *
 * <p>Each broker gets its own {@link #view(int)}: its listeners stop being called once that broker closes its view,
 * so a stopped broker is never told about later changes. Thread-safe.
 */
public final class ClusterMetadataStore implements AutoCloseable {

    private final ExecutorService applier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-metadata-applier");
        t.setDaemon(true);
        return t;
    });
    private final List<View> views = new CopyOnWriteArrayList<>();
    private final List<MetadataCommand> commands = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private long nextIndex = 1;
    private long nextProducerIdBlock;

    public MetadataImage image() {
        return image;
    }

    /** Applies a command on the mutating thread; completes with its reply once listeners have seen the result. */
    public CompletableFuture<CommandReply> submit(MetadataCommand command) {
        commands.add(command);
        return CompletableFuture.supplyAsync(() -> {
            MetadataCommandApplier.Applied applied = MetadataCommandApplier.apply(image, nextIndex++, command);
            publish(applied.image());
            return applied.reply();
        }, applier);
    }

    /** Runs a command and waits for it; a refused command throws. */
    public CommandReply run(MetadataCommand command) {
        CommandReply reply = submit(command).orTimeout(10, TimeUnit.SECONDS).join();
        if (reply instanceof CommandReply.Failed failed) {
            throw failed.error().exception(failed.message());
        }
        return reply;
    }

    /** Every command submitted so far (tests check which AlterPartition calls were made). */
    public List<MetadataCommand> commands() {
        return List.copyOf(commands);
    }

    /** Replaces the image with {@code change(image)} on the mutating thread, as a controller decision would. */
    public void edit(UnaryOperator<MetadataImage> change) {
        CompletableFuture.runAsync(() -> publish(change.apply(image)), applier).orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /** Sets one partition's registration (e.g. a new leader and leader epoch). */
    public void setPartition(String topic, int partition, UnaryOperator<PartitionRegistration> change) {
        edit(current -> {
            TopicImage t = current.topic(topic).orElseThrow();
            Map<Integer, PartitionRegistration> partitions = new HashMap<>(t.partitions());
            partitions.put(partition, change.apply(partitions.get(partition)));
            TopicImage changed = new TopicImage(t.name(), t.id(), t.partitionCount(), t.replicationFactor(),
                    t.configs(), partitions);
            Map<String, TopicImage> byName = new HashMap<>(current.topicsByName());
            byName.put(topic, changed);
            Map<Uuid, TopicImage> byId = new HashMap<>(current.topicsById());
            byId.put(t.id(), changed);
            return new MetadataImage(byName, byId, current.brokerConfigs(), current.brokers(),
                    current.nextProducerId(), current.voters());
        });
    }

    public PartitionRegistration partition(String topic, int partition) {
        return image.topic(topic).flatMap(t -> t.partition(partition)).orElseThrow();
    }

    private void publish(MetadataImage next) {
        MetadataImage previous = image;
        if (next == previous) {
            return;
        }
        image = next;
        for (View view : views) {
            view.notifyListeners(previous, next);
        }
    }

    /** The store as broker {@code nodeId} sees it. */
    public MetadataStore view(int nodeId) {
        View view = new View();
        views.add(view);
        return view;
    }

    @Override
    public void close() {
        applier.shutdownNow();
    }

    private final class View implements MetadataStore {
        private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        void notifyListeners(MetadataImage previous, MetadataImage current) {
            if (!closed) {
                listeners.forEach(l -> l.onChange(previous, current));
            }
        }

        @Override
        public MetadataImage image() {
            return image;
        }

        @Override
        public TopicImage createTopic(String name, int partitions, short replicationFactor,
                Map<String, String> configs) {
            run(new MetadataCommand.CreateTopics(List.of(new MetadataCommand.NewTopic(name, Uuid.randomUuid(),
                    partitions, replicationFactor, null, configs)), 0));
            return image.topic(name).orElseThrow();
        }

        @Override
        public void validateCreateTopic(String name, int partitions, short replicationFactor,
                Map<String, String> configs) {
        }

        @Override
        public void deleteTopic(Uuid topicId) {
            run(new MetadataCommand.DeleteTopics(List.of(topicId)));
        }

        @Override
        public void createPartitions(String topicName, int totalCount, boolean validateOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void alterTopicConfigs(String topicName, Map<String, Optional<String>> changes, boolean replaceAll,
                boolean validateOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void alterBrokerConfigs(Map<String, Optional<String>> changes, boolean replaceAll,
                boolean validateOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long allocateProducerIds(int count) {
            synchronized (ClusterMetadataStore.this) {
                long first = nextProducerIdBlock;
                nextProducerIdBlock += count;
                return first;
            }
        }

        @Override
        public CompletableFuture<CommandReply> submit(MetadataCommand command) {
            return ClusterMetadataStore.this.submit(command);
        }

        @Override
        public void addListener(MetadataListener listener) {
            listeners.add(listener);
        }

        @Override
        public void close() {
            closed = true;
            views.remove(this);
        }
    }
}
