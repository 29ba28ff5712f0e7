// SPDX-License-Identifier: Apache-2.0
// The telemetry worker over the in-process queue: batches recorded and acknowledged, a crashed
// consumer's batches redelivered and recorded once, unreadable batches recorded with the reason,
// batches of unknown organisations dropped rather than retried forever. (The same worker over NATS
// JetStream, with a real process killed mid-stream, is tested end to end in tests/e2e.)
#include "hoshi/defense/telemetry_worker.h"

#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "hoshi/defense/synthetic.h"
#include "hoshi/stream/memory_queue.h"

namespace hoshi::defense {
namespace {

namespace fs = std::filesystem;
using storage::Value;

class TelemetryWorkerTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hoshi-worker-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto pool = storage::ConnectionPool::Create("sqlite:" + (dir_ / "db.sqlite").string(), 2);
    ASSERT_TRUE(pool.ok()) << pool.error().detail();
    pool_ = std::move(*pool);
    auto lease = pool_->Acquire();
    ASSERT_TRUE(lease.ok());
    ASSERT_TRUE(storage::Migrate(**lease).ok());
    for (const char* id : {"org-a", "org-b"}) {
      const std::vector<Value> p{std::string(id), std::string(id) + "-number", std::string(id),
                                 std::string("2026-01-01T00:00:00Z")};
      ASSERT_TRUE((*lease)
                      ->Query("INSERT INTO organizations (id, corporate_number, name, created_at) "
                              "VALUES (?, ?, ?, ?)",
                              p)
                      .ok());
    }
    stream::MemoryQueueOptions qo;
    qo.partitions = 2;
    auto queue = stream::MemoryQueue::Create(qo);
    ASSERT_TRUE(queue.ok());
    queue_ = std::move(*queue);

    SyntheticConfig config;
    config.hosts = 10;
    config.destinations = 50;
    config.beacons = 1;
    config.tunnel_queries = 0;
    config.duration_s = 3'600;
    auto events = GenerateSyntheticEvents(config);
    ASSERT_TRUE(events.ok());
    std::ostringstream out;
    ASSERT_TRUE(WriteZeekConnLog(out, *events).ok());
    log_ = out.str();
    for (const auto& e : *events) {
      conn_events_ += e.kind == EventKind::kConn ? 1 : 0;
    }
  }
  void TearDown() override {
    queue_.reset();
    pool_.reset();
    fs::remove_all(dir_);
  }

  void Publish(std::string_view id, std::string_view org, std::string payload,
               std::string kind = std::string(kTelemetryBatchKind)) {
    stream::Message m;
    m.id = std::string(id);
    m.organization_id = std::string(org);
    m.kind = std::move(kind);
    m.payload = std::move(payload);
    ASSERT_TRUE(queue_->Publish(m).ok());
  }

  std::string Envelope(std::string payload, std::string name = "conn.log") {
    return EncodeBatchEnvelope(
        {"test", std::move(name), "2026-11-22T00:00:00Z", std::move(payload)});
  }

  TelemetryTotals Totals(std::string_view org) {
    auto lease = pool_->Acquire();
    EXPECT_TRUE(lease.ok());
    auto t = TelemetryStore(**lease, clock_).Totals(org);
    EXPECT_TRUE(t.ok());
    return t.ok() ? *t : TelemetryTotals{};
  }

  std::unique_ptr<stream::Consumer> Consumer() {
    auto c = queue_->OpenConsumer({0, 1});
    EXPECT_TRUE(c.ok());
    return c.ok() ? std::move(*c) : nullptr;
  }

  fs::path dir_;
  std::unique_ptr<storage::ConnectionPool> pool_;
  std::unique_ptr<stream::MemoryQueue> queue_;
  FakeClock clock_{TimePoint(std::chrono::seconds(1795305600))};
  std::string log_;
  std::uint64_t conn_events_ = 0;
  WorkerOptions options_ = [] {
    WorkerOptions o;
    o.fetch_wait = std::chrono::milliseconds(50);
    return o;
  }();
};

TEST(BatchEnvelopeTest, RoundTripsBinaryPayloadsAndRejectsGarbage) {
  const std::string payload("\x1f\x8b\x00\n\xff binary\n", 13);
  const auto decoded =
      DecodeBatchEnvelope(EncodeBatchEnvelope({"sensor-1", "dns.log.gz", "t", payload}));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->source, "sensor-1");
  EXPECT_EQ(decoded->name_hint, "dns.log.gz");
  EXPECT_EQ(decoded->payload, payload);
  EXPECT_EQ(DecodeBatchEnvelope("no newline").error().code(), ErrorCode::kDataError);
  EXPECT_EQ(DecodeBatchEnvelope("[1]\nx").error().code(), ErrorCode::kDataError);
  EXPECT_EQ(DecodeBatchEnvelope(R"({"source":1,"name":"","received_at":""})"
                                "\nx")
                .error()
                .code(),
            ErrorCode::kDataError);
}

