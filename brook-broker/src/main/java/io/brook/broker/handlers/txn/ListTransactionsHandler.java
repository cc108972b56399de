package io.brook.broker.handlers.txn;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.utils.Time;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.txn.TransactionCoordinator;
import io.brook.broker.txn.TransactionMetadata;
import io.brook.broker.txn.TransactionState;

/**
 * ListTransactions: the transactions this node coordinates, filtered as Kafka filters them (states, producer ids, v1
 * running longer than a duration, v2 a transactional id regular expression). Unknown state names are echoed back in
 * {@code unknown_state_filters} and filter nothing, as in Kafka. Runs on the event loop.
 */
final class ListTransactionsHandler implements ApiHandler<ListTransactionsRequest> {

    private final TransactionCoordinator coordinator;
    private final Time time;

    ListTransactionsHandler(TransactionCoordinator coordinator, Time time) {
        this.coordinator = coordinator;
        this.time = time;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ListTransactionsRequest request) {
        ListTransactionsRequestData data = request.data();
        Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
        List<String> unknownStates = new ArrayList<>();
        for (String name : data.stateFilters()) {
            Optional<TransactionState> state = TransactionState.fromDisplayName(name);
            state.ifPresentOrElse(states::add, () -> unknownStates.add(name));
        }
        Set<Long> producerIds = new HashSet<>(data.producerIdFilters());
        Pattern pattern;
        try {
            pattern = data.transactionalIdPattern() == null || data.transactionalIdPattern().isEmpty()
                    ? null
                    : Pattern.compile(data.transactionalIdPattern());
        } catch (PatternSyntaxException e) {
            return CompletableFuture.completedFuture(new ListTransactionsResponse(new ListTransactionsResponseData()
                    .setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code())));
        }
        long duration = data.durationFilter();
        return coordinator.list().thenApply(listing -> {
            long now = time.milliseconds();
            List<ListTransactionsResponseData.TransactionState> matching = new ArrayList<>();
            for (TransactionMetadata m : listing.transactions()) {
                boolean include = (producerIds.isEmpty() || producerIds.contains(m.producerId()))
                        && (states.isEmpty() || states.contains(m.state()))
                        && (duration < 0 || now - m.startTimestamp() > duration)
                        && (pattern == null || pattern.matcher(m.transactionalId()).matches());
                if (include) {
                    matching.add(new ListTransactionsResponseData.TransactionState()
                            .setTransactionalId(m.transactionalId()).setProducerId(m.producerId())
                            .setTransactionState(m.state().displayName()));
                }
            }
            return new ListTransactionsResponse(new ListTransactionsResponseData()
                    .setErrorCode(listing.error().code()).setUnknownStateFilters(unknownStates)
                    .setTransactionStates(matching));
        });
    }
}
