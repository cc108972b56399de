package io.brook.it.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one of Kafka's command-line tools (a main class from kafka-tools on the test classpath) in a child JVM, since
 * the tools call {@code Exit.exit} and keep static state. Stateless and thread-safe.
 */
public final class KafkaTool {

    public static final String TOPIC_COMMAND = "org.apache.kafka.tools.TopicCommand";
    public static final String CONSOLE_PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
    public static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    public static final String CLIENT_COMPATIBILITY_TEST = "org.apache.kafka.tools.ClientCompatibilityTest";
    public static final String VERIFIABLE_PRODUCER = "org.apache.kafka.tools.VerifiableProducer";
    public static final String CONSUMER_GROUP_COMMAND = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    public static final String REASSIGN_PARTITIONS = "org.apache.kafka.tools.reassign.ReassignPartitionsCommand";
    public static final String METADATA_QUORUM = "org.apache.kafka.tools.MetadataQuorumCommand";
    public static final String DELETE_RECORDS = "org.apache.kafka.tools.DeleteRecordsCommand";
    public static final String TRANSACTIONS = "org.apache.kafka.tools.TransactionsCommand";

    private KafkaTool() {
    }

    /** A command running {@code mainClass} with {@code args}; configure the timeout and stdin, then run it. */
    public static ExternalCommand command(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(TestClasspath.javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", TestClasspath.classpath(), mainClass));
        cmd.addAll(List.of(args));
        return ExternalCommand.of(cmd);
    }
}
