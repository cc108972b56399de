/**
 * The metadata quorum: a replicated log of commands on Apache Ratis 3.2.0 driving a {@link
 * io.brook.metadata.quorum.ReplicatedStateMachine}. Knows nothing of topics or brokers.
 *
 * <h2>Roles</h2> Voters ({@link io.brook.metadata.quorum.QuorumRole#VOTER}) are the static set of Kafka's
 * {@code controller.quorum.voters} ({@link io.brook.metadata.quorum.QuorumVoters}); they elect the leader and a command
 * commits once a majority holds it. Listeners ({@link io.brook.metadata.quorum.QuorumRole#LISTENER}, pure brokers)
 * follow the committed log and hold the same state but never vote; each asks the leader to add it to the Raft
 * configuration when it starts. A single node is one voter.
 *
 * <h2>Entry point</h2> {@link io.brook.metadata.quorum.MetadataQuorum}: {@code start()}, {@code ready()},
 * {@code submit(command)} (committed, then applied on this node too: read-your-writes), {@code queryLeader(request)},
 * leadership ({@code isLeader()}, {@code leaderId()}, {@code currentTerm()}, {@link
 * io.brook.metadata.quorum.LeadershipListener}), {@code status()} (this node's view), {@code leaderStatus()} (the leader's,
 * with every member's progress), {@code close()}. Requests that find no majority in
 * time fail with {@link io.brook.metadata.quorum.QuorumUnavailableException}; their outcome is unknown.
 *
 * <h2>Files</h2> Under {@link io.brook.metadata.quorum.QuorumConfig#storageDir()} Ratis keeps one group directory
 * with {@code current/} (term and vote in {@code raft-meta}, log segments {@code log_*}) and {@code sm/} (snapshots
 * {@code snapshot.<term>_<index>}, each a {@link io.brook.metadata.quorum.SnapshotFile} with a CRC32C, plus Ratis's
 * {@code .md5}).
 *
 * <h2>Durability</h2> An entry counts towards the commit only once fsynced on a majority, so an acknowledged command
 * survives the loss of any minority. Every {@code snapshotThreshold} entries a snapshot is written and fsynced, then
 * the log before it is purged; a lagging node is sent the snapshot. See {@link
 * io.brook.metadata.quorum.RatisSettings} for every Ratis setting and why.
 *
 * <h2>Timeouts</h2> {@link io.brook.metadata.quorum.QuorumConfig} takes Kafka's defaults: a follower that hears no
 * leader for 1 to 2 s ({@code electionTimeout}) calls a pre-vote and then an election; {@code submit} and
 * {@code queryLeader} give up after {@code requestTimeout} (2 s), retrying leader changes every 50 ms meanwhile. A
 * lone voter holds its first election after 5 to 10 ms, so a single node is ready in tens of milliseconds.
 *
 * <h2>Threading</h2> Ratis's state-machine updater thread alone calls {@code apply}, {@code snapshot} and
 * {@code restore}, in log order; {@code query} runs on an RPC thread. Futures and leadership callbacks complete on Ratis
 * or {@code brook-quorum-<id>} threads: never block in them.
 */
package io.brook.metadata.quorum;
