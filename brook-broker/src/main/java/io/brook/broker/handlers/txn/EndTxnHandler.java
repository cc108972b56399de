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
 * EndTxn v0-4 (transaction version 1): commits or aborts the producer's transaction. Answered once the
 * PrepareCommit/PrepareAbort is committed; the markers and the Complete state follow in the background, and the
 * producer's next transaction waits for them (CONCURRENT_TRANSACTIONS). v5 (transaction version 2, an epoch bump per
 * transaction) is not advertised yet. Runs on the event loop.
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
    public short maxVersion() {
        return EndTxnRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, EndTxnRequest request) {
        return coordinator.endTransaction(request.data().transactionalId(), request.data().producerId(),
                request.data().producerEpoch(), request.result())
                .thenApply(error -> new EndTxnResponse(new EndTxnResponseData().setErrorCode(error.code())));
    }
}
