package io.brook.broker.handlers.txn;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.txn.TransactionCoordinator;

/**
 * EndTxn: commits or aborts the producer's transaction. Answered once the PrepareCommit/PrepareAbort is committed;
 * the markers and the Complete state follow in the background, and the producer's next transaction waits for them
 * (CONCURRENT_TRANSACTIONS). v0-4 are transaction version 1; v5 is transaction version 2 (KIP-890: an epoch bump at
 * every EndTxn, answered with the producer id and epoch to go on with), which clients use only once
 * {@code transaction.version} 2 is finalized. Runs on the event loop.
 */
final class EndTxnHandler implements ApiHandler<EndTxnRequest> {

    private final TransactionCoordinator coordinator;

    EndTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, EndTxnRequest request) {
        if (context.apiVersion() > EndTxnRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2) {
            return coordinator.endTransactionV2(request.data().transactionalId(), request.data().producerId(),
                    request.data().producerEpoch(), request.result())
                    .thenApply(r -> new EndTxnResponse(new EndTxnResponseData().setErrorCode(r.error().code())
                            .setProducerId(r.producerId()).setProducerEpoch(r.producerEpoch())));
        }
        return coordinator.endTransaction(request.data().transactionalId(), request.data().producerId(),
                request.data().producerEpoch(), request.result())
                .thenApply(error -> new EndTxnResponse(new EndTxnResponseData().setErrorCode(error.code())));
    }
}
