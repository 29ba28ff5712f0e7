// SPDX-License-Identifier: Apache-2.0
#include "hoshi/stream/memory_queue.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "stream_internal.h"

namespace hoshi::stream {
namespace {

using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;

/// One held message. `deliveries` counts how often it was handed out; while `in_flight`, the
/// delivery numbered `deliveries` is outstanding at consumer `consumer` until `deadline`.
struct Entry {
  Message message;
  std::uint64_t sequence = 0;
  std::uint32_t partition = 0;
  std::size_t bytes = 0;
  std::uint64_t deliveries = 0;
  bool in_flight = false;
  std::uint64_t consumer = 0;
  SteadyTime deadline;
};

std::size_t HeldBytes(const Message& message) {
  return message.payload.size() + message.id.size() + message.organization_id.size() +
         message.kind.size();
}

}  // namespace

struct MemoryQueue::State {
  explicit State(const MemoryQueueOptions& opts)
      : options(opts), ready(opts.partitions), ack_pending(opts.partitions) {}

  // Everything below is guarded by `mu`.
  const MemoryQueueOptions options;
  std::mutex mu;
  std::condition_variable cv;
  bool closed = false;
  std::uint64_t next_sequence = 1;
  std::uint64_t next_consumer = 1;
  std::unordered_map<std::uint64_t, Entry> entries;
  std::vector<std::set<std::uint64_t>> ready;                // per partition, by sequence (FIFO)
  std::vector<std::uint64_t> ack_pending;                    // per partition, in-flight count
  std::set<std::pair<SteadyTime, std::uint64_t>> deadlines;  // in-flight entries
  std::unordered_map<std::string, SteadyTime> recent_ids;    // de-duplication window
  std::deque<std::pair<SteadyTime, std::string>> recent_order;
  std::size_t bytes = 0;
  MemoryQueueStats counters;

  // Makes an in-flight entry ready again (or drops it after max_deliver deliveries).
  void ReleaseLocked(Entry& entry) {
    deadlines.erase({entry.deadline, entry.sequence});
    entry.in_flight = false;
    --ack_pending[entry.partition];
    if (options.max_deliver > 0 &&
        entry.deliveries >= static_cast<std::uint64_t>(options.max_deliver)) {
      ++counters.dropped;
      EraseLocked(entry.sequence);
      return;
    }
    ready[entry.partition].insert(entry.sequence);
  }

  // Removes an entry wherever it is (ready or in flight).
  void EraseLocked(std::uint64_t sequence) {
    auto it = entries.find(sequence);
    if (it == entries.end()) {
      return;
    }
    Entry& entry = it->second;
    if (entry.in_flight) {
      deadlines.erase({entry.deadline, entry.sequence});
      --ack_pending[entry.partition];
    } else {
      ready[entry.partition].erase(entry.sequence);
    }
    bytes -= entry.bytes;
    entries.erase(it);
  }

  // Releases every in-flight entry whose ack deadline has passed.
  void ExpireLocked(SteadyTime now) {
    while (!deadlines.empty() && deadlines.begin()->first <= now) {
      const std::uint64_t sequence = deadlines.begin()->second;
      ReleaseLocked(entries.at(sequence));
    }
  }

  void ForgetOldIdsLocked(SteadyTime now) {
    while (!recent_order.empty() && (recent_order.front().first + options.duplicate_window <= now ||
                                     recent_order.size() > kMaxDedupIds)) {
      auto& [time, id] = recent_order.front();
      auto it = recent_ids.find(id);
      if (it != recent_ids.end() && it->second == time) {
        recent_ids.erase(it);
      }
      recent_order.pop_front();
    }
  }

  [[nodiscard]] static Error ClosedError() {
    return MakeError(ErrorCode::kUnavailable, StreamMessages(), "stream.closed");
  }
};

namespace {

using State = MemoryQueue::State;

class MemoryHandle final : public DeliveryHandle {
 public:
  MemoryHandle(std::shared_ptr<State> state, std::uint64_t sequence, std::uint64_t delivery)
      : state_(std::move(state)), sequence_(sequence), delivery_(delivery) {}

