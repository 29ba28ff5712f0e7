// SPDX-License-Identifier: Apache-2.0
#include "hoshi/stream/memory_queue.h"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace hoshi::stream {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Generous bound for anything that should happen "soon" (the machine may be loaded, and tests run
// under ASan); assertions never rely on something taking less time than this.
constexpr milliseconds kSoon{10'000};

Message Msg(std::string org, std::string id, std::string payload = "p") {
  return Message{std::move(org), std::move(id), "telemetry.batch", std::move(payload)};
}

// An organisation id that lands on `partition` of `partitions`.
std::string OrgOn(std::uint32_t partition, std::uint32_t partitions, int salt = 0) {
  for (int i = 0;; ++i) {
    std::string org = "org-" + std::to_string(salt) + "-" + std::to_string(i);
    if (PartitionOf(org, partitions) == partition) {
      return org;
    }
  }
}

std::unique_ptr<MemoryQueue> MakeQueue(MemoryQueueOptions options = {}) {
  auto queue = MemoryQueue::Create(options);
  EXPECT_TRUE(queue.ok());
  return std::move(queue).value();
}

std::unique_ptr<Consumer> Open(MemoryQueue& queue, std::vector<std::uint32_t> partitions = {}) {
  auto consumer = queue.OpenConsumer(std::move(partitions));
  EXPECT_TRUE(consumer.ok());
  return std::move(consumer).value();
}

std::vector<Delivery> FetchOk(Consumer& consumer, std::size_t max, milliseconds wait) {
  auto got = consumer.Fetch(max, wait);
  EXPECT_TRUE(got.ok());
  return got.ok() ? std::move(got).value() : std::vector<Delivery>{};
}

TEST(MemoryQueueTest, RejectsInvalidOptions) {
  for (const auto& mutate : std::vector<void (*)(MemoryQueueOptions&)>{
           [](MemoryQueueOptions& o) { o.partitions = 0; },
           [](MemoryQueueOptions& o) { o.partitions = 5000; },
           [](MemoryQueueOptions& o) { o.max_messages = 0; },
           [](MemoryQueueOptions& o) { o.max_bytes = 0; },
           [](MemoryQueueOptions& o) { o.ack_wait = milliseconds(0); },
           [](MemoryQueueOptions& o) { o.max_deliver = 0; },
           [](MemoryQueueOptions& o) { o.max_deliver = -2; },
       }) {
    MemoryQueueOptions options;
    mutate(options);
    auto queue = MemoryQueue::Create(options);
    ASSERT_FALSE(queue.ok());
    EXPECT_EQ(queue.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(queue.error().reason(), "stream.invalid_option");
  }
}

TEST(MemoryQueueTest, DeliversInPublishOrderWithinAPartition) {
  auto queue = MakeQueue({.partitions = 4});
  const std::string org = OrgOn(1, 4);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(queue->Publish(Msg(org, "m" + std::to_string(i), std::to_string(i))).ok());
  }
  auto consumer = Open(*queue);
  std::vector<std::string> order;
  std::uint64_t last_sequence = 0;
  while (order.size() < 20) {
    auto batch = FetchOk(*consumer, 7, milliseconds(0));
    ASSERT_FALSE(batch.empty());
    for (Delivery& d : batch) {
      EXPECT_EQ(d.partition, 1U);
      EXPECT_EQ(d.delivery_count, 1U);
      EXPECT_GT(d.stream_sequence, last_sequence);
      last_sequence = d.stream_sequence;
      EXPECT_EQ(d.message.organization_id, org);
      EXPECT_EQ(d.message.kind, "telemetry.batch");
      order.push_back(d.message.payload);
      ASSERT_TRUE(consumer->Ack(d).ok());
      EXPECT_TRUE(d.settled());
    }
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(order[static_cast<std::size_t>(i)], std::to_string(i));
  }
  EXPECT_TRUE(FetchOk(*consumer, 10, milliseconds(0)).empty());
  const MemoryQueueStats stats = queue->Stats();
  EXPECT_EQ(stats.published, 20U);
  EXPECT_EQ(stats.delivered, 20U);
  EXPECT_EQ(stats.acked, 20U);
  EXPECT_EQ(stats.pending, 0U);
  EXPECT_EQ(stats.ack_pending, 0U);
  EXPECT_EQ(stats.bytes, 0U);
}

TEST(MemoryQueueTest, ConsumerSeesOnlyItsPartitions) {
  auto queue = MakeQueue({.partitions = 4});
  for (std::uint32_t p = 0; p < 4; ++p) {
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(
          queue->Publish(Msg(OrgOn(p, 4, i), "p" + std::to_string(p) + "-" + std::to_string(i)))
              .ok());
    }
  }
  auto consumer = Open(*queue, {2, 0, 2});
  std::map<std::uint32_t, int> per_partition;
  for (auto batch = FetchOk(*consumer, 100, milliseconds(0)); !batch.empty();
       batch = FetchOk(*consumer, 100, milliseconds(0))) {
    for (Delivery& d : batch) {
      EXPECT_EQ(PartitionOf(d.message.organization_id, 4), d.partition);
      ++per_partition[d.partition];
      ASSERT_TRUE(consumer->Ack(d).ok());
    }
  }
  EXPECT_EQ(per_partition, (std::map<std::uint32_t, int>{{0, 5}, {2, 5}}));
  ASSERT_TRUE(queue->Backlog(1).ok());
  EXPECT_EQ(*queue->Backlog(1), (PartitionBacklog{1, 5, 0}));
  EXPECT_EQ(*queue->Backlog(2), (PartitionBacklog{2, 0, 0}));

  auto bad = queue->OpenConsumer({4});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason(), "stream.invalid_partition");
  EXPECT_FALSE(queue->Backlog(4).ok());
}

