// SPDX-License-Identifier: Apache-2.0
// The embedded-mode stream: a bounded, partitioned, in-process queue with the same delivery
// semantics as the JetStream backend (explicit acks, redelivery, id-based de-duplication).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/stream/stream.h"

namespace hoshi::stream {

/// Configuration of a MemoryQueue.
struct MemoryQueueOptions {
  /// Number of partitions (1–1024).
  std::uint32_t partitions = 8;
  /// At most this many messages are held (ready + delivered-but-unacked). Publish beyond it
  /// fails with kUnavailable until consumers ack.
  std::size_t max_messages = 100'000;
  /// At most this many bytes are held (sum over held messages of payload + id + organization id
  /// + kind sizes). A single message larger than this fails with kTooLarge.
  std::size_t max_bytes = std::size_t{256} << 20U;
  /// A delivered message not acked (or extended with InProgress) within this time is redelivered.
  std::chrono::milliseconds ack_wait{30'000};
  /// A message is delivered at most this many times; when a delivery numbered max_deliver is
  /// nacked or expires, the message is dropped and counted in MemoryQueueStats::dropped.
  /// -1: unlimited.
  int max_deliver = -1;
  /// A message whose id was published within this window is dropped as a duplicate (Publish
  /// returns OK). At most kMaxDedupIds ids are remembered; beyond that the oldest are forgotten.
  std::chrono::milliseconds duplicate_window{std::chrono::seconds(120)};
};

/// Counters of a MemoryQueue since it was created.
struct MemoryQueueStats {
  std::uint64_t published = 0;    ///< messages stored by Publish (duplicates not included)
  std::uint64_t duplicates = 0;   ///< Publish calls dropped as duplicates
  std::uint64_t rejected = 0;     ///< Publish calls refused because the queue was full
  std::uint64_t delivered = 0;    ///< deliveries handed out by Fetch (redeliveries included)
  std::uint64_t acked = 0;        ///< messages removed by Ack
  std::uint64_t redelivered = 0;  ///< deliveries with delivery_count > 1
  std::uint64_t dropped = 0;      ///< messages dropped after max_deliver deliveries
  std::uint64_t pending = 0;      ///< messages held now, not yet delivered (or due again)
  std::uint64_t ack_pending = 0;  ///< messages held now, delivered and not yet acked
  std::uint64_t bytes = 0;        ///< bytes held now (as counted for max_bytes)
};

/// The in-process stream of the embedded mode (`hoshitori serve` publishing to worker threads of
/// the same process).
///
/// Semantics (the same as JetStream, so both backends behave alike):
/// - Per-partition FIFO: within a partition, messages are delivered in publish order; a message
///   due for redelivery goes back to its original place (it is delivered before later ones).
/// - At-least-once: a delivered message stays held until acked. It is redelivered with
///   delivery_count + 1 after Nak (at once), after ack_wait without Ack/InProgress, or when the
///   Consumer it was delivered to is destroyed (that is how a crashed worker thread behaves).
/// - De-duplication: a message whose id was published within duplicate_window is dropped and
///   Publish returns OK.
/// - Bounded: Publish fails with kUnavailable (reason "stream.queue_full") when max_messages or
///   max_bytes would be exceeded. kUnavailable (HTTP 503, "retry later") rather than
///   kRateLimited (429): the limit is the server's backlog, not the caller's request rate.
/// - Close() (also run by the destructor) wakes every blocked Fetch, which then returns an empty
///   vector; later Publish and OpenConsumer calls fail with kUnavailable ("stream.closed").
///
/// Thread-safety: every method is thread-safe. Consumers and deliveries keep the queue's state
/// alive, so they may outlive the MemoryQueue object (they then see a closed queue).
class MemoryQueue final : public Broker {
 public:
  /// Most ids remembered for de-duplication.
  static constexpr std::size_t kMaxDedupIds = std::size_t{1} << 20U;

  /// Creates an empty queue. Errors: kInvalidArgument (partitions not in 1–1024, max_messages or
  /// max_bytes 0, ack_wait not positive, max_deliver 0 or below -1, negative duplicate_window).
  [[nodiscard]] static Result<std::unique_ptr<MemoryQueue>> Create(
      const MemoryQueueOptions& options = {});

  ~MemoryQueue() override;
  MemoryQueue(const MemoryQueue&) = delete;
  MemoryQueue& operator=(const MemoryQueue&) = delete;
  MemoryQueue(MemoryQueue&&) = delete;
  MemoryQueue& operator=(MemoryQueue&&) = delete;

  /// See Publisher::Publish and the class comment. Never blocks.
  [[nodiscard]] Status Publish(const Message& message) override;

  [[nodiscard]] std::uint32_t partitions() const override;

  /// See Broker::OpenConsumer.
  [[nodiscard]] Result<std::unique_ptr<Consumer>> OpenConsumer(
      std::vector<std::uint32_t> partitions) override;

  /// See Broker::Backlog. Never fails for a partition in range.
  [[nodiscard]] Result<PartitionBacklog> Backlog(std::uint32_t partition) override;

  /// Stops the queue: wakes blocked Fetch calls (they return empty), makes later Fetch calls
  /// return empty and later Publish, OpenConsumer, Ack, Nak and InProgress calls fail with
  /// kUnavailable. Held messages are never delivered again (they stay counted in Stats()).
  /// Idempotent.
  void Close();

  /// A snapshot of the counters.
  [[nodiscard]] MemoryQueueStats Stats() const;

  /// The options the queue was created with.
  [[nodiscard]] const MemoryQueueOptions& options() const;

  /// Internal shared state (defined in memory_queue.cc).
  struct State;

 private:
  explicit MemoryQueue(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
};

}  // namespace hoshi::stream
