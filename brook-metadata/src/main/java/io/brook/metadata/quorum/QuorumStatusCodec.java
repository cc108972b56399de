package io.brook.metadata.quorum;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The bytes a {@link QuorumStatus} travels in from the leader to the node that asked for it ({@link
 * MetadataQuorum#leaderStatus()}). Stateless.
 *
 * <pre>
 *   version:int8 (1) | nodeId:int32 | role:int8 (ordinal) | leaderId:int32 (-1 none) | term:int64
 *   | commitIndex:int64 | lastAppliedIndex:int64 | voters:members | listeners:members
 *   members = count:int32, then per member id:int32 | address:UTF | matchIndex:int64 | commitIndex:int64
 *             | lastContactMs:int64
 * </pre>
 */
final class QuorumStatusCodec {

    private static final byte VERSION = 1;

    private QuorumStatusCodec() {
    }

    static byte[] encode(QuorumStatus status) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(status.nodeId());
            out.writeByte(status.role().ordinal());
            out.writeInt(status.leaderId().orElse(-1));
            out.writeLong(status.term());
            out.writeLong(status.commitIndex());
            out.writeLong(status.lastAppliedIndex());
            writeMembers(out, status.voters());
            writeMembers(out, status.listeners());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not an encoded status of a known version */
    static QuorumStatus decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown quorum status version " + version);
            }
            int nodeId = in.readInt();
            int roleOrdinal = in.readByte();
            QuorumRole[] roles = QuorumRole.values();
            if (roleOrdinal < 0 || roleOrdinal >= roles.length) {
                throw new IllegalArgumentException("unknown quorum role " + roleOrdinal);
            }
            int leader = in.readInt();
            long term = in.readLong();
            long commitIndex = in.readLong();
            long applied = in.readLong();
            List<QuorumStatus.Member> voters = readMembers(in);
            List<QuorumStatus.Member> listeners = readMembers(in);
            if (in.available() != 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after a quorum status");
            }
            return new QuorumStatus(nodeId, roles[roleOrdinal],
                    leader < 0 ? OptionalInt.empty() : OptionalInt.of(leader),
                    term, commitIndex, applied, voters, listeners);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated quorum status", e);
        }
    }

    private static void writeMembers(DataOutputStream out, List<QuorumStatus.Member> members) throws IOException {
        out.writeInt(members.size());
        for (QuorumStatus.Member member : members) {
            out.writeInt(member.id());
            out.writeUTF(member.address());
            out.writeLong(member.matchIndex());
            out.writeLong(member.commitIndex());
            out.writeLong(member.lastContactMs());
        }
    }

    private static List<QuorumStatus.Member> readMembers(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 100_000) {
            throw new IllegalArgumentException("implausible member count " + count);
        }
        List<QuorumStatus.Member> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(new QuorumStatus.Member(in.readInt(), in.readUTF(), in.readLong(), in.readLong(),
                    in.readLong()));
        }
        return members;
    }
}
