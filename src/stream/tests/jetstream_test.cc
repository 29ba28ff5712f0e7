// SPDX-License-Identifier: Apache-2.0
// Runs against a real nats-server (Debian package nats-server) started by NatsServer.
#include "hoshi/stream/jetstream.h"

#include <nats/nats.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "nats_server.h"

namespace hoshi::stream {
namespace {

using std::chrono::milliseconds;

// Generous bound for anything that should happen "soon" (loaded machine, ASan).
constexpr milliseconds kSoon{20'000};

Message Msg(std::string org, std::string id, std::string payload = "p") {
  return Message{std::move(org), std::move(id), "telemetry.batch", std::move(payload)};
}

std::string OrgOn(std::uint32_t partition, std::uint32_t partitions, int salt = 0) {
  for (int i = 0;; ++i) {
    std::string org = "org-" + std::to_string(salt) + "-" + std::to_string(i);
    if (PartitionOf(org, partitions) == partition) {
      return org;
    }
  }
}

class JetStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()); }

  [[nodiscard]] JetStreamOptions Options() const {
    JetStreamOptions options;
    options.url = server_.url();
    options.partitions = 4;
    options.ack_wait = milliseconds(30'000);
    return options;
  }

  static std::unique_ptr<JetStream> ConnectOk(const JetStreamOptions& options) {
    auto js = JetStream::Connect(options);
    EXPECT_TRUE(js.ok()) << (js.ok()
                                 ? ""
                                 : js.error().ToString(Lang::kEn) + " / " + js.error().detail());
    return js.ok() ? std::move(js).value() : nullptr;
  }

  static std::unique_ptr<Consumer> OpenOk(JetStream& js, std::vector<std::uint32_t> partitions) {
    auto consumer = js.OpenConsumer(std::move(partitions));
    EXPECT_TRUE(consumer.ok()) << (consumer.ok() ? "" : consumer.error().detail());
    return consumer.ok() ? std::move(consumer).value() : nullptr;
  }

  // Fetches until `count` deliveries arrived or kSoon passed.
  static std::vector<Delivery> FetchN(Consumer& consumer, std::size_t count) {
    std::vector<Delivery> all;
    const auto until = std::chrono::steady_clock::now() + kSoon;
    while (all.size() < count && std::chrono::steady_clock::now() < until) {
      auto batch = consumer.Fetch(count - all.size(), milliseconds(500));
      EXPECT_TRUE(batch.ok()) << (batch.ok() ? "" : batch.error().detail());
      if (!batch.ok()) {
        break;
      }
      for (Delivery& d : *batch) {
        all.push_back(std::move(d));
      }
    }
    return all;
  }

  hoshi::testing::NatsServer server_;
};

TEST_F(JetStreamTest, PublishesAndConsumesEveryMessageExactlyOnce) {
  auto js = ConnectOk(Options());
  ASSERT_NE(js, nullptr);
  std::map<std::string, std::string> expected;  // id -> payload
  for (int org = 0; org < 6; ++org) {
    for (int i = 0; i < 10; ++i) {
      const std::string id = "batch-" + std::to_string(org) + "-" + std::to_string(i);
      expected[id] = "payload of " + id;
      ASSERT_TRUE(js->Publish(Msg("org-" + std::to_string(org), id, expected[id])).ok());
    }
  }
  auto consumer = OpenOk(*js, {});
  ASSERT_NE(consumer, nullptr);
  auto got = FetchN(*consumer, expected.size());
  ASSERT_EQ(got.size(), expected.size());
  std::map<std::string, std::uint64_t> last_sequence_per_org;
  std::set<std::string> seen;
  for (Delivery& d : got) {
    EXPECT_TRUE(seen.insert(d.message.id).second) << "delivered twice: " << d.message.id;
    EXPECT_EQ(d.message.payload, expected[d.message.id]);
    EXPECT_EQ(d.message.kind, "telemetry.batch");
    EXPECT_EQ(d.delivery_count, 1U);
    EXPECT_EQ(d.partition, PartitionOf(d.message.organization_id, 4));
    auto& last = last_sequence_per_org[d.message.organization_id];
    EXPECT_GT(d.stream_sequence, last) << "order within an organisation";
    last = d.stream_sequence;
    ASSERT_TRUE(consumer->Ack(d).ok());
    EXPECT_TRUE(d.settled());
  }
  auto more = consumer->Fetch(10, milliseconds(300));
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(more->empty());
  for (std::uint32_t p = 0; p < 4; ++p) {
    auto backlog = js->Backlog(p);
    ASSERT_TRUE(backlog.ok()) << backlog.error().detail();
    EXPECT_EQ(*backlog, (PartitionBacklog{p, 0, 0}));
  }
}

TEST_F(JetStreamTest, ConsumerSeesOnlyItsPartition) {
  auto js = ConnectOk(Options());
  ASSERT_NE(js, nullptr);
  for (std::uint32_t p = 0; p < 4; ++p) {
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(
          js->Publish(Msg(OrgOn(p, 4, i), "m-" + std::to_string(p) + "-" + std::to_string(i)))
              .ok());
    }
  }
  auto backlog = js->Backlog(2);
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 3U);

  auto consumer = OpenOk(*js, {2});
  ASSERT_NE(consumer, nullptr);
  auto got = FetchN(*consumer, 3);
  ASSERT_EQ(got.size(), 3U);
  for (Delivery& d : got) {
    EXPECT_EQ(d.partition, 2U);
    EXPECT_EQ(PartitionOf(d.message.organization_id, 4), 2U);
    ASSERT_TRUE(consumer->Ack(d).ok());
  }
  auto more = consumer->Fetch(10, milliseconds(300));
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(more->empty());
  EXPECT_EQ(js->Backlog(1)->pending, 3U);
  EXPECT_EQ(js->Backlog(2)->pending, 0U);

  auto bad = js->OpenConsumer({4});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(JetStreamTest, ServesPartitionsFairly) {
  auto js = ConnectOk(Options());
  ASSERT_NE(js, nullptr);
  const std::string busy = OrgOn(0, 4);
  const std::string quiet = OrgOn(3, 4);
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(js->Publish(Msg(busy, "b" + std::to_string(i))).ok());
  }
  ASSERT_TRUE(js->Publish(Msg(quiet, "q")).ok());
  auto consumer = OpenOk(*js, {0, 3});
  ASSERT_NE(consumer, nullptr);
  auto batch = consumer->Fetch(10, milliseconds(2000));
  ASSERT_TRUE(batch.ok());
  ASSERT_FALSE(batch->empty());
  int quiet_count = 0;
  for (const Delivery& d : *batch) {
    quiet_count += d.message.organization_id == quiet ? 1 : 0;
  }
  EXPECT_EQ(quiet_count, 1) << "a busy partition must not starve a quiet one";
}