TEST(MemoryQueueTest, ServesPartitionsFairly) {
  auto queue = MakeQueue({.partitions = 2});
  const std::string busy = OrgOn(0, 2);
  const std::string quiet = OrgOn(1, 2);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(queue->Publish(Msg(busy, "b" + std::to_string(i))).ok());
  }
  ASSERT_TRUE(queue->Publish(Msg(quiet, "q")).ok());
  auto consumer = Open(*queue);
  const auto batch = FetchOk(*consumer, 10, milliseconds(0));
  ASSERT_EQ(batch.size(), 10U);
  int quiet_count = 0;
  for (const Delivery& d : batch) {
    quiet_count += d.message.organization_id == quiet ? 1 : 0;
  }
  EXPECT_EQ(quiet_count, 1);
}

TEST(MemoryQueueTest, RejectsPublishWhenFullByCount) {
  auto queue = MakeQueue({.partitions = 2, .max_messages = 3});
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(queue->Publish(Msg("org", "m" + std::to_string(i))).ok());
  }
  Status full = queue->Publish(Msg("org", "m3"));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(full.error().reason(), "stream.queue_full");
  EXPECT_EQ(queue->Stats().rejected, 1U);

  // Delivered but unacked messages still count; an ack makes room.
  auto consumer = Open(*queue);
  auto batch = FetchOk(*consumer, 1, milliseconds(0));
  ASSERT_EQ(batch.size(), 1U);
  EXPECT_FALSE(queue->Publish(Msg("org", "m3")).ok());
  ASSERT_TRUE(consumer->Ack(batch[0]).ok());
  EXPECT_TRUE(queue->Publish(Msg("org", "m3")).ok());
}

TEST(MemoryQueueTest, RejectsPublishWhenFullByBytes) {
  // Each message holds payload + id + organization id + kind = 100 + 2 + 3 + 15 = 120 bytes.
  auto queue = MakeQueue({.partitions = 1, .max_bytes = 300});
  ASSERT_TRUE(queue->Publish(Msg("org", "m0", std::string(100, 'x'))).ok());
  ASSERT_TRUE(queue->Publish(Msg("org", "m1", std::string(100, 'x'))).ok());
  EXPECT_EQ(queue->Stats().bytes, 240U);
  Status full = queue->Publish(Msg("org", "m2", std::string(100, 'x')));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(queue->Publish(Msg("org", "m3", std::string(10, 'x'))).ok());

  Status too_large = queue->Publish(Msg("org", "big", std::string(400, 'x')));
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.error().code(), ErrorCode::kTooLarge);
}

