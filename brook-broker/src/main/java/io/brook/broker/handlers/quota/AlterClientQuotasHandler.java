package io.brook.broker.handlers.quota;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntityData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;
import org.apache.kafka.common.requests.AlterClientQuotasResponse;
import org.apache.kafka.common.requests.ApiError;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.cluster.ClientQuotaControl;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;

/**
 * AlterClientQuotas: validates each entry as Kafka's controller does ({@link ClientQuotaControl#validate}, plus an
 * entity naming a type twice), answers INVALID_REQUEST per refused entity, and submits the valid ones as one
 * {@link MetadataCommand.AlterClientQuotas}, answering once it is applied; with {@code validate_only} nothing is
 * submitted. Never blocks.
 */
final class AlterClientQuotasHandler implements ApiHandler<AlterClientQuotasRequest> {

    private final MetadataStore metadata;

    AlterClientQuotasHandler(MetadataStore metadata) {
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AlterClientQuotasRequest request) {
        Map<ClientQuotaEntity, ApiError> results = new LinkedHashMap<>();
        List<MetadataCommand.QuotaAlteration> valid = new ArrayList<>();
        for (EntryData entry : request.data().entries()) {
            Map<String, String> entries = new HashMap<>();
            String error = null;
            for (EntityData entity : entry.entity()) {
                if (entries.containsKey(entity.entityType())) {
                    error = "Invalid client quota entity, duplicate entity entry " + entity.entityType();
                }
                entries.put(entity.entityType(), entity.entityName());
            }
            List<MetadataCommand.QuotaOp> ops = new ArrayList<>();
            for (OpData op : entry.ops()) {
                ops.add(new MetadataCommand.QuotaOp(op.key(), op.remove() ? null : op.value()));
            }
            io.brook.metadata.ClientQuotaEntity entity = new io.brook.metadata.ClientQuotaEntity(entries);
            if (error == null) {
                error = ClientQuotaControl.validate(entity, ops);
            }
            ClientQuotaEntity kafkaEntity = new ClientQuotaEntity(entries);
            if (error != null) {
                results.put(kafkaEntity, new ApiError(Errors.INVALID_REQUEST, error));
            } else {
                results.put(kafkaEntity, ApiError.NONE);
                valid.add(new MetadataCommand.QuotaAlteration(entity, ops));
            }
        }
        if (valid.isEmpty() || request.data().validateOnly()) {
            return CompletableFuture.completedFuture(AlterClientQuotasResponse.fromQuotaEntities(results, 0));
        }
        return metadata.submit(new MetadataCommand.AlterClientQuotas(valid)).thenApply(reply -> {
            if (reply instanceof CommandReply.Failed failed) {
                ApiError error = new ApiError(failed.error(), failed.message());
                results.replaceAll((entity, result) -> result.isFailure() ? result : error);
            }
            return AlterClientQuotasResponse.fromQuotaEntities(results, 0);
        });
    }
}