TEST_F(JetStreamTest, UnackedMessagesAreRedeliveredToTheNextConsumer) {
  JetStreamOptions options = Options();
  options.ack_wait = milliseconds(1000);
  auto js = ConnectOk(options);
  ASSERT_NE(js, nullptr);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(js->Publish(Msg("org-crash", "c" + std::to_string(i))).ok());
  }
  std::set<std::string> first_ids;
  {
    auto crashed = OpenOk(*js, {});
    ASSERT_NE(crashed, nullptr);
    auto got = FetchN(*crashed, 3);
    ASSERT_EQ(got.size(), 3U);
    for (const Delivery& d : got) {
      first_ids.insert(d.message.id);
    }
    // Consumer and deliveries are destroyed without acking (a crashed worker).
  }
  auto next = OpenOk(*js, {});
  ASSERT_NE(next, nullptr);
  auto again = FetchN(*next, 3);
  ASSERT_EQ(again.size(), 3U);
  for (Delivery& d : again) {
    EXPECT_TRUE(first_ids.contains(d.message.id));
    EXPECT_EQ(d.delivery_count, 2U);
    ASSERT_TRUE(next->Ack(d).ok());
  }
  auto more = next->Fetch(10, milliseconds(1500));
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(more->empty()) << "acked messages must not come back";
}

