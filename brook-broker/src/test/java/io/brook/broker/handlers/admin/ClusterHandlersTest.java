package io.brook.broker.handlers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopicCollection;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterHandlersTest {

    @RegisterExtension
    final AdminTestContext node = new AdminTestContext();

    static List<Short> clusterVersions() {
        return ApiKeys.DESCRIBE_CLUSTER.allVersions();
    }

    static List<Short> logDirsVersions() {
        return ApiKeys.DESCRIBE_LOG_DIRS.allVersions();
    }

    @ParameterizedTest
    @MethodSource("clusterVersions")
    void shouldDescribeThisNodeAsTheWholeCluster(short version) throws Exception {
        DescribeClusterResponse response = node.call(new DescribeClusterRequest.Builder(
                new DescribeClusterRequestData()).build(version));

        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().clusterId()).isEqualTo("test-cluster");
        assertThat(response.data().controllerId()).isEqualTo(AdminTestContext.NODE_ID);
        assertThat(response.data().clusterAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
        DescribeClusterBroker broker = response.data().brokers().find(AdminTestContext.NODE_ID);
        assertThat(broker.host()).isEqualTo("localhost");
        assertThat(broker.port()).isEqualTo(9092);
    }

    @Test
    void shouldReportAuthorizedOperationsWhenAsked() throws Exception {
        DescribeClusterResponse response = node.call(new DescribeClusterRequest.Builder(
                new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true))
                .build(ApiKeys.DESCRIBE_CLUSTER.latestVersion()));

        assertThat(response.data().clusterAuthorizedOperations()).isPositive();
    }

    @Test
    void shouldRefuseControllerEndpointTypeOnBrokerListener() throws Exception {
        DescribeClusterResponse response = node.call(new DescribeClusterRequest.Builder(
                new DescribeClusterRequestData().setEndpointType((byte) 2)).build((short) 1));

        assertThat(response.data().errorCode()).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code());
        assertThat(response.data().brokers()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("logDirsVersions")
    void shouldDescribeEveryPartitionOfEveryLogDir(short version) throws Exception {
        node.logManager.add(new TopicPartition("t", 0), node.dir().toString(), 100);
        node.logManager.add(new TopicPartition("t", 1), node.dir().toString(), 200);
        node.logManager.add(new TopicPartition("u", 0), node.dir().toString(), 300);

        DescribeLogDirsResponse response = node.call(new DescribeLogDirsRequest.Builder(
                new DescribeLogDirsRequestData().setTopics(null)).build(version));

        DescribeLogDirsResult result = response.data().results().get(0);
        assertThat(result.logDir()).isEqualTo(node.dir().toString());
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.topics()).extracting(t -> t.name()).containsExactly("t", "u");
        assertThat(result.topics().get(0).partitions()).extracting(DescribeLogDirsPartition::partitionSize)
                .containsExactly(100L, 200L);
        if (version >= 4) {
            assertThat(result.totalBytes()).isPositive();
            assertThat(result.usableBytes()).isPositive();
        }
    }

    @Test
    void shouldFilterPartitionsByRequestedTopics() throws Exception {
        node.logManager.add(new TopicPartition("t", 0), node.dir().toString(), 100);
        node.logManager.add(new TopicPartition("t", 1), node.dir().toString(), 200);
        node.logManager.add(new TopicPartition("u", 0), node.dir().toString(), 300);
        DescribableLogDirTopicCollection topics = new DescribableLogDirTopicCollection();
        topics.add(new DescribableLogDirTopic().setTopic("t").setPartitions(List.of(1)));

        DescribeLogDirsResponse response = node.call(new DescribeLogDirsRequest.Builder(
                new DescribeLogDirsRequestData().setTopics(topics)).build(ApiKeys.DESCRIBE_LOG_DIRS.latestVersion()));

        DescribeLogDirsResult result = response.data().results().get(0);
        assertThat(result.topics()).hasSize(1);
        assertThat(result.topics().get(0).partitions()).extracting(DescribeLogDirsPartition::partitionIndex)
                .containsExactly(1);
    }

    @ParameterizedTest
    @MethodSource("logDirsVersions")
    void shouldAnswerKafkaStorageErrorForAnOfflineLogDir(short version) throws Exception {
        node.logManager.add(new TopicPartition("t", 0), node.dir().toString(), 100);
        node.logManager.takeOffline(node.dir().toString());

        DescribeLogDirsResponse response = node.call(new DescribeLogDirsRequest.Builder(
                new DescribeLogDirsRequestData().setTopics(null)).build(version));

        DescribeLogDirsResult result = response.data().results().get(0);
        assertThat(result.logDir()).isEqualTo(node.dir().toString());
        assertThat(result.errorCode()).isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());
        assertThat(result.topics()).isEmpty();
    }
}