  [[nodiscard]] const State* state() const { return state_.get(); }
  [[nodiscard]] std::uint64_t sequence() const { return sequence_; }
  [[nodiscard]] std::uint64_t delivery() const { return delivery_; }

 private:
  std::shared_ptr<State> state_;
  std::uint64_t sequence_;
  std::uint64_t delivery_;
};

class MemoryConsumer final : public Consumer {
 public:
  MemoryConsumer(std::shared_ptr<State> state, std::uint64_t id,
                 std::vector<std::uint32_t> partitions)
      : state_(std::move(state)), id_(id), partitions_(std::move(partitions)) {}

  ~MemoryConsumer() override {
    // What this consumer was given and never settled goes back to the queue at once: this is
    // how a worker thread that died mid-batch behaves.
    const std::lock_guard lock(state_->mu);
    if (state_->closed) {
      return;
    }
    std::vector<std::uint64_t> mine;
    for (const auto& [deadline, sequence] : state_->deadlines) {
      if (state_->entries.at(sequence).consumer == id_) {
        mine.push_back(sequence);
      }
    }
    for (const std::uint64_t sequence : mine) {
      state_->ReleaseLocked(state_->entries.at(sequence));
    }
    if (!mine.empty()) {
      state_->cv.notify_all();
    }
  }

  MemoryConsumer(const MemoryConsumer&) = delete;
  MemoryConsumer& operator=(const MemoryConsumer&) = delete;
  MemoryConsumer(MemoryConsumer&&) = delete;
  MemoryConsumer& operator=(MemoryConsumer&&) = delete;

  Result<std::vector<Delivery>> Fetch(std::size_t max, std::chrono::milliseconds wait) override {
    if (max == 0) {
      return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.invalid_fetch_max");
    }
    const SteadyTime until = SteadyClock::now() + std::max(wait, std::chrono::milliseconds(0));
    std::unique_lock lock(state_->mu);
    while (true) {
      if (state_->closed) {
        return std::vector<Delivery>{};
      }
      SteadyTime now = SteadyClock::now();
      state_->ExpireLocked(now);
      std::vector<Delivery> out = CollectLocked(max, now);
      if (!out.empty()) {
        return out;
      }
      now = SteadyClock::now();
      if (now >= until) {
        return out;
      }
      SteadyTime wake = until;
      if (!state_->deadlines.empty()) {
        wake = std::min(wake, state_->deadlines.begin()->first);
      }
      state_->cv.wait_until(lock, wake);
    }
  }

  Status Ack(Delivery& delivery) override {
    HOSHI_ASSIGN_OR_RETURN(const MemoryHandle* handle, HandleOf(delivery));
    {
      const std::lock_guard lock(state_->mu);
      if (state_->closed) {
        return State::ClosedError();
      }
      // Acking a message that was meanwhile redelivered still acks it (as JetStream does); a
      // message that is gone was already acked (or dropped), so this is a no-op.
      if (state_->entries.contains(handle->sequence())) {
        state_->EraseLocked(handle->sequence());
        ++state_->counters.acked;
      }
    }
    delivery.handle.reset();
    return Status::Ok();
  }

  Status Nak(Delivery& delivery) override {
    HOSHI_ASSIGN_OR_RETURN(const MemoryHandle* handle, HandleOf(delivery));
    {
      const std::lock_guard lock(state_->mu);
      if (state_->closed) {
        return State::ClosedError();
      }
      if (Entry* entry = OutstandingLocked(*handle); entry != nullptr) {
        state_->ReleaseLocked(*entry);
        state_->cv.notify_all();
      }
    }
    delivery.handle.reset();
    return Status::Ok();
  }