TEST_F(JetStreamTest, NakRedeliversSoon) {
  auto js = ConnectOk(Options());  // ack_wait 30 s: only the nak can bring it back in time
  ASSERT_NE(js, nullptr);
  ASSERT_TRUE(js->Publish(Msg("org-nak", "n1")).ok());
  auto consumer = OpenOk(*js, {});
  ASSERT_NE(consumer, nullptr);
  auto got = FetchN(*consumer, 1);
  ASSERT_EQ(got.size(), 1U);
  ASSERT_TRUE(consumer->Nak(got[0]).ok());
  EXPECT_TRUE(got[0].settled());
  auto again = FetchN(*consumer, 1);
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].message.id, "n1");
  EXPECT_EQ(again[0].delivery_count, 2U);
  EXPECT_EQ(again[0].stream_sequence, got[0].stream_sequence);
  ASSERT_TRUE(consumer->Ack(again[0]).ok());
  Status twice = consumer->Ack(again[0]);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(JetStreamTest, InProgressKeepsTheMessageFromBeingRedelivered) {
  JetStreamOptions options = Options();
  options.ack_wait = milliseconds(2000);
  auto js = ConnectOk(options);
  ASSERT_NE(js, nullptr);
  ASSERT_TRUE(js->Publish(Msg("org-long", "long-1")).ok());
  auto worker = OpenOk(*js, {});
  auto other = OpenOk(*js, {});
  ASSERT_NE(worker, nullptr);
  ASSERT_NE(other, nullptr);
  auto got = FetchN(*worker, 1);
  ASSERT_EQ(got.size(), 1U);
  // Extend for well over one ack wait; the other consumer must not receive it meanwhile.
  const auto until = std::chrono::steady_clock::now() + milliseconds(5000);
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_TRUE(worker->InProgress(got[0]).ok());
    auto stolen = other->Fetch(1, milliseconds(300));
    ASSERT_TRUE(stolen.ok());
    EXPECT_TRUE(stolen->empty());
  }
  ASSERT_TRUE(worker->Ack(got[0]).ok());
}

TEST_F(JetStreamTest, SameIdIsStoredOnce) {
  auto js = ConnectOk(Options());
  ASSERT_NE(js, nullptr);
  ASSERT_TRUE(js->Publish(Msg("org-dup", "batch-42", "first")).ok());
  ASSERT_TRUE(js->Publish(Msg("org-dup", "batch-42", "second")).ok());  // duplicate → OK
  ASSERT_TRUE(js->Publish(Msg("org-dup", "batch-43", "third")).ok());
  auto consumer = OpenOk(*js, {});
  ASSERT_NE(consumer, nullptr);
  auto got = FetchN(*consumer, 2);
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[0].message.id, "batch-42");
  EXPECT_EQ(got[0].message.payload, "first");
  EXPECT_EQ(got[1].message.id, "batch-43");
  for (Delivery& d : got) {
    ASSERT_TRUE(consumer->Ack(d).ok());
  }
  auto more = consumer->Fetch(10, milliseconds(500));
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(more->empty()) << "the duplicate must not have been stored";
}

