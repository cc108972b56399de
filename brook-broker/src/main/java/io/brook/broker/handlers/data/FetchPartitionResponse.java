package io.brook.broker.handlers.data;

import org.apache.kafka.common.message.FetchResponseData;

/**
 * One partition's part of a fetch response.
 *
 * @param key the partition as the request named it
 * @param data the response fields; its records are a file slice sent zero-copy, never copied
 */
public record FetchPartitionResponse(FetchPartitionKey key, FetchResponseData.PartitionData data) {

    public int recordsSize() {
        return data.records() == null ? 0 : data.records().sizeInBytes();
    }
}
