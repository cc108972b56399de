package io.brook.broker.handlers.admin;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.storage.PartitionLog;

/**
 * DescribeLogDirs: every log directory with the size of each partition in it (all partitions, or those the request
 * names), lag 0 (no replica moves between directories), and from v4 the file store's total and usable bytes. A
 * directory taken offline by an I/O error, or whose file store cannot be read, is answered with KAFKA_STORAGE_ERROR
 * and no topics, as Kafka answers an offline log dir. Answered inline.
 */
final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(DescribeLogDirsHandler.class);

    private final BrokerContext context;

    DescribeLogDirsHandler(BrokerContext context) {
        this.context = context;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext,
            DescribeLogDirsRequest request) {
        Map<String, Set<Integer>> wanted = wanted(request);
        Map<String, Map<String, DescribeLogDirsTopic>> topicsByDir = new TreeMap<>();
        for (String dir : context.logManager().logDirs()) {
            topicsByDir.put(dir, new TreeMap<>());
        }
        for (PartitionLog log : context.logManager().all()) {
            TopicPartition tp = log.topicPartition();
            if (wanted != null && !wanted.getOrDefault(tp.topic(), Set.of()).contains(tp.partition())) {
                continue;
            }
            context.logManager().logDirOf(tp).map(topicsByDir::get).ifPresent(topics -> topics
                    .computeIfAbsent(tp.topic(), name -> new DescribeLogDirsTopic().setName(name))
                    .partitions().add(new DescribeLogDirsPartition()
                            .setPartitionIndex(tp.partition())
                            .setPartitionSize(log.sizeInBytes())
                            .setOffsetLag(0)
                            .setIsFutureKey(false)));
        }
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code());
        Set<String> offline = context.logManager().offlineLogDirs();
        topicsByDir.forEach((dir, topics) -> response.results().add(offline.contains(dir)
                ? new DescribeLogDirsResult().setLogDir(dir).setErrorCode(Errors.KAFKA_STORAGE_ERROR.code())
                : describe(dir, topics)));
        return CompletableFuture.completedFuture(new DescribeLogDirsResponse(response));
    }

    private static DescribeLogDirsResult describe(String dir, Map<String, DescribeLogDirsTopic> topics) {
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir);
        try {
            FileStore store = Files.getFileStore(Path.of(dir));
            result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            LOG.warn("Cannot read the file store of log dir {}", dir, e);
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        topics.values().forEach(topic -> {
            topic.partitions().sort((a, b) -> Integer.compare(a.partitionIndex(), b.partitionIndex()));
            result.topics().add(topic);
        });
        return result.setErrorCode(Errors.NONE.code()).setIsCordoned(false);
    }

    /** Topic to partitions asked for, or null for all. */
    private static Map<String, Set<Integer>> wanted(DescribeLogDirsRequest request) {
        if (request.data().topics() == null) {
            return null;
        }
        Map<String, Set<Integer>> wanted = new TreeMap<>();
        for (DescribableLogDirTopic topic : request.data().topics()) {
            wanted.computeIfAbsent(topic.topic(), t -> new java.util.HashSet<>()).addAll(topic.partitions());
        }
        return wanted;
    }
}
