package io.brook.broker.handlers.data;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;

import io.brook.broker.BrokerServices;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.txn.TransactionCoordinator;

/**
 * InitProducerId v0..5. Idempotent producers ({@code transactional_id} null) get a fresh producer id with epoch 0.
 *
 * <p>As in Kafka, an idempotent producer that passes its current producer id and epoch (KIP-360, after an
 * UNKNOWN_PRODUCER_ID or an epoch overflow) also gets a fresh id with epoch 0: without a transactional id there is no
 * state to fence, and the client bumps its idempotent epoch locally otherwise.
 *
 * <p>Transactional producers are answered by the {@link TransactionCoordinator} (registered by the transaction family,
 * looked up per request); without one they get COORDINATOR_NOT_AVAILABLE, the answer of a Kafka broker whose
 * transaction state is not available (a retriable error).
 *
 * <p>Runs on the event loop; once per block of ids it writes the metadata store.
 */
final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequest> {

    private final ProducerIdBlockAllocator allocator;
    private final BrokerServices services;

    InitProducerIdHandler(ProducerIdBlockAllocator allocator, BrokerServices services) {
        this.allocator = allocator;
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, InitProducerIdRequest request) {
        InitProducerIdRequestData data = request.data();
        if (data.transactionalId() != null) {
            return services.find(TransactionCoordinator.class)
                    .map(c -> c.initProducerId(data.transactionalId(), data.transactionTimeoutMs(),
                            data.producerId(), data.producerEpoch())
                            .<AbstractResponse>thenApply(
                                    r -> new InitProducerIdResponse(new InitProducerIdResponseData()
                                            .setErrorCode(r.error().code()).setProducerId(r.producerId())
                                            .setProducerEpoch(r.producerEpoch()))))
                    .orElseGet(() -> CompletableFuture.completedFuture(failed(Errors.COORDINATOR_NOT_AVAILABLE)));
        }
        try {
            long producerId = allocator.nextProducerId();
            return CompletableFuture.completedFuture(new InitProducerIdResponse(new InitProducerIdResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setProducerId(producerId)
                    .setProducerEpoch((short) 0)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    failed(DataPathErrors.forException(e, "producer id allocation")));
        }
    }

    private static InitProducerIdResponse failed(Errors error) {
        return new InitProducerIdResponse(new InitProducerIdResponseData()
                .setErrorCode(error.code())
                .setProducerId(RecordBatch.NO_PRODUCER_ID)
                .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH));
    }
}