TEST(MemoryQueueTest, NakRedeliversWithIncrementedCount) {
  auto queue = MakeQueue({.partitions = 1});
  ASSERT_TRUE(queue->Publish(Msg("org", "a")).ok());
  ASSERT_TRUE(queue->Publish(Msg("org", "b")).ok());
  auto consumer = Open(*queue);
  auto first = FetchOk(*consumer, 1, milliseconds(0));
  ASSERT_EQ(first.size(), 1U);
  EXPECT_EQ(first[0].message.id, "a");
  ASSERT_TRUE(consumer->Nak(first[0]).ok());
  EXPECT_TRUE(first[0].settled());

  // The nacked message goes back to its place: before "b".
  auto again = FetchOk(*consumer, 2, milliseconds(0));
  ASSERT_EQ(again.size(), 2U);
  EXPECT_EQ(again[0].message.id, "a");
  EXPECT_EQ(again[0].delivery_count, 2U);
  EXPECT_EQ(again[0].stream_sequence, first[0].stream_sequence);
  EXPECT_EQ(again[1].message.id, "b");
  EXPECT_EQ(again[1].delivery_count, 1U);
  EXPECT_EQ(queue->Stats().redelivered, 1U);
}

TEST(MemoryQueueTest, RedeliversAfterAckWait) {
  auto queue = MakeQueue({.partitions = 1, .ack_wait = milliseconds(100)});
  ASSERT_TRUE(queue->Publish(Msg("org", "slow")).ok());
  auto consumer = Open(*queue);
  auto first = FetchOk(*consumer, 1, milliseconds(0));
  ASSERT_EQ(first.size(), 1U);
  // Not acked: Fetch blocks until the ack wait is over and gets it again.
  auto second = FetchOk(*consumer, 1, kSoon);
  ASSERT_EQ(second.size(), 1U);
  EXPECT_EQ(second[0].message.id, "slow");
  EXPECT_EQ(second[0].delivery_count, 2U);
  // The stale first delivery no longer extends or nacks anything, but may still ack (JetStream
  // semantics: the work was done).
  EXPECT_TRUE(consumer->InProgress(first[0]).ok());
  ASSERT_TRUE(consumer->Ack(first[0]).ok());
  EXPECT_EQ(queue->Stats().acked, 1U);
  // Acking the newer delivery of an already acked message is a harmless no-op.
  EXPECT_TRUE(consumer->Ack(second[0]).ok());
  EXPECT_EQ(queue->Stats().acked, 1U);
  EXPECT_TRUE(FetchOk(*consumer, 1, milliseconds(0)).empty());
}

TEST(MemoryQueueTest, InProgressExtendsTheAckDeadline) {
  auto queue = MakeQueue({.partitions = 1, .ack_wait = milliseconds(1000)});
  ASSERT_TRUE(queue->Publish(Msg("org", "long")).ok());
  auto worker = Open(*queue);
  auto other = Open(*queue);
  auto got = FetchOk(*worker, 1, milliseconds(0));
  ASSERT_EQ(got.size(), 1U);
  // Keep extending for well over one ack wait; nobody else may get the message meanwhile.
  const auto until = std::chrono::steady_clock::now() + milliseconds(2500);
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_TRUE(worker->InProgress(got[0]).ok());
    EXPECT_TRUE(FetchOk(*other, 1, milliseconds(100)).empty());
  }
  EXPECT_FALSE(got[0].settled());
  ASSERT_TRUE(worker->Ack(got[0]).ok());
  EXPECT_EQ(queue->Stats().redelivered, 0U);
}

TEST(MemoryQueueTest, DestroyedConsumerReleasesItsUnackedMessages) {
  auto queue = MakeQueue({.partitions = 2});
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(
        queue->Publish(Msg(OrgOn(static_cast<std::uint32_t>(i % 2), 2), "m" + std::to_string(i)))
            .ok());
  }
  std::set<std::string> acked_before;
  {
    auto crashed = Open(*queue);
    auto batch = FetchOk(*crashed, 4, milliseconds(0));
    ASSERT_EQ(batch.size(), 4U);
    ASSERT_TRUE(crashed->Ack(batch[0]).ok());
    acked_before.insert(batch[0].message.id);
    // The consumer (a worker thread that died) goes away with three deliveries unacked.
  }
  EXPECT_EQ(queue->Stats().ack_pending, 0U);
  auto next = Open(*queue);
  auto batch = FetchOk(*next, 10, milliseconds(0));
  ASSERT_EQ(batch.size(), 3U);
  for (Delivery& d : batch) {
    EXPECT_EQ(d.delivery_count, 2U);
    EXPECT_FALSE(acked_before.contains(d.message.id));
    ASSERT_TRUE(next->Ack(d).ok());
  }
  EXPECT_EQ(queue->Stats().acked, 4U);
}