TEST_F(JetStreamTest, MessagesSurviveAServerRestart) {
  auto js = ConnectOk(Options());
  ASSERT_NE(js, nullptr);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(js->Publish(Msg("org-restart", "r" + std::to_string(i))).ok());
  }
  ASSERT_TRUE(server_.Restart());

  auto fresh = ConnectOk(Options());
  ASSERT_NE(fresh, nullptr);
  auto consumer = OpenOk(*fresh, {});
  ASSERT_NE(consumer, nullptr);
  auto got = FetchN(*consumer, 5);
  ASSERT_EQ(got.size(), 5U);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(got[static_cast<std::size_t>(i)].message.id, "r" + std::to_string(i));
    ASSERT_TRUE(consumer->Ack(got[static_cast<std::size_t>(i)]).ok());
  }

  // The old connection reconnects by itself: publishing works again (retry while it does).
  Status s = MakeError(ErrorCode::kUnavailable, StreamMessages(), "stream.closed");
  const auto until = std::chrono::steady_clock::now() + kSoon;
  while (!s.ok() && std::chrono::steady_clock::now() < until) {
    s = js->Publish(Msg("org-restart", "after"));
    if (!s.ok()) {
      EXPECT_EQ(s.error().code(), ErrorCode::kUnavailable);
      std::this_thread::sleep_for(milliseconds(100));
    }
  }
  ASSERT_TRUE(s.ok()) << s.error().detail();
  auto after = FetchN(*consumer, 1);
  ASSERT_EQ(after.size(), 1U);
  EXPECT_EQ(after[0].message.id, "after");
  ASSERT_TRUE(consumer->Ack(after[0]).ok());
}

TEST_F(JetStreamTest, TooLargePayloadIsRejected) {
  auto js = ConnectOk(Options());
  ASSERT_NE(js, nullptr);
  ASSERT_GT(js->max_payload(), 0);
  Status s = js->Publish(
      Msg("org-big", "big-1", std::string(static_cast<std::size_t>(js->max_payload()) + 1, 'x')));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kTooLarge);
  EXPECT_EQ(s.error().reason(), "stream.message_too_large");
  // Just under the limit (leaving room for the headers) is fine.
  EXPECT_TRUE(js->Publish(Msg("org-big", "big-2",
                              std::string(static_cast<std::size_t>(js->max_payload()) - 200, 'x')))
                  .ok());
}

TEST_F(JetStreamTest, BinaryPayloadRoundTripsByteExact) {
  auto js = ConnectOk(Options());
  ASSERT_NE(js, nullptr);
  std::string payload;
  for (int round = 0; round < 4; ++round) {
    for (int b = 0; b < 256; ++b) {
      payload.push_back(static_cast<char>(b));
    }
  }
  payload.insert(0, std::string("\x1f\x8b\x08\x00", 4));  // a gzip header, NUL included
  payload += std::string("\r\n\r\nNATS/1.0\r\n", 14);
  ASSERT_TRUE(js->Publish(Msg("org-bin", "bin-1", payload)).ok());
  ASSERT_TRUE(js->Publish(Msg("org-bin", "bin-empty", "")).ok());
  auto consumer = OpenOk(*js, {});
  ASSERT_NE(consumer, nullptr);
  auto got = FetchN(*consumer, 2);
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[0].message.payload.size(), payload.size());
  EXPECT_TRUE(got[0].message.payload == payload);
  EXPECT_TRUE(got[1].message.payload.empty());
  for (Delivery& d : got) {
    ASSERT_TRUE(consumer->Ack(d).ok());
  }
}

TEST_F(JetStreamTest, ConnectingAgainWithChangedOptionsUpdatesTheStream) {
  auto first = ConnectOk(Options());
  ASSERT_NE(first, nullptr);
  ASSERT_NE(OpenOk(*first, {0}), nullptr);
  JetStreamOptions changed = Options();
  changed.duplicate_window = std::chrono::seconds(30);
  changed.ack_wait = milliseconds(5000);
  changed.max_deliver = 5;
  auto second = ConnectOk(changed);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(OpenOk(*second, {0}), nullptr);
}

