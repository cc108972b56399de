package io.brook.server.cli.io;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;

import io.brook.server.cli.CliCommand;
import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliErrors;
import io.brook.server.cli.CliException;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code brook consume TOPIC}: prints records until {@code --num} are read, nothing arrives for
 * {@code --timeout-ms}, or Ctrl-C (which stops cleanly: the consumer is woken, commits with a group, and closes).
 * Without {@code --group} it assigns itself every partition (or {@code --partition}) and commits nothing. The poll
 * loop runs on the calling thread; only the stop flag and {@code wakeup} are touched from the shutdown hook.
 */
@Command(name = "consume", description = "Print the records of a topic.")
public final class ConsumeCommand extends CliCommand {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final int METADATA_TIMEOUT_MS = 15_000;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to read.")
    private String topic;

    @Option(names = "--from-beginning", description = "Start at the earliest offset (default: only new records).")
    private boolean fromBeginning;

    @Option(names = {"-o", "--offset"}, paramLabel = "N", description = "Start at offset N in each partition read.")
    private Long offset;

    @Option(names = "--from-time", paramLabel = "ISO-8601|epoch-ms", description = "Start at the first record at or after this time.")
    private String fromTime;

    @Option(names = {"-p", "--partition"}, paramLabel = "P", description = "Read only this partition.")
    private Integer partition;

    @Option(names = {"-n", "--num"}, paramLabel = "N", description = "Stop after N records.")
    private Long num;

    @Option(names = {"-g",
            "--group"}, paramLabel = "G", description = "Consume as group G and commit its offsets (default: no group).")
    private String group;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", converter = FormatConverter.class, description = "text (the default) or json (one object per line).")
    private RecordFormatter.Format format;

    @Option(names = "--print-key", description = "Text format: print the key before the value.")
    private boolean printKey;

    @Option(names = "--print-headers", description = "Text format: print the headers.")
    private boolean printHeaders;

    @Option(names = "--print-timestamp", description = "Text format: print the timestamp.")
    private boolean printTimestamp;

    @Option(names = "--timeout-ms", paramLabel = "ms", description = "Stop when no record arrives for this long (default: wait for ever).")
    private Long idleTimeoutMs;

    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Records printed so far (the poll loop's thread only). */
    private long count;
    /** The next offset to read per partition, after what was printed: what a group commits. */
    private final Map<TopicPartition, OffsetAndMetadata> printed = new HashMap<>();

    public ConsumeCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int timeoutMs() {
        return METADATA_TIMEOUT_MS;
    }

    @Override
    protected int execute() throws Exception {
        StartPosition start = StartPosition.of(fromBeginning, offset, fromTime);
        if (num != null && num < 1) {
            throw CliException.usage("--num must be at least 1, got " + num);
        }
        RecordFormatter formatter = new RecordFormatter(format, printKey, printHeaders, printTimestamp);
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ConsumerConfig.CLIENT_ID_CONFIG, "brook-consume");
        defaults.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        defaults.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, METADATA_TIMEOUT_MS);
        defaults.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                start.kind() == StartPosition.Kind.BEGINNING ? "earliest" : "latest");
        // Commits are ours, of what was printed: auto-commit would also commit a batch cut short by --num.
        defaults.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (group != null) {
            defaults.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        CountDownLatch finished = new CountDownLatch(1);
        Consumer<byte[], byte[]> consumer = context.clients()
                .consumer(connection.clientConfig(context.env(), defaults));
        Thread hook = new Thread(() -> {
            stopping.set(true);
            consumer.wakeup();
            try {
                finished.await(CLOSE_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "brook-consume-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<TopicPartition> partitions = partitions(consumer);
            if (group != null && partition == null) {
                consumer.subscribe(List.of(topic), new SeekOnAssignment(consumer, start));
            } else {
                consumer.assign(partitions);
                seek(consumer, partitions, start);
            }
            poll(consumer, formatter);
        } catch (WakeupException e) {
            // Ctrl-C: stop quietly with what was printed
        } finally {
            out().flush();
            try {
                commitPrinted(consumer, true);
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(CLOSE_TIMEOUT));
                err().println("consumed " + count + " record" + (count == 1 ? "" : "s"));
                err().flush();
            } finally {
                // last: on Ctrl-C the JVM halts as soon as the hook, waiting for this, returns
                finished.countDown();
                removeHook(hook);
            }
        }
        return 0;
    }

    private void poll(Consumer<byte[], byte[]> consumer, RecordFormatter formatter) {
        Time time = Time.SYSTEM;
        long lastRecordMs = time.milliseconds();
        while (!stopping.get()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            for (ConsumerRecord<byte[], byte[]> record : records) {
                formatter.print(record, out());
                printed.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
                count++;
                if (num != null && count >= num) {
                    return;
                }
            }
            if (!records.isEmpty()) {
                out().flush();
                commitPrinted(consumer, false);
                lastRecordMs = time.milliseconds();
            } else if (idleTimeoutMs != null && time.milliseconds() - lastRecordMs >= idleTimeoutMs) {
                return;
            }
        }
    }

    private List<TopicPartition> partitions(Consumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic);
        } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
            throw CliErrors.unknownTopic(topic);
        }
        if (infos == null || infos.isEmpty()) {
            throw CliErrors.unknownTopic(topic);
        }
        if (partition != null) {
            if (infos.stream().noneMatch(p -> p.partition() == partition)) {
                throw new CliException("topic '" + topic + "' has no partition " + partition + " (it has "
                        + infos.size() + "); see: brook topic describe " + topic);
            }
            return List.of(new TopicPartition(topic, partition));
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** With a group, commits what was printed: asynchronously while reading, synchronously at the end. */
    private void commitPrinted(Consumer<byte[], byte[]> consumer, boolean last) {
        if (group == null || printed.isEmpty()) {
            return;
        }
        try {
            if (last) {
                try {
                    consumer.commitSync(new HashMap<>(printed));
                } catch (WakeupException e) {
                    // Ctrl-C came outside poll and left its wakeup pending: this second call is not interrupted
                    consumer.commitSync(new HashMap<>(printed));
                }
            } else {
                consumer.commitAsync(new HashMap<>(printed), null);
            }
        } catch (RuntimeException e) {
            err().println("could not commit the offsets of group '" + group + "': " + CliErrors.message(e));
        }
    }

    static void seek(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions, StartPosition start) {
        switch (start.kind()) {
            case BEGINNING -> consumer.seekToBeginning(partitions);
            case END -> consumer.seekToEnd(partitions);
            case OFFSET -> partitions.forEach(p -> consumer.seek(p, start.value()));
            case TIME -> {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(p -> query.put(p, start.value()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                for (TopicPartition p : partitions) {
                    OffsetAndTimestamp at = found.get(p);
                    if (at != null) {
                        consumer.seek(p, at.offset());
                    } else {
                        consumer.seekToEnd(List.of(p));
                    }
                }
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down (Ctrl-C): the hook is running and waits for us
        }
    }

    /** With a group, applies an explicit start (offset, time) to the partitions the group hands out. */
    private record SeekOnAssignment(Consumer<byte[], byte[]> consumer, StartPosition start)
            implements
                ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (start.kind() == StartPosition.Kind.OFFSET || start.kind() == StartPosition.Kind.TIME) {
                seek(consumer, partitions, start);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }
    }

    /** Case-insensitive {@code text}/{@code json}. */
    static final class FormatConverter implements ITypeConverter<RecordFormatter.Format> {
        @Override
        public RecordFormatter.Format convert(String value) {
            try {
                return RecordFormatter.Format.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a format: use text or json");
            }
        }
    }
}
