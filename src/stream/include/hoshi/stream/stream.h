// SPDX-License-Identifier: Apache-2.0
// The event stream between `hoshitori serve` (publisher) and `hoshitori worker` (consumer): the
// message types, the partitioning rule and the backend-neutral interfaces. The two backends are
// MemoryQueue (memory_queue.h, one process) and JetStream (jetstream.h, NATS JetStream).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/i18n.h"
#include "hoshi/core/result.h"

namespace hoshi::stream {

/// Longest accepted Message::organization_id (bytes).
inline constexpr std::size_t kMaxOrganizationIdLength = 64;
/// Longest accepted Message::id (bytes).
inline constexpr std::size_t kMaxMessageIdLength = 128;
/// Longest accepted Message::kind (bytes).
inline constexpr std::size_t kMaxKindLength = 64;

/// One unit of work on the stream (typically one telemetry batch of one organisation).
struct Message {
  /// The partition key: 1–64 characters of [A-Za-z0-9_-]. All messages of one organisation go to
  /// the same partition, so they are delivered in publish order relative to each other (until a
  /// redelivery, see Consumer).
  std::string organization_id;
  /// Unique per message (e.g. the batch id): 1–128 printable ASCII characters without spaces
  /// (0x21–0x7E). It is the de-duplication key (the NATS `Nats-Msg-Id` header): a second message
  /// with the same id published within the duplicate window is dropped, and consumers use it to
  /// make their processing idempotent.
  std::string id;
  /// What the payload is, e.g. "telemetry.batch": 1–64 characters of [A-Za-z0-9._-].
  std::string kind;
  /// Arbitrary bytes (binary-safe; may be gzip). Not interpreted by the stream.
  std::string payload;

  bool operator==(const Message&) const = default;
};

/// Backend state carried by a Delivery until it is settled (for JetStream it owns the received
/// natsMsg*; for MemoryQueue it names the queue entry). Opaque: only the Consumer that produced
/// it looks inside. Destroying it without Ack/Nak leaves the message unacknowledged, so it is
/// redelivered (after the ack wait, or at once for MemoryQueue when its consumer goes away).
class DeliveryHandle {
 public:
  virtual ~DeliveryHandle();
  DeliveryHandle(const DeliveryHandle&) = delete;
  DeliveryHandle& operator=(const DeliveryHandle&) = delete;
  DeliveryHandle(DeliveryHandle&&) = delete;
  DeliveryHandle& operator=(DeliveryHandle&&) = delete;

 protected:
  DeliveryHandle() = default;
};

/// One delivery of a Message to a Consumer. Move-only. Settle it exactly once with Consumer::Ack
/// or Consumer::Nak; Consumer::InProgress may be called any number of times before that.
struct Delivery {
  Message message;
  /// 1 on the first delivery, incremented on every redelivery of the same stored message.
  std::uint64_t delivery_count = 0;
  /// The position of the message in the stream (JetStream stream sequence; MemoryQueue publish
  /// sequence). Increases with publish order; unique per stored message, stable across
  /// redeliveries.
  std::uint64_t stream_sequence = 0;
  /// PartitionOf(message.organization_id, partitions).
  std::uint32_t partition = 0;
  /// Backend state; null once the delivery was settled (acked or nacked).
  std::unique_ptr<DeliveryHandle> handle;

  /// True once Ack or Nak succeeded (the handle has been released).
  [[nodiscard]] bool settled() const { return handle == nullptr; }
};

/// The partition of an organisation: FNV-1a (32-bit: offset basis 2166136261, prime 16777619)
/// over the bytes of `organization_id`, modulo `partitions`. Stable across versions, platforms
/// and processes (it decides which durable consumer owns an organisation's backlog). Returns 0
/// when `partitions` is 0. Pure function; thread-safe.
[[nodiscard]] std::uint32_t PartitionOf(std::string_view organization_id, std::uint32_t partitions);

/// The FNV-1a 32-bit hash used by PartitionOf. Pure function; thread-safe.
[[nodiscard]] std::uint32_t Fnv1a32(std::string_view bytes);

/// Whether `organization_id` is 1–64 characters of [A-Za-z0-9_-].
[[nodiscard]] bool IsValidOrganizationId(std::string_view organization_id);

/// Checks the fields of a message before it is published (see Message for the rules). Returns
/// kInvalidArgument with reason "stream.invalid_organization_id", "stream.invalid_message_id" or
/// "stream.invalid_kind". The payload is not checked here (backends check its size).
[[nodiscard]] Status ValidateMessage(const Message& message);

/// Sends messages to the stream.
///
/// Thread-safety: implementations are thread-safe; Publish may be called concurrently.
class Publisher {
 public:
  virtual ~Publisher() = default;

