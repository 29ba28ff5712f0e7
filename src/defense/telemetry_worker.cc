// SPDX-License-Identifier: Apache-2.0
// The telemetry stream consumer: decode, analyse, record, acknowledge.
#include "hoshi/defense/telemetry_worker.h"

#include <array>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

#include "hoshi/core/json.h"
#include "hoshi/defense/messages.h"

namespace hoshi::defense {

namespace {

constexpr std::size_t kMaxSource = 100;
constexpr std::size_t kMaxNameHint = 255;

Error EnvelopeError(std::string_view what) {
  return MakeError(ErrorCode::kDataError, DefenseMessages(), "defense.envelope", what);
}

/// Whether a storage error may pass if the message is tried again.
bool Transient(const Error& e) {
  return e.code() == ErrorCode::kUnavailable || e.code() == ErrorCode::kAlreadyExists ||
         e.code() == ErrorCode::kIoError;
}

}  // namespace

std::string EncodeBatchEnvelope(const BatchEnvelope& envelope) {
  nlohmann::json meta{{"source", envelope.source},
                      {"name", envelope.name_hint},
                      {"received_at", envelope.received_at}};
  std::string out = meta.dump();
  out += '\n';
  out += envelope.payload;
  return out;
}

Result<BatchEnvelope> DecodeBatchEnvelope(std::string_view bytes) {
  const auto nl = bytes.find('\n');
  if (nl >= kMaxEnvelopeMetadataBytes) {  // also when there is no newline (npos)
    return EnvelopeError("metadata");
  }
  auto meta = nlohmann::json::parse(bytes.substr(0, nl), nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object()) {
    return EnvelopeError("metadata");
  }
  BatchEnvelope out;
  for (const auto& [key, target, max] :
       std::array{std::tuple{"source", &out.source, kMaxSource},
                  std::tuple{"name", &out.name_hint, kMaxNameHint},
                  std::tuple{"received_at", &out.received_at, std::size_t{40}}}) {
    const auto it = meta.find(key);
    if (it == meta.end() || !it->is_string() || it->get_ref<const std::string&>().size() > max) {
      return EnvelopeError(key);
    }
    *target = it->get<std::string>();
  }
  out.payload = std::string(bytes.substr(nl + 1));
  return out;
}

TelemetryWorker::TelemetryWorker(stream::Consumer& consumer, storage::ConnectionPool& pool,
                                 const Clock& clock, IndicatorProvider indicators,
                                 WorkerOptions options)
    : consumer_(consumer),
      pool_(pool),
      clock_(clock),
      indicators_(std::move(indicators)),
      options_(std::move(options)) {}

Status TelemetryWorker::Handle(stream::Delivery& delivery) {
  const stream::Message& m = delivery.message;
  BatchRecord record;
  record.id = m.id;
  record.organization_id = m.organization_id;
  record.bytes = m.payload.size();
  auto envelope = m.kind == kTelemetryBatchKind ? DecodeBatchEnvelope(m.payload)
                                                : Result<BatchEnvelope>(EnvelopeError("kind"));
  if (envelope.ok()) {
    record.source = envelope->source;
    record.received_at = envelope->received_at;
    record.bytes = envelope->payload.size();
    const std::shared_ptr<const IndicatorSet> set = indicators_ ? indicators_() : nullptr;
    std::optional<IndicatorSetLookup> lookup;
    if (set != nullptr) {
      lookup.emplace(*set);
    }
    auto analysis = AnalyseBatch(envelope->payload, envelope->name_hint,
                                 lookup ? &*lookup : nullptr, options_.detection, &clock_);
    if (analysis.ok()) {
      record.analysis = std::move(*analysis);
    } else {
      // The whole batch is unreadable (no known format): recorded with the reason, no events.
      record.analysis.stats.AddMalformed("unknown_format", envelope->name_hint, 0, "");
    }
  } else {
    record.source = "unknown";
    record.analysis.stats.AddMalformed("envelope", m.kind, 0, "");
  }
  // Long batches: tell the stream we are still at it before the database work.
  consumer_.InProgress(delivery).IgnoreError();

  auto lease = pool_.Acquire();
  Result<BatchOutcome> outcome =
      lease.ok() ? TelemetryStore(**lease, clock_, options_.correlation).RecordBatch(record)
                 : Result<BatchOutcome>(lease.error());
  if (!outcome.ok()) {
    if (Transient(outcome.error())) {
      ++counters_.retried;
      spdlog::warn("telemetry batch {} of {}: will be retried ({})", m.id, m.organization_id,
                   outcome.error().detail());
      return consumer_.Nak(delivery);
    }
    ++counters_.dropped;
    spdlog::error("telemetry batch {} of {} cannot be recorded: {} {}", m.id, m.organization_id,
                  outcome.error().ToString(Lang::kEn), outcome.error().detail());
    return consumer_.Ack(delivery);
  }
  if (outcome->duplicate) {
    ++counters_.duplicates;
  } else {
    ++counters_.processed;
    counters_.events += outcome->batch.events;
    for (const auto& w : outcome->warnings) {
      spdlog::info("early warning {} to {} (campaign {}, {})", w.id, w.recipient_organization_id,
                   w.campaign.id, w.relation);
    }
  }
  return consumer_.Ack(delivery);
}

Result<std::size_t> TelemetryWorker::PollOnce() {
  HOSHI_ASSIGN_OR_RETURN(auto deliveries, consumer_.Fetch(options_.fetch_max, options_.fetch_wait));
  for (auto& d : deliveries) {
    const Status s = Handle(d);
    if (!s.ok()) {
      // The acknowledgement itself failed: the stream redelivers the message and the batch id
      // keeps it from being counted twice.
      spdlog::warn("telemetry batch {}: acknowledgement failed ({})", d.message.id,
                   s.error().detail());
    }
  }
  return deliveries.size();
}

void TelemetryWorker::Run(const std::atomic<bool>& stop) {
  while (!stop.load()) {
    auto polled = PollOnce();
    if (!polled.ok()) {
      spdlog::warn("telemetry stream: {}", polled.error().ToString(Lang::kEn));
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

}  // namespace hoshi::defense
