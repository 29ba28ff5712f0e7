// SPDX-License-Identifier: Apache-2.0
// The consumer side of the telemetry stream (issue #6): a worker takes batches from a
// stream::Consumer (the in-process MemoryQueue inside `serve`, or NATS JetStream in `hoshitori
// worker`), analyses them, records them in the TelemetryStore and only then acknowledges them.
//
// Delivery is at least once; RecordBatch is idempotent on the batch id; so a worker killed at any
// point loses nothing (unacknowledged messages are redelivered) and counts nothing twice (a
// redelivered batch that was already committed is recognised and acknowledged).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"
#include "hoshi/defense/indicators.h"
#include "hoshi/defense/telemetry_store.h"
#include "hoshi/storage/pool.h"
#include "hoshi/stream/stream.h"

namespace hoshi::defense {

/// The kind of the stream messages that carry telemetry batches.
inline constexpr std::string_view kTelemetryBatchKind = "telemetry.batch";

/// A telemetry batch as it travels on the stream: who sent it and how it is named, then the log
/// bytes exactly as received (plain or gzip).
struct BatchEnvelope {
  std::string source;       ///< "api", "cli", a sensor name (≤ 100 bytes)
  std::string name_hint;    ///< a file name such as "dns.log.gz" (≤ 255 bytes), may be empty
  std::string received_at;  ///< RFC 3339
  std::string payload;
};
/// The metadata line is at most this long: a payload of max_payload − kMaxEnvelopeMetadataBytes
/// always fits in a message of max_payload bytes.
inline constexpr std::size_t kMaxEnvelopeMetadataBytes = 4096;
/// One JSON line with the metadata, then the payload bytes (binary-safe).
[[nodiscard]] std::string EncodeBatchEnvelope(const BatchEnvelope& envelope);
/// Error: kDataError "defense.envelope" when there is no metadata line or it is not the JSON
/// object EncodeBatchEnvelope writes.
[[nodiscard]] Result<BatchEnvelope> DecodeBatchEnvelope(std::string_view bytes);

/// Where the worker gets the current indicators (they may be reloaded while it runs); may
/// return nullptr (no indicator matching).
using IndicatorProvider = std::function<std::shared_ptr<const IndicatorSet>()>;

struct WorkerOptions {
  std::size_t fetch_max = 8;
  std::chrono::milliseconds fetch_wait{1'000};
  DetectionConfig detection;
  CorrelationConfig correlation;
};

/// What a worker did so far (safe to read from other threads).
struct WorkerCounters {
  std::atomic<std::uint64_t> processed{0};   ///< batches recorded
  std::atomic<std::uint64_t> duplicates{0};  ///< redelivered batches already recorded
  std::atomic<std::uint64_t> retried{0};     ///< batches given back for redelivery (transient)
  std::atomic<std::uint64_t> dropped{0};     ///< messages that can never be recorded (logged)
  std::atomic<std::uint64_t> events{0};      ///< events of the recorded batches
};

/// Takes batches from one consumer. Not thread-safe: one worker per thread (each has its own
/// consumer; the pool is shared).
class TelemetryWorker {
 public:
  TelemetryWorker(stream::Consumer& consumer, storage::ConnectionPool& pool, const Clock& clock,
                  IndicatorProvider indicators, WorkerOptions options = {});

  /// Fetches once (waiting up to fetch_wait) and handles what came. Returns how many messages
  /// were handled. Errors: the consumer's (kUnavailable when the stream is gone).
  [[nodiscard]] Result<std::size_t> PollOnce();
  /// Polls until `stop` is set. A failing consumer is retried after a pause; returns when
  /// stopped.
  void Run(const std::atomic<bool>& stop);

  /// Handles one delivery: decode, analyse, record, then Ack. A batch that cannot be read at all
  /// (bad envelope, unknown format) is still recorded — with zero events and the reason among
  /// its malformed counts — so that the sender sees why; a storage error that may pass
  /// (unavailable, busy, a concurrent insert of the same campaign) gives the message back (Nak);
  /// a message that can never be recorded (unknown organisation) is acknowledged, counted as
  /// dropped and logged.
  [[nodiscard]] Status Handle(stream::Delivery& delivery);

  [[nodiscard]] const WorkerCounters& counters() const { return counters_; }

 private:
  stream::Consumer& consumer_;
  storage::ConnectionPool& pool_;
  const Clock& clock_;
  IndicatorProvider indicators_;
  WorkerOptions options_;
  WorkerCounters counters_;
};

}  // namespace hoshi::defense