TEST(MemoryQueueTest, DropsMessagesAfterMaxDeliver) {
  auto queue = MakeQueue({.partitions = 1, .max_deliver = 2});
  ASSERT_TRUE(queue->Publish(Msg("org", "poison")).ok());
  auto consumer = Open(*queue);
  for (std::uint64_t attempt = 1; attempt <= 2; ++attempt) {
    auto got = FetchOk(*consumer, 1, milliseconds(0));
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].delivery_count, attempt);
    ASSERT_TRUE(consumer->Nak(got[0]).ok());
  }
  EXPECT_TRUE(FetchOk(*consumer, 1, milliseconds(0)).empty());
  const MemoryQueueStats stats = queue->Stats();
  EXPECT_EQ(stats.dropped, 1U);
  EXPECT_EQ(stats.pending, 0U);
  EXPECT_EQ(stats.bytes, 0U);
}

TEST(MemoryQueueTest, DropsDuplicateIdsWithinTheWindow) {
  auto queue = MakeQueue({.partitions = 2, .duplicate_window = milliseconds(200)});
  ASSERT_TRUE(queue->Publish(Msg("org-a", "batch-1", "first")).ok());
  ASSERT_TRUE(queue->Publish(Msg("org-a", "batch-1", "second")).ok());  // duplicate: OK, dropped
  ASSERT_TRUE(queue->Publish(Msg("org-b", "batch-1", "third")).ok());   // same id, other org too
  EXPECT_EQ(queue->Stats().published, 1U);
  EXPECT_EQ(queue->Stats().duplicates, 2U);

  auto consumer = Open(*queue);
  auto got = FetchOk(*consumer, 10, milliseconds(0));
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].message.payload, "first");
  ASSERT_TRUE(consumer->Ack(got[0]).ok());
  // Still a duplicate after the ack, while inside the window.
  ASSERT_TRUE(queue->Publish(Msg("org-a", "batch-1", "fourth")).ok());
  EXPECT_TRUE(FetchOk(*consumer, 10, milliseconds(0)).empty());

  // After the window the id is accepted again.
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_TRUE(queue->Publish(Msg("org-a", "batch-1", "fifth")).ok());
  got = FetchOk(*consumer, 10, milliseconds(0));
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].message.payload, "fifth");
}