  /// Stores `message` on the stream. Returns OK once the message is stored (durably, for
  /// JetStream) or was recognised as a duplicate of a message with the same id published within
  /// the duplicate window (then it is dropped and OK is returned: publishing is idempotent on
  /// Message::id, so a publisher that is unsure whether a publish went through simply retries).
  /// Errors: kInvalidArgument (ValidateMessage), kTooLarge (payload over the backend's limit),
  /// kUnavailable (queue full, stream closed, server unreachable or timed out — retry later).
  [[nodiscard]] virtual Status Publish(const Message& message) = 0;
};

/// Receives messages from a set of partitions. Delivery is at-least-once: a message is
/// redelivered (delivery_count + 1) when it is nacked, when it is not acked within the ack wait,
/// or when its consumer goes away without acking. A consumer must therefore make its processing
/// idempotent on Message::id and ack only after the effects of the message are committed.
///
/// Thread-safety: Fetch must not be called concurrently on the same Consumer (use one Consumer
/// per worker thread; several consumers may share partitions, and then each message goes to one
/// of them). Ack, Nak and InProgress may be called from any thread, also while a Fetch is
/// running, as long as each Delivery is used by one thread at a time. A Delivery may outlive the
/// Consumer that fetched it (and the Broker); it can then be settled through any other Consumer
/// of the same broker (MemoryQueue) or of the same stream (JetStream).
class Consumer {
 public:
  virtual ~Consumer() = default;

  /// Returns up to `max` deliveries, waiting up to `wait` for the first one; an empty vector when
  /// nothing arrived in time (or the stream was closed). Partitions are served round-robin
  /// (successive calls start at successive partitions, and a call takes a fair share from each),
  /// so a busy partition never starves the others. Within one partition, messages come in
  /// stream_sequence order (a redelivered message may come after later ones).
  /// Errors: kInvalidArgument (`max` is 0), kUnavailable (server unreachable).
  [[nodiscard]] virtual Result<std::vector<Delivery>> Fetch(std::size_t max,
                                                            std::chrono::milliseconds wait) = 0;

  /// Acknowledges the delivery: the message is done and will not be delivered again. Returns OK
  /// only once the backend recorded it (JetStream: a synchronous ack confirmed by the server).
  /// Acking a message that was meanwhile redelivered to someone else still acks it (like
  /// JetStream). On success the delivery becomes settled().
  /// Errors: kFailedPrecondition (already settled), kInvalidArgument (delivery from another
  /// backend or another MemoryQueue), kUnavailable (the server did not confirm, or the
  /// MemoryQueue was closed; the message may be redelivered).
  [[nodiscard]] virtual Status Ack(Delivery& delivery) = 0;

  /// Negative acknowledgement: the message is redelivered soon (to this or another consumer of
  /// the partition) with delivery_count + 1. On success the delivery becomes settled().
  /// Errors: as Ack.
  [[nodiscard]] virtual Status Nak(Delivery& delivery) = 0;

  /// Extends the ack deadline of the delivery by a full ack wait (call it periodically during
  /// long work). The delivery stays unsettled. A no-op if the message was already redelivered.
  /// Errors: as Ack.
  [[nodiscard]] virtual Status InProgress(Delivery& delivery) = 0;
};

/// The backlog of one partition.
struct PartitionBacklog {
  std::uint32_t partition = 0;
  /// Stored and not yet delivered (including messages waiting for redelivery, for MemoryQueue).
  std::uint64_t pending = 0;
  /// Delivered and not yet acknowledged.
  std::uint64_t ack_pending = 0;

  bool operator==(const PartitionBacklog&) const = default;
};

/// A stream backend: a Publisher that also opens Consumers. `serve` and `worker` are written
/// against this interface so the embedded (MemoryQueue) and scale-out (JetStream) modes share
/// their code.
///
/// Thread-safety: implementations are thread-safe.
class Broker : public Publisher {
 public:
  /// The number of partitions (fixed for the broker's lifetime).
  [[nodiscard]] virtual std::uint32_t partitions() const = 0;

  /// Opens a consumer of the given partitions (each in [0, partitions()); duplicates are
  /// ignored; an empty list means all partitions). Several consumers may be open on the same
  /// partition: each message then goes to one of them.
  /// Errors: kInvalidArgument (partition out of range), kUnavailable (closed / unreachable),
  /// kFailedPrecondition (the server refused the consumer configuration).
  [[nodiscard]] virtual Result<std::unique_ptr<Consumer>> OpenConsumer(
      std::vector<std::uint32_t> partitions) = 0;

  /// The backlog of `partition` (for progress reports and metrics).
  /// Errors: kInvalidArgument (partition out of range), kUnavailable.
  [[nodiscard]] virtual Result<PartitionBacklog> Backlog(std::uint32_t partition) = 0;
};

/// The stream module's user-facing messages ("stream.*") in Japanese and English. They never
/// contain credentials, payloads or library text (those go to Error::detail(), credentials not
/// even there). The table is static and immutable; safe to use from any thread.
[[nodiscard]] std::span<const MessageEntry> StreamMessages();

}  // namespace hoshi::stream
