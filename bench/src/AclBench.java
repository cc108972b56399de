import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ACL figures for bench/acls, run the same way against both brokers.
 *
 * <pre>
 * grant BOOTSTRAP CONFIG USER PREFIX
 *     ALLOW User:USER to write, read and describe topics starting with PREFIX, and read groups starting with it.
 * fill BOOTSTRAP CONFIG COUNT
 *     COUNT more ACLs that never match the benchmark's user: nine in ten literal topic ACLs for other users, one in
 *     ten prefixed ones, in batches of 1,000. Prints "acls=N ms=T".
 * metadata BOOTSTRAP CONFIG TOPIC SECONDS INFLIGHT
 *     Admin describeTopics(TOPIC) (one Metadata request each) with INFLIGHT calls outstanding, for SECONDS after a
 *     two-second warm-up. Prints "requests=N seconds=S rps=R".
 * </pre>
 *
 * CONFIG is a client properties file (security settings), or "-" for none. Exit code 0 only on success.
 */
public final class AclBench {

    private AclBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("grant")) {
            grant(admin(args[1], args[2]), args[3], args[4]);
        } else if (args.length == 4 && args[0].equals("fill")) {
            fill(admin(args[1], args[2]), Integer.parseInt(args[3]));
        } else if (args.length == 6 && args[0].equals("metadata")) {
            metadata(admin(args[1], args[2]), args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        } else {
            System.err.println("usage: AclBench grant BOOTSTRAP CONFIG USER PREFIX\n"
                    + "       AclBench fill BOOTSTRAP CONFIG COUNT\n"
                    + "       AclBench metadata BOOTSTRAP CONFIG TOPIC SECONDS INFLIGHT");
            System.exit(2);
        }
    }

    private static Admin admin(String bootstrap, String configFile) throws IOException {
        Properties props = new Properties();
        if (!configFile.equals("-")) {
            try (InputStream in = new FileInputStream(configFile)) {
                props.load(in);
            }
        }
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 120_000);
        return Admin.create(props);
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private static void grant(Admin admin, String user, String prefix) throws Exception {
        try (admin) {
            String principal = "User:" + user;
            List<AclBinding> acls = new ArrayList<>();
            for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE,
                    AclOperation.CREATE)) {
                acls.add(allow(ResourceType.TOPIC, prefix, PatternType.PREFIXED, principal, op));
            }
            acls.add(allow(ResourceType.GROUP, prefix, PatternType.PREFIXED, principal, AclOperation.READ));
            admin.createAcls(acls).all().get(120, TimeUnit.SECONDS);
        }
    }

    private static void fill(Admin admin, int count) throws Exception {
        long start = System.nanoTime();
        try (admin) {
            List<AclBinding> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String principal = "User:other-" + (i % 500);
                if (i % 10 == 9) {
                    batch.add(allow(ResourceType.TOPIC, "team-" + i + "-", PatternType.PREFIXED, principal,
                            AclOperation.READ));
                } else {
                    batch.add(allow(ResourceType.TOPIC, "other-topic-" + i, PatternType.LITERAL, principal,
                            AclOperation.WRITE));
                }
                if (batch.size() == 1000 || i == count - 1) {
                    admin.createAcls(batch).all().get(120, TimeUnit.SECONDS);
                    batch.clear();
                }
            }
        }
        System.out.printf("acls=%d ms=%.0f%n", count, (System.nanoTime() - start) / 1e6);
    }

    private static void metadata(Admin admin, String topic, int seconds, int inflight) throws Exception {
        try (admin) {
            Semaphore slots = new Semaphore(inflight);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong completed = new AtomicLong();
            long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            long countedFrom = -1;
            long countedAtStart = 0;
            long end = warmUpEnd + TimeUnit.SECONDS.toNanos(seconds);
            while (failure.get() == null) {
                long now = System.nanoTime();
                if (countedFrom < 0 && now >= warmUpEnd) {
                    countedFrom = now;
                    countedAtStart = completed.get();
                }
                if (now >= end) {
                    break;
                }
                if (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                admin.describeTopics(List.of(topic)).allTopicNames().whenComplete((result, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        completed.incrementAndGet();
                    }
                    slots.release();
                });
            }
            slots.acquire(inflight);
            if (failure.get() != null) {
                throw new IllegalStateException("describeTopics failed", failure.get());
            }
            double elapsed = (System.nanoTime() - countedFrom) / 1e9;
            long requests = completed.get() - countedAtStart;
            System.out.printf("requests=%d seconds=%.1f rps=%.0f%n", requests, elapsed, requests / elapsed);
        }
    }
}
