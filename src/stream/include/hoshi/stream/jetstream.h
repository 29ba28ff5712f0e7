// SPDX-License-Identifier: Apache-2.0
// The scale-out stream: NATS JetStream through cnats (Debian's libnats-dev). `hoshitori serve`
// publishes, any number of `hoshitori worker` processes consume through durable pull consumers,
// one per partition.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/stream/stream.h"

namespace hoshi::stream {

/// Configuration of the JetStream backend. Every process (serve and all workers) must use the
/// same stream, subject_prefix, partitions and durable_prefix.
struct JetStreamOptions {
  /// Server URL(s), comma-separated; may carry credentials ("nats://user:pass@host:4222"), which
  /// never appear in messages or logs (see RedactUrl).
  std::string url = "nats://127.0.0.1:4222";
  /// The JetStream stream name (no '.', '*', '>', whitespace).
  std::string stream = "HOSHI_TELEMETRY";
  /// Subjects are "<subject_prefix>.<partition>.<organization_id>"; the stream captures
  /// "<subject_prefix>.>". Dot-separated tokens without wildcards or whitespace.
  std::string subject_prefix = "hoshi.telemetry";
  /// Number of partitions (1–1024). Changing it moves organisations between partitions; drain
  /// the stream first.
  std::uint32_t partitions = 8;
  /// Durable consumers are "<durable_prefix>-p<partition>" (no '.', '*', '>', whitespace).
  std::string durable_prefix = "hoshi-worker";
  /// A delivered message not acked (or extended with InProgress) within this time is redelivered.
  std::chrono::milliseconds ack_wait{30'000};
  /// Deliveries per message before the server gives up on it (-1: unlimited). A message that
  /// reaches it stays in the stream but is not delivered again.
  int max_deliver = -1;
  /// Bound on establishing the TCP connection and NATS handshake.
  std::chrono::milliseconds connect_timeout{2'000};
  /// Messages with an id already published within this window are stored once.
  std::chrono::seconds duplicate_window{120};
  /// Bound on each request to the server: publish acknowledgements, synchronous acks, stream and
  /// consumer management.
  std::chrono::milliseconds request_timeout{5'000};
};

/// `url` with any user information ("user:pass@", "token@") removed from each comma-separated
/// server URL, for messages and logs. "nats://u:p@h:4222,nats://h2" → "nats://h:4222,nats://h2".
/// Pure function; thread-safe.
[[nodiscard]] std::string RedactUrl(std::string_view url);

/// A connection to NATS JetStream that publishes to, and opens consumers on, one stream.
///
/// Layout on the server: stream `options.stream` with subjects "<subject_prefix>.>", file
/// storage, work-queue retention (a message is removed once acked), duplicate window
/// `options.duplicate_window`. A message of organisation `o` is published to
/// "<subject_prefix>.<PartitionOf(o, partitions)>.<o>" with headers `Nats-Msg-Id` (Message::id)
/// and `Hoshi-Kind` (Message::kind). Partition `i` is consumed through the durable pull consumer
/// "<durable_prefix>-p<i>" (filter "<subject_prefix>.<i>.>", explicit ack, ack_wait and
/// max_deliver from the options); every worker that opens partition `i` binds to that same
/// consumer, so each message goes to one of them.
///
/// The connection reconnects by itself after a server restart or network break; calls made
/// while it is down fail with kUnavailable (or, for Fetch, return empty) and can be retried.
///
/// Thread-safety: every method is thread-safe. Consumers and deliveries keep the connection
/// alive, so they may outlive the JetStream object.
class JetStream final : public Broker {
 public:
  /// Connects and creates the stream, or updates it to the options (duplicate window, subjects).
  /// Errors: kInvalidArgument (options), kUnavailable (no server answered at the URL — the
  /// message names the URL without credentials), kFailedPrecondition (authentication failed,
  /// JetStream not enabled on the server, or the stream exists with a configuration that cannot
  /// be updated).
  [[nodiscard]] static Result<std::unique_ptr<JetStream>> Connect(const JetStreamOptions& options);

  ~JetStream() override;
  JetStream(const JetStream&) = delete;
  JetStream& operator=(const JetStream&) = delete;
  JetStream(JetStream&&) = delete;
  JetStream& operator=(JetStream&&) = delete;

  /// Publishes synchronously: returns OK once the server stored the message (PubAck) or reported
  /// it as a duplicate within the window. Errors: kInvalidArgument (ValidateMessage), kTooLarge
  /// (headers + payload over the server's max_payload, reason "stream.message_too_large"),
  /// kUnavailable (not connected, no PubAck within request_timeout, the server could not store).
  [[nodiscard]] Status Publish(const Message& message) override;

  [[nodiscard]] std::uint32_t partitions() const override;

  /// Creates (or updates to the options) the durable consumer of each partition and binds a pull
  /// subscription to it. Fetch serves the partitions round-robin: it first takes a fair share of
  /// what is ready on each partition (a look at a partition with nothing ready costs up to 20 ms,
  /// so even Fetch(max, 0) may take up to `partitions × 20 ms`), and when nothing is ready, waits
  /// on one partition at a time in slices of at most 100 ms until `wait` is over, so a message on
  /// an idle partition is picked up within about `partitions × 100 ms`. Ack is synchronous
  /// (natsMsg_AckSync); Nak and InProgress are sent without waiting for a reply. While the server
  /// is unreachable, Fetch returns an empty vector after `wait` and Ack fails with kUnavailable.
  [[nodiscard]] Result<std::unique_ptr<Consumer>> OpenConsumer(
      std::vector<std::uint32_t> partitions) override;

  /// Pending (not yet delivered) and ack-pending counts of the partition's durable consumer, from
  /// one consumer-info request (the consumer is created if it does not exist yet).
  [[nodiscard]] Result<PartitionBacklog> Backlog(std::uint32_t partition) override;

  /// The largest message (headers + payload) the connected server accepts.
  [[nodiscard]] std::int64_t max_payload() const;

  /// The options the connection was made with.
  [[nodiscard]] const JetStreamOptions& options() const;

  /// Internal shared state (defined in jetstream.cc).
  struct State;

 private:
  explicit JetStream(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
};

}  // namespace hoshi::stream
