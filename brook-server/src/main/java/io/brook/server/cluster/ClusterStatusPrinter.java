package io.brook.server.cluster;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brook.server.cli.Table;

/** Prints a {@link ClusterStatus} as tables for people or as JSON for scripts. Stateless. */
public final class ClusterStatusPrinter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ClusterStatusPrinter() {
    }

    /** A summary, then one table of brokers and one of quorum members; unknown values are {@code -}. */
    public static void table(ClusterStatus status, PrintWriter out) {
        ClusterStatus.Quorum quorum = status.quorum();
        out.println("Cluster id:      " + status.clusterId());
        out.println("Controller:      " + known(status.controllerId()));
        out.println("Quorum leader:   " + known(quorum.leaderId()));
        out.println("Leader epoch:    " + quorum.leaderEpoch());
        out.println("High watermark:  " + quorum.highWatermark());
        out.println();
        List<List<String>> brokers = new ArrayList<>();
        brokers.add(List.of("ID", "HOST:PORT", "RACK", "CONTROLLER"));
        for (ClusterStatus.Broker b : status.brokers()) {
            brokers.add(List.of(Integer.toString(b.id()), hostPort(b.host(), b.port()), orDash(b.rack()),
                    orDash(b.quorumRole())));
        }
        printTable("Brokers", brokers, out);
        out.println();
        List<List<String>> members = new ArrayList<>();
        members.add(List.of("ID", "ROLE", "LOG END OFFSET", "LAG", "LAST FETCH", "LAST CAUGHT UP"));
        for (ClusterStatus.Member m : quorum.members()) {
            members.add(List.of(Integer.toString(m.id()), m.role(), known(m.logEndOffset()), known(m.lag()),
                    ago(m.lastFetchMsAgo()), ago(m.lastCaughtUpMsAgo())));
        }
        printTable("Metadata quorum", members, out);
        out.flush();
    }

    /** One JSON object; unknown numbers are -1 and a missing rack is null, as in Kafka's APIs. */
    public static void json(ClusterStatus status, PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("clusterId", status.clusterId());
        root.put("controllerId", status.controllerId());
        ArrayNode brokers = root.putArray("brokers");
        for (ClusterStatus.Broker b : status.brokers()) {
            brokers.addObject().put("id", b.id()).put("host", b.host()).put("port", b.port()).put("rack", b.rack())
                    .put("quorumRole", b.quorumRole());
        }
        ClusterStatus.Quorum q = status.quorum();
        ObjectNode quorum = root.putObject("quorum");
        quorum.put("leaderId", q.leaderId()).put("leaderEpoch", q.leaderEpoch()).put("highWatermark",
                q.highWatermark());
        ArrayNode voters = quorum.putArray("voters");
        ArrayNode observers = quorum.putArray("observers");
        for (ClusterStatus.Member m : q.members()) {
            (m.role().equals(ClusterStatus.Member.OBSERVER) ? observers : voters).addObject()
                    .put("id", m.id()).put("role", m.role()).put("logEndOffset", m.logEndOffset())
                    .put("lag", m.lag()).put("lastFetchMsAgo", m.lastFetchMsAgo())
                    .put("lastCaughtUpMsAgo", m.lastCaughtUpMsAgo());
        }
        try {
            out.println(JSON.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
        }
        out.flush();
    }

    private static void printTable(String title, List<List<String>> rows, PrintWriter out) {
        out.println(title);
        Table.printAligned(rows, out);
    }

    private static String hostPort(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    private static String known(long value) {
        return value < 0 ? "-" : Long.toString(value);
    }

    private static String ago(long ms) {
        return ms < 0 ? "-" : ms + " ms ago";
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