  Status InProgress(Delivery& delivery) override {
    HOSHI_ASSIGN_OR_RETURN(const MemoryHandle* handle, HandleOf(delivery));
    const std::lock_guard lock(state_->mu);
    if (state_->closed) {
      return State::ClosedError();
    }
    if (Entry* entry = OutstandingLocked(*handle); entry != nullptr) {
      state_->deadlines.erase({entry->deadline, entry->sequence});
      entry->deadline = SteadyClock::now() + state_->options.ack_wait;
      state_->deadlines.insert({entry->deadline, entry->sequence});
    }
    return Status::Ok();
  }

 private:
  Result<const MemoryHandle*> HandleOf(const Delivery& delivery) const {
    if (delivery.handle == nullptr) {
      return MakeError(ErrorCode::kFailedPrecondition, StreamMessages(), "stream.already_settled");
    }
    const auto* handle = dynamic_cast<const MemoryHandle*>(delivery.handle.get());
    if (handle == nullptr || handle->state() != state_.get()) {
      return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.foreign_delivery");
    }
    return handle;
  }

  // The entry if the delivery `handle` describes is still the outstanding one.
  Entry* OutstandingLocked(const MemoryHandle& handle) {
    auto it = state_->entries.find(handle.sequence());
    if (it == state_->entries.end() || !it->second.in_flight ||
        it->second.deliveries != handle.delivery()) {
      return nullptr;
    }
    return &it->second;
  }

  // Takes one ready message from each partition in turn (starting one partition further on each
  // call) until `max` are taken or all partitions are empty.
  std::vector<Delivery> CollectLocked(std::size_t max, SteadyTime now) {
    std::vector<Delivery> out;
    const std::size_t count = partitions_.size();
    const std::size_t start = cursor_;
    cursor_ = (cursor_ + 1) % count;
    bool took = true;
    while (out.size() < max && took) {
      took = false;
      for (std::size_t k = 0; k < count && out.size() < max; ++k) {
        auto& queue = state_->ready[partitions_[(start + k) % count]];
        if (queue.empty()) {
          continue;
        }
        const std::uint64_t sequence = *queue.begin();
        queue.erase(queue.begin());
        out.push_back(DeliverLocked(state_->entries.at(sequence), now));
        took = true;
      }
    }
    return out;
  }

  Delivery DeliverLocked(Entry& entry, SteadyTime now) {
    ++entry.deliveries;
    entry.in_flight = true;
    entry.consumer = id_;
    entry.deadline = now + state_->options.ack_wait;
    state_->deadlines.insert({entry.deadline, entry.sequence});
    ++state_->ack_pending[entry.partition];
    ++state_->counters.delivered;
    if (entry.deliveries > 1) {
      ++state_->counters.redelivered;
    }
    Delivery delivery;
    delivery.message = entry.message;
    delivery.delivery_count = entry.deliveries;
    delivery.stream_sequence = entry.sequence;
    delivery.partition = entry.partition;
    delivery.handle = std::make_unique<MemoryHandle>(state_, entry.sequence, entry.deliveries);
    return delivery;
  }