TEST_F(TelemetryWorkerTest, RecordsEveryBatchOnceAndAcknowledgesIt) {
  Publish("b1", "org-a", Envelope(log_));
  Publish("b2", "org-b", Envelope(log_));
  Publish("b3", "org-a", Envelope(log_));
  auto consumer = Consumer();
  TelemetryWorker worker(*consumer, *pool_, clock_, nullptr, options_);
  std::size_t handled = 0;
  for (int i = 0; i < 20 && handled < 3; ++i) {
    auto n = worker.PollOnce();
    ASSERT_TRUE(n.ok());
    handled += *n;
  }
  EXPECT_EQ(handled, 3u);
  EXPECT_EQ(worker.counters().processed, 3u);
  EXPECT_EQ(worker.counters().events, 3 * conn_events_);
  EXPECT_EQ(Totals("org-a").batches, 2u);
  EXPECT_EQ(Totals("org-a").events, 2 * conn_events_);
  EXPECT_EQ(Totals("org-b").batches, 1u);
  const auto stats = queue_->Stats();
  EXPECT_EQ(stats.acked, 3u);
  EXPECT_EQ(stats.pending + stats.ack_pending, 0u);
}

TEST_F(TelemetryWorkerTest, ACrashedConsumersBatchesAreRedeliveredAndCountedOnce) {
  for (int i = 0; i < 4; ++i) {
    Publish("b" + std::to_string(i), "org-a", Envelope(log_));
  }
  {
    // A worker that recorded two batches but died before acknowledging them.
    auto crashed = Consumer();
    auto got = crashed->Fetch(2, std::chrono::milliseconds(100));
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->size(), 2u);
    auto lease = pool_->Acquire();
    ASSERT_TRUE(lease.ok());
    for (auto& d : *got) {
      auto env = DecodeBatchEnvelope(d.message.payload);
      ASSERT_TRUE(env.ok());
      BatchRecord r;
      r.id = d.message.id;
      r.organization_id = d.message.organization_id;
      auto analysis = AnalyseBatch(env->payload, env->name_hint, nullptr);
      ASSERT_TRUE(analysis.ok());
      r.analysis = std::move(*analysis);
      ASSERT_TRUE(TelemetryStore(**lease, clock_).RecordBatch(r).ok());
    }
  }  // consumer destroyed without Ack: its two deliveries go back to the queue
  auto consumer = Consumer();
  TelemetryWorker worker(*consumer, *pool_, clock_, nullptr, options_);
  for (int i = 0; i < 20 && queue_->Stats().acked < 4; ++i) {
    ASSERT_TRUE(worker.PollOnce().ok());
  }
  EXPECT_EQ(queue_->Stats().acked, 4u);
  EXPECT_EQ(queue_->Stats().redelivered, 2u);
  EXPECT_EQ(worker.counters().duplicates, 2u);
  EXPECT_EQ(worker.counters().processed, 2u);
  EXPECT_EQ(Totals("org-a").batches, 4u);
  EXPECT_EQ(Totals("org-a").events, 4 * conn_events_);
}

TEST_F(TelemetryWorkerTest, UnreadableBatchesAreRecordedWithTheReasonUnknownOrganisationsDropped) {
  Publish("junk", "org-a", Envelope("\x01\x02 nothing we know\n"));
  Publish("no-envelope", "org-a", "just bytes without metadata");
  Publish("ghost", "org-nobody", Envelope(log_));
  auto consumer = Consumer();
  TelemetryWorker worker(*consumer, *pool_, clock_, nullptr, options_);
  for (int i = 0; i < 20 && queue_->Stats().acked < 3; ++i) {
    ASSERT_TRUE(worker.PollOnce().ok());
  }
  EXPECT_EQ(queue_->Stats().acked, 3u);
  EXPECT_EQ(worker.counters().dropped, 1u);
  auto lease = pool_->Acquire();
  ASSERT_TRUE(lease.ok());
  TelemetryStore store(**lease, clock_);
  auto junk = store.GetBatch("org-a", "junk");
  ASSERT_TRUE(junk.ok());
  EXPECT_EQ(junk->events, 0u);
  EXPECT_EQ(junk->malformed_detail["by_reason"]["unknown_format"], 1);
  auto bare = store.GetBatch("org-a", "no-envelope");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->malformed_detail["by_reason"]["envelope"], 1);
  EXPECT_EQ(Totals("org-nobody").batches, 0u);
}

}  // namespace
}  // namespace hoshi::defense
