package io.brook.broker.fuzz;

import java.nio.ByteBuffer;

import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Tells a request that is allowed to go unanswered for a while (a fetch whose {@code max_wait_ms} is longer than the
 * client waits: the broker parks it, as Kafka does) from a stall.
 *
 * <p>Stateless.
 */
final class LongPolls {

    private LongPolls() {
    }

    static boolean mayWaitLongerThan(byte[] frame, int millis) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(frame);
            RequestHeader header = RequestHeader.parse(buffer);
            AbstractRequest request = AbstractRequest.parseRequest(header.apiKey(), header.apiVersion(),
                    new ByteBufferAccessor(buffer)).request;
            return request instanceof FetchRequest fetch && fetch.data().maxWaitMs() > millis;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
