package io.brook.metadata.quorum;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic test state machine: each command is a key whose counter it increments, and the reply is the new
 * value. It also remembers every command in order, so tests can compare the order across nodes. A query returns
 * {@code <name>:<commands applied>}, so a test can tell which node answered.
 *
 * <p>Mutated only by the quorum's applying thread; tests read the published immutable copy.
 */
final class CountingStateMachine implements ReplicatedStateMachine {

    record Image(Map<String, Long> counts, List<String> history, long lastIndex) {
    }

    private final Map<String, Long> counts = new HashMap<>();
    private final List<String> history = new ArrayList<>();
    private long lastIndex = -1;
    private final String name;
    private volatile Image image = new Image(Map.of(), List.of(), -1);
    private volatile int restores;

    CountingStateMachine() {
        this("node");
    }

    CountingStateMachine(String name) {
        this.name = name;
    }

    static byte[] command(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static long value(byte[] reply) {
        return ByteBuffer.wrap(reply).getLong();
    }

    /** A command that makes {@link #apply} throw, as a buggy state machine would. */
    static final String BUG = "bug";

    /** A command whose apply takes {@code millis}, as creating the logs of many partitions does. */
    static byte[] slowCommand(long millis) {
        return command(SLOW + millis);
    }

    private static final String SLOW = "slow:";

    @Override
    public byte[] apply(long index, byte[] command) {
        String key = new String(command, StandardCharsets.UTF_8);
        if (key.equals(BUG)) {
            throw new IllegalStateException("a bug in the state machine");
        }
        if (key.startsWith(SLOW)) {
            simulateWork(Long.parseLong(key.substring(SLOW.length())));
        }
        long value = counts.merge(key, 1L, Long::sum);
        history.add(key);
        lastIndex = index;
        publish();
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static void simulateWork(long millis) {
        try {
            Thread.sleep(millis); // stands for work, not for waiting on a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(history.size());
            for (String key : history) {
                out.writeUTF(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void restore(byte[] snapshot) {
        counts.clear();
        history.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String key = in.readUTF();
                history.add(key);
                counts.merge(key, 1L, Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        restores++;
        publish();
    }

    @Override
    public byte[] query(byte[] request) {
        return (name + ":" + image.history().size()).getBytes(StandardCharsets.UTF_8);
    }

    private void publish() {
        image = new Image(Map.copyOf(counts), List.copyOf(history), lastIndex);
    }

    Image image() {
        return image;
    }

    long count(String key) {
        return image.counts().getOrDefault(key, 0L);
    }

    List<String> history() {
        return image.history();
    }

    int restores() {
        return restores;
    }
}
