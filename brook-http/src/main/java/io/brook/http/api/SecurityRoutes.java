package io.brook.http.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

import io.brook.http.HttpReply;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;

/**
 * ACLs and SCRAM users, read-only. A broker without an authorizer answers {@code {"enabled": false}} rather than an
 * error, so the console can hide the page. Thread-safe.
 */
final class SecurityRoutes implements HttpRouteSource {

    private final ClientSource source;

    SecurityRoutes(ClientSource source) {
        this.source = source;
    }

    @Override
    public void addRoutes(HttpRoutes routes) {
        routes.get("/api/acls", ApiErrors.guard(call -> acls(source.forCall(call))));
        routes.get("/api/users", ApiErrors.guard(call -> users(source.forCall(call))));
    }

    private HttpReply acls(KafkaClients clients) throws Exception {
        try {
            List<Map<String, Object>> acls = new ArrayList<>();
            for (AclBinding binding : clients.await(clients.admin().describeAcls(AclBindingFilter.ANY).values())) {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("resourceType", binding.pattern().resourceType().name());
                view.put("resourceName", binding.pattern().name());
                view.put("patternType", binding.pattern().patternType().name());
                view.put("principal", binding.entry().principal());
                view.put("host", binding.entry().host());
                view.put("operation", binding.entry().operation().name());
                view.put("permission", binding.entry().permissionType().name());
                acls.add(view);
            }
            return HttpReply.json(200, Map.of("enabled", true, "acls", acls));
        } catch (SecurityDisabledException e) {
            return HttpReply.json(200, Map.of("enabled", false, "acls", List.of()));
        }
    }

    private HttpReply users(KafkaClients clients) throws Exception {
        try {
            List<Map<String, Object>> users = new ArrayList<>();
            Map<String, UserScramCredentialsDescription> all = clients
                    .await(clients.admin().describeUserScramCredentials().all());
            for (UserScramCredentialsDescription user : all.values().stream()
                    .sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
                List<Map<String, Object>> credentials = new ArrayList<>();
                for (ScramCredentialInfo info : user.credentialInfos()) {
                    credentials.add(Map.of("mechanism", info.mechanism().mechanismName(), "iterations",
                            info.iterations()));
                }
                users.add(Map.of("name", user.name(), "credentials", credentials));
            }
            return HttpReply.json(200, Map.of("enabled", true, "users", users));
        } catch (UnsupportedVersionException e) {
            return HttpReply.json(200, Map.of("enabled", false, "users", List.of()));
        }
    }
}
