package io.brook.server.cli.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.Time;

import io.brook.server.cli.CliCommand;
import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliErrors;
import io.brook.server.cli.CliException;
import io.brook.server.cli.KeyValue;
import io.brook.server.cli.Progress;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code brook produce TOPIC}: one record per line of stdin (or {@code --file}), the key split off at
 * {@code --key-separator}; a summary (records, and per partition the offsets written) on stderr. Exits 1 when any
 * send failed. Sends run on the producer's I/O thread; results are counted in {@link ProduceSummary}.
 */
@Command(name = "produce", description = "Produce one record per line of stdin (or --file) to a topic.")
public final class ProduceCommand extends CliCommand {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final int LINGER_MS = 5;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to write to.")
    private String topic;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the lines from FILE instead of stdin.")
    private Path file;

    @Option(names = {"-k",
            "--key-separator"}, paramLabel = "SEP", description = "Split each line into key SEP value (at the first SEP); lines without it have no key.")
    private String keySeparator;

    @Option(names = {"-H", "--header"}, paramLabel = "key=value", description = "A header on every record. Repeatable.")
    private List<String> headers = new ArrayList<>();

    @Option(names = {"-p",
            "--partition"}, paramLabel = "P", description = "Write to this partition (default: by key, else spread).")
    private Integer partition;

    @Option(names = "--acks", paramLabel = "all|1|0", defaultValue = "all", description = "Acknowledgements to wait for (default: ${DEFAULT-VALUE}).")
    private String acks;

    @Option(names = {"-z",
            "--compression"}, paramLabel = "TYPE", defaultValue = "none", description = "none, gzip, snappy, lz4 or zstd (default: ${DEFAULT-VALUE}).")
    private String compression;

    @Option(names = "--timeout-ms", paramLabel = "ms", defaultValue = "30000", description = "Give up on a record (or on the topic's metadata) after this long (default: ${DEFAULT-VALUE}).")
    private int timeoutMs;

    public ProduceCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int timeoutMs() {
        return timeoutMs;
    }

    @Override
    protected int execute() throws Exception {
        if (keySeparator != null && keySeparator.isEmpty()) {
            throw CliException.usage("--key-separator must not be empty");
        }
        List<RecordHeader> recordHeaders = new ArrayList<>();
        for (String header : headers) {
            KeyValue kv = KeyValue.parse(header, "--header");
            recordHeaders.add(new RecordHeader(kv.key(), kv.value().getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, Object> config = connection.clientConfig(context.env(), Map.of(
                ProducerConfig.ACKS_CONFIG, acks,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000),
                // the producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, Math.min(timeoutMs, 30_000) + LINGER_MS),
                ProducerConfig.LINGER_MS_CONFIG, LINGER_MS,
                ProducerConfig.CLIENT_ID_CONFIG, "brook-produce"));
        ProduceSummary summary = new ProduceSummary();
        Progress progress = new Progress(err(), context.interactive(), Time.SYSTEM);
        try (BufferedReader lines = open();
                Producer<byte[], byte[]> producer = context.clients().producer(config)) {
            try {
                String line;
                while ((line = lines.readLine()) != null) {
                    producer.send(record(line, recordHeaders), summary::onCompletion);
                    summary.sent();
                    progress.update(summary.sentCount() + " records sent");
                }
                producer.flush();
            } catch (TimeoutException e) {
                throw new CliException("cannot write to topic '" + topic + "': " + CliErrors.message(e)
                        + "; check that it exists with: brook topic list");
            } finally {
                producer.close(CLOSE_TIMEOUT);
                progress.done();
            }
        }
        summary.print(topic, err());
        err().flush();
        return summary.failedCount() > 0 ? CliException.FAILED : 0;
    }

    private ProducerRecord<byte[], byte[]> record(String line, List<RecordHeader> recordHeaders) {
        String key = null;
        String value = line;
        if (keySeparator != null) {
            int at = line.indexOf(keySeparator);
            if (at >= 0) {
                key = line.substring(0, at);
                value = line.substring(at + keySeparator.length());
            }
        }
        return new ProducerRecord<>(topic, partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), new ArrayList<>(recordHeaders));
    }

    private BufferedReader open() throws IOException {
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new CliException("cannot read --file " + file);
            }
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        }
        return new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8));
    }
}