  std::shared_ptr<State> state_;
  std::uint64_t id_;
  std::vector<std::uint32_t> partitions_;
  std::size_t cursor_ = 0;  // only touched by Fetch, which is not called concurrently
};

}  // namespace

Result<std::unique_ptr<MemoryQueue>> MemoryQueue::Create(const MemoryQueueOptions& options) {
  const auto invalid = [](std::string_view name) {
    return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.invalid_option", name);
  };
  if (options.partitions == 0 || options.partitions > detail::kMaxPartitions) {
    return invalid("partitions");
  }
  if (options.max_messages == 0) {
    return invalid("max_messages");
  }
  if (options.max_bytes == 0) {
    return invalid("max_bytes");
  }
  if (options.ack_wait.count() <= 0) {
    return invalid("ack_wait");
  }
  if (options.max_deliver == 0 || options.max_deliver < -1) {
    return invalid("max_deliver");
  }
  if (options.duplicate_window.count() < 0) {
    return invalid("duplicate_window");
  }
  return std::unique_ptr<MemoryQueue>(new MemoryQueue(std::make_shared<State>(options)));
}

MemoryQueue::MemoryQueue(std::shared_ptr<State> state) : state_(std::move(state)) {}

MemoryQueue::~MemoryQueue() {
  Close();
}

Status MemoryQueue::Publish(const Message& message) {
  HOSHI_RETURN_IF_ERROR(ValidateMessage(message));
  const std::size_t size = HeldBytes(message);
  const MemoryQueueOptions& options = state_->options;
  if (size > options.max_bytes) {
    return MakeError(ErrorCode::kTooLarge, StreamMessages(), "stream.message_too_large",
                     FormatNumber(static_cast<long long>(size)),
                     FormatNumber(static_cast<long long>(options.max_bytes)));
  }
  const std::lock_guard lock(state_->mu);
  if (state_->closed) {
    return State::ClosedError();
  }
  const SteadyTime now = SteadyClock::now();
  const bool dedup = options.duplicate_window.count() > 0;
  if (dedup) {
    state_->ForgetOldIdsLocked(now);
    if (state_->recent_ids.contains(message.id)) {
      ++state_->counters.duplicates;
      return Status::Ok();
    }
  }
  if (state_->entries.size() >= options.max_messages || state_->bytes + size > options.max_bytes) {
    ++state_->counters.rejected;
    return MakeError(ErrorCode::kUnavailable, StreamMessages(), "stream.queue_full",
                     FormatNumber(static_cast<long long>(options.max_messages)),
                     FormatNumber(static_cast<long long>(options.max_bytes)));
  }
  const std::uint64_t sequence = state_->next_sequence++;
  Entry entry;
  entry.message = message;
  entry.sequence = sequence;
  entry.partition = PartitionOf(message.organization_id, options.partitions);
  entry.bytes = size;
  state_->ready[entry.partition].insert(sequence);
  state_->entries.emplace(sequence, std::move(entry));
  state_->bytes += size;
  ++state_->counters.published;
  if (dedup) {
    state_->recent_ids[message.id] = now;
    state_->recent_order.emplace_back(now, message.id);
  }
  state_->cv.notify_all();
  return Status::Ok();
}

std::uint32_t MemoryQueue::partitions() const {
  return state_->options.partitions;
}

Result<std::unique_ptr<Consumer>> MemoryQueue::OpenConsumer(std::vector<std::uint32_t> partitions) {
  HOSHI_ASSIGN_OR_RETURN(
      std::vector<std::uint32_t> chosen,
      detail::NormalizePartitions(std::move(partitions), state_->options.partitions));
  const std::lock_guard lock(state_->mu);
  if (state_->closed) {
    return State::ClosedError();
  }
  const std::uint64_t id = state_->next_consumer++;
  return std::unique_ptr<Consumer>(std::make_unique<MemoryConsumer>(state_, id, std::move(chosen)));
}

Result<PartitionBacklog> MemoryQueue::Backlog(std::uint32_t partition) {
  if (partition >= state_->options.partitions) {
    return detail::InvalidPartition(partition, state_->options.partitions);
  }
  const std::lock_guard lock(state_->mu);
  if (!state_->closed) {
    state_->ExpireLocked(SteadyClock::now());
  }
  return PartitionBacklog{partition, state_->ready[partition].size(),
                          state_->ack_pending[partition]};
}

void MemoryQueue::Close() {
  const std::lock_guard lock(state_->mu);
  state_->closed = true;
  state_->cv.notify_all();
}

MemoryQueueStats MemoryQueue::Stats() const {
  const std::lock_guard lock(state_->mu);
  if (!state_->closed) {
    state_->ExpireLocked(SteadyClock::now());
  }
  MemoryQueueStats stats = state_->counters;
  stats.pending = 0;
  stats.ack_pending = 0;
  for (std::uint32_t p = 0; p < state_->options.partitions; ++p) {
    stats.pending += state_->ready[p].size();
    stats.ack_pending += state_->ack_pending[p];
  }
  stats.bytes = state_->bytes;
  return stats;
}

const MemoryQueueOptions& MemoryQueue::options() const {
  return state_->options;
}

}  // namespace hoshi::stream