TEST_F(JetStreamTest, ConsumersAndDeliveriesMayOutliveTheConnectionObject) {
  auto js = ConnectOk(Options());
  ASSERT_NE(js, nullptr);
  ASSERT_TRUE(js->Publish(Msg("org-late", "late-1")).ok());
  ASSERT_TRUE(js->Publish(Msg("org-late", "late-2")).ok());
  auto consumer = OpenOk(*js, {});
  ASSERT_NE(consumer, nullptr);
  js.reset();
  auto got = FetchN(*consumer, 2);
  ASSERT_EQ(got.size(), 2U);
  consumer.reset();
  // The deliveries outlived their consumer; another consumer settles them.
  auto other = OpenOk(*ConnectOk(Options()), {});
  ASSERT_NE(other, nullptr);
  for (Delivery& d : got) {
    EXPECT_FALSE(d.settled());
    ASSERT_TRUE(other->Ack(d).ok());
  }
  EXPECT_EQ(ConnectOk(Options())->Backlog(PartitionOf("org-late", 4))->ack_pending, 0U);
}

TEST_F(JetStreamTest, MessagesNotPublishedByThisModuleAreSkipped) {
  auto js = ConnectOk(Options());
  ASSERT_NE(js, nullptr);
  // Someone else publishes on the stream's subjects with an organisation id that is not one.
  natsConnection* nc = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, server_.url().c_str()), NATS_OK);
  const char bad[] = "not ours";
  EXPECT_EQ(natsConnection_Publish(nc, "hoshi.telemetry.0.a.b", bad, sizeof(bad) - 1), NATS_OK);
  EXPECT_EQ(natsConnection_FlushTimeout(nc, 5000), NATS_OK);
  natsConnection_Destroy(nc);
  const std::string org = OrgOn(0, 4);
  ASSERT_TRUE(js->Publish(Msg(org, "good-1")).ok());

  auto consumer = OpenOk(*js, {0});
  ASSERT_NE(consumer, nullptr);
  auto got = FetchN(*consumer, 1);
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].message.id, "good-1");
  EXPECT_EQ(got[0].message.organization_id, org);
  ASSERT_TRUE(consumer->Ack(got[0]).ok());
  auto more = consumer->Fetch(10, milliseconds(500));
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(more->empty());
  auto backlog = js->Backlog(0);
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(*backlog, (PartitionBacklog{0, 0, 0})) << "the foreign message is terminated";
}

TEST_F(JetStreamTest, InvalidOptionsAreRejected) {
  for (const auto& mutate : std::vector<void (*)(JetStreamOptions&)>{
           [](JetStreamOptions& o) { o.stream = "a.b"; },
           [](JetStreamOptions& o) { o.subject_prefix = "a.*"; },
           [](JetStreamOptions& o) { o.subject_prefix = "a..b"; },
           [](JetStreamOptions& o) { o.durable_prefix = "w>"; },
           [](JetStreamOptions& o) { o.partitions = 0; },
           [](JetStreamOptions& o) { o.max_deliver = 0; },
           [](JetStreamOptions& o) { o.ack_wait = milliseconds(0); },
       }) {
    JetStreamOptions options = Options();
    mutate(options);
    auto js = JetStream::Connect(options);
    ASSERT_FALSE(js.ok());
    EXPECT_EQ(js.error().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(JetStreamConnectTest, NoServerGivesUnavailableQuicklyWithoutCredentials) {
  const int port = hoshi::testing::PickFreePort();
  ASSERT_NE(port, 0);
  JetStreamOptions options;
  options.url = "nats://hoshi:s3cret-pw@127.0.0.1:" + std::to_string(port);
  const auto start = std::chrono::steady_clock::now();
  auto js = JetStream::Connect(options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(js.ok());
  EXPECT_EQ(js.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(js.error().reason(), "stream.nats_unavailable");
  EXPECT_LT(elapsed, milliseconds(10'000));
  const std::string where = "127.0.0.1:" + std::to_string(port);
  for (const Lang lang : {Lang::kJa, Lang::kEn}) {
    const std::string text = js.error().message(lang);
    EXPECT_NE(text.find(where), std::string::npos) << text;
    EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
  }
  EXPECT_EQ(js.error().detail().find("s3cret"), std::string::npos) << js.error().detail();
}

}  // namespace
}  // namespace hoshi::stream
