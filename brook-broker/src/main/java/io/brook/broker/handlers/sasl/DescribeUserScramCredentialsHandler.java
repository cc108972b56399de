package io.brook.broker.handlers.sasl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.ScramUserCredential;

/**
 * DescribeUserScramCredentials from the metadata image: each user's mechanisms and iteration counts (never salts or
 * keys). No users named means every user; a user named twice gets DUPLICATE_RESOURCE, an unknown one
 * RESOURCE_NOT_FOUND, as in Kafka. Answered inline.
 */
final class DescribeUserScramCredentialsHandler implements ApiHandler<DescribeUserScramCredentialsRequest> {

    private final BrokerContext context;

    DescribeUserScramCredentialsHandler(BrokerContext context) {
        this.context = context;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext,
            DescribeUserScramCredentialsRequest request) {
        Map<String, Map<String, ScramUserCredential>> all = context.metadata().image().scramUsers();
        List<UserName> asked = request.data().users();
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        if (asked == null || asked.isEmpty()) {
            new TreeMap<>(all).forEach((user, credentials) -> response.results().add(found(user, credentials)));
            return CompletableFuture.completedFuture(new DescribeUserScramCredentialsResponse(response));
        }
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (UserName name : asked) {
            if (!seen.add(name.name())) {
                duplicates.add(name.name());
            }
        }
        Set<String> answered = new HashSet<>();
        for (UserName name : asked) {
            String user = name.name();
            if (!answered.add(user)) {
                continue;
            }
            if (duplicates.contains(user)) {
                response.results().add(error(user, Errors.DUPLICATE_RESOURCE,
                        "Cannot describe SCRAM credentials for the same user twice in a single request"));
            } else if (!all.containsKey(user)) {
                response.results().add(error(user, Errors.RESOURCE_NOT_FOUND,
                        "Attempt to describe a user credential that does not exist"));
            } else {
                response.results().add(found(user, all.get(user)));
            }
        }
        return CompletableFuture.completedFuture(new DescribeUserScramCredentialsResponse(response));
    }

    private static DescribeUserScramCredentialsResult found(String user,
            Map<String, ScramUserCredential> credentials) {
        List<CredentialInfo> infos = new ArrayList<>();
        new TreeMap<>(credentials).forEach((mechanism, credential) -> infos.add(new CredentialInfo()
                .setMechanism(ScramMechanism.fromMechanismName(mechanism).type())
                .setIterations(credential.iterations())));
        return new DescribeUserScramCredentialsResult().setUser(user).setCredentialInfos(infos);
    }

    private static DescribeUserScramCredentialsResult error(String user, Errors error, String message) {
        return new DescribeUserScramCredentialsResult().setUser(user).setErrorCode(error.code())
                .setErrorMessage(message);
    }
}