TEST(MemoryQueueTest, SettlingTwiceOrForeignDeliveriesFail) {
  auto queue = MakeQueue({.partitions = 1});
  auto other_queue = MakeQueue({.partitions = 1});
  ASSERT_TRUE(queue->Publish(Msg("org", "a")).ok());
  ASSERT_TRUE(other_queue->Publish(Msg("org", "b")).ok());
  auto consumer = Open(*queue);
  auto other = Open(*other_queue);
  auto got = FetchOk(*consumer, 1, milliseconds(0));
  auto foreign = FetchOk(*other, 1, milliseconds(0));
  ASSERT_EQ(got.size(), 1U);
  ASSERT_EQ(foreign.size(), 1U);

  Status s = consumer->Ack(foreign[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(foreign[0].settled());

  ASSERT_TRUE(consumer->Ack(got[0]).ok());
  for (const Status& again :
       {consumer->Ack(got[0]), consumer->Nak(got[0]), consumer->InProgress(got[0])}) {
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
    EXPECT_EQ(again.error().reason(), "stream.already_settled");
  }
  auto zero = consumer->Fetch(0, milliseconds(0));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code(), ErrorCode::kInvalidArgument);
}

TEST(MemoryQueueTest, RejectsInvalidMessages) {
  auto queue = MakeQueue();
  Status s = queue->Publish(Msg("bad org", "id"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  s = queue->Publish(Msg("org", ""));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(queue->Stats().published, 0U);
}

TEST(MemoryQueueTest, CloseWakesABlockedFetch) {
  auto queue = MakeQueue({.partitions = 1});
  auto consumer = Open(*queue);
  std::atomic<bool> returned{false};
  std::size_t fetched = 99;
  std::thread waiter([&] {
    auto got = consumer->Fetch(10, std::chrono::minutes(10));
    fetched = got.ok() ? got->size() : 98;
    returned = true;
  });
  // The waiter is (or will shortly be) blocked; Close must wake it whenever it gets there.
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_FALSE(returned.load());
  const auto closed_at = std::chrono::steady_clock::now();
  queue->Close();
  waiter.join();
  EXPECT_LT(std::chrono::steady_clock::now() - closed_at, kSoon);
  EXPECT_EQ(fetched, 0U);

  Status s = queue->Publish(Msg("org", "late"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(s.error().reason(), "stream.closed");
  EXPECT_FALSE(queue->OpenConsumer({}).ok());
  EXPECT_TRUE(FetchOk(*consumer, 1, milliseconds(0)).empty());
}

TEST(MemoryQueueTest, FetchWakesWhenAMessageArrives) {
  auto queue = MakeQueue({.partitions = 4});
  auto consumer = Open(*queue, {3});
  std::vector<Delivery> got;
  std::thread waiter([&] { got = FetchOk(*consumer, 5, std::chrono::minutes(10)); });
  ASSERT_TRUE(queue->Publish(Msg(OrgOn(0, 4), "elsewhere")).ok());  // not this consumer's
  ASSERT_TRUE(queue->Publish(Msg(OrgOn(3, 4), "mine")).ok());
  waiter.join();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].message.id, "mine");
}

TEST(MemoryQueueTest, ConsumersMayOutliveTheQueue) {
  auto queue = MakeQueue({.partitions = 1});
  ASSERT_TRUE(queue->Publish(Msg("org", "a")).ok());
  auto consumer = Open(*queue);
  auto got = FetchOk(*consumer, 1, milliseconds(0));
  ASSERT_EQ(got.size(), 1U);
  // Another consumer of the same queue may settle a delivery whose consumer is gone.
  ASSERT_TRUE(queue->Publish(Msg("org", "b")).ok());
  auto second = FetchOk(*consumer, 1, milliseconds(0));
  ASSERT_EQ(second.size(), 1U);
  consumer.reset();
  consumer = Open(*queue);
  ASSERT_TRUE(consumer->Ack(second[0]).ok());
  EXPECT_EQ(queue->Stats().acked, 1U);

  queue.reset();
  EXPECT_TRUE(FetchOk(*consumer, 1, milliseconds(0)).empty());
  Status s = consumer->Ack(got[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kUnavailable);
}

TEST(MemoryQueueTest, ConcurrentProducersAndConsumersAckEveryMessageExactlyOnce) {
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 500;
  constexpr int kConsumers = 3;
  constexpr int kTotal = kProducers * kPerProducer;
  auto queue = MakeQueue({.partitions = 8, .max_messages = 256});

  std::mutex mu;
  std::map<std::string, int> acked;  // id -> times acked
  std::map<std::string, std::uint64_t> last_sequence_per_org;
  bool order_ok = true;
  std::atomic<int> done{0};

  std::vector<std::thread> threads;
  for (int c = 0; c < kConsumers; ++c) {
    // Consumer c owns partitions c, c+3, c+6: every partition has exactly one consumer, so
    // per-organisation order must hold.
    std::vector<std::uint32_t> mine;
    for (std::uint32_t p = static_cast<std::uint32_t>(c); p < 8; p += kConsumers) {
      mine.push_back(p);
    }
    threads.emplace_back([&, mine] {
      auto consumer = Open(*queue, mine);
      while (done.load() < kTotal) {
        auto batch = FetchOk(*consumer, 16, milliseconds(50));
        for (Delivery& d : batch) {
          {
            const std::lock_guard lock(mu);
            auto& last = last_sequence_per_org[d.message.organization_id];
            if (d.stream_sequence <= last) {
              order_ok = false;
            }
            last = d.stream_sequence;
            ++acked[d.message.id];
          }
          ASSERT_TRUE(consumer->Ack(d).ok());
          ++done;
        }
      }
    });
  }
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        const Message m = Msg("org-" + std::to_string((p * 7 + i) % 13),
                              "p" + std::to_string(p) + "-" + std::to_string(i));
        // Back-pressure: a full queue is "retry later".
        while (true) {
          Status s = queue->Publish(m);
          if (s.ok()) {
            break;
          }
          ASSERT_EQ(s.error().reason(), "stream.queue_full");
          std::this_thread::sleep_for(milliseconds(1));
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_TRUE(order_ok);
  ASSERT_EQ(acked.size(), static_cast<std::size_t>(kTotal));
  for (const auto& [id, times] : acked) {
    EXPECT_EQ(times, 1) << id;
  }
  const MemoryQueueStats stats = queue->Stats();
  EXPECT_EQ(stats.published, static_cast<std::uint64_t>(kTotal));
  EXPECT_EQ(stats.acked, static_cast<std::uint64_t>(kTotal));
  EXPECT_EQ(stats.delivered, static_cast<std::uint64_t>(kTotal));
  EXPECT_EQ(stats.redelivered, 0U);
  EXPECT_EQ(stats.pending + stats.ack_pending, 0U);
}

}  // namespace
}  // namespace hoshi::stream
