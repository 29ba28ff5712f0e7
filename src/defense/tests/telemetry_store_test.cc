// SPDX-License-Identifier: Apache-2.0
// The telemetry store on SQLite and PostgreSQL: batches recorded once (idempotent on the id),
// sightings correlated across organisations into campaigns within the window, early warnings to
// the affected organisations and — only with consent — their buyers, identity only with consent.
#include "hoshi/defense/telemetry_store.h"

#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "db_fixture.h"

namespace hoshi::defense {
namespace {

using storage::Value;

constexpr std::int64_t kDayUs = std::int64_t{86'400} * 1'000'000;
constexpr std::int64_t kT0 = std::int64_t{1'795'305'600} * 1'000'000;  // 2026-11-22T00:00:00Z

Detection Beacon(std::string_view src, std::string_view dst, std::int64_t first_us,
                 double score = 0.8) {
  Detection d;
  d.kind = Detection::Kind::kBeacon;
  d.src = *ParseIp(src);
  d.dst = *ParseIp(dst);
  d.score = score;
  d.first_ts_us = first_us;
  d.last_ts_us = first_us + 3'600'000'000;
  d.events = 60;
  d.evidence = nlohmann::json{{"beacon_type", "ip"}, {"beacon_score", 0.97}};
  return d;
}

class TelemetryStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) {
      return;
    }
    // Suppliers a, b, c, d; buyers x (of a), y (of b), z (of c).
    int number = 1;
    for (const char* id : {"org-a", "org-b", "org-c", "org-d", "buyer-x", "buyer-y", "buyer-z"}) {
      const std::vector<Value> p{std::string(id), fmt::format("{:013}", number++),
                                 fmt::format("株式会社{}", id), std::string(id) + " Ltd.",
                                 std::string("2026-01-01T00:00:00Z")};
      ASSERT_TRUE(conn_
                      ->Query("INSERT INTO organizations (id, corporate_number, name, name_en, "
                              "created_at) VALUES (?, ?, ?, ?, ?)",
                              p)
                      .ok());
    }
    for (const auto& [id, buyer, supplier] :
         {std::tuple{"rel-xa", "buyer-x", "org-a"}, std::tuple{"rel-yb", "buyer-y", "org-b"},
          std::tuple{"rel-zc", "buyer-z", "org-c"}}) {
      const std::vector<Value> p{std::string(id), std::string(buyer), std::string(supplier),
                                 std::string("2026-01-01T00:00:00Z")};
      ASSERT_TRUE(conn_
                      ->Query("INSERT INTO supplier_relationships (id, buyer_organization_id, "
                              "supplier_organization_id, required_level, decision, created_at) "
                              "VALUES (?, ?, ?, 3, '{}', ?)",
                              p)
                      .ok());
    }
    store_ = std::make_unique<TelemetryStore>(*conn_, clock_, config_);
  }

  BatchOutcome Record(std::string_view batch_id, std::string_view org,
                      std::vector<Detection> detections, std::size_t events = 100) {
    BatchRecord r;
    r.id = std::string(batch_id);
    r.organization_id = std::string(org);
    r.source = "test";
    r.bytes = 1234;
    r.analysis.stats.lines = events + 1;
    r.analysis.stats.events = events;
    r.analysis.stats.AddMalformed("bad_ts", "conn.log", 7, "x\ty");
    r.analysis.detections = std::move(detections);
    r.analysis.first_ts_us = kT0;
    r.analysis.last_ts_us = kT0 + 1;
    auto out = store_->RecordBatch(r);
    EXPECT_TRUE(out.ok()) << out.error().ToString(Lang::kEn) << out.error().detail();
    return out.ok() ? *out : BatchOutcome{};
  }

  std::vector<EarlyWarning> Warnings(std::string_view org) {
    auto w = store_->WarningsFor(org);
    EXPECT_TRUE(w.ok()) << w.error().detail();
    return w.ok() ? *w : std::vector<EarlyWarning>{};
  }

  CorrelationConfig config_;
  std::unique_ptr<TelemetryStore> store_;
};

TEST_P(TelemetryStoreTest, RecordsABatchOnceAndCountsNothingTwice) {
  const auto first = Record("batch-1", "org-a", {Beacon("192.168.1.10", "203.0.113.5", kT0)});
  EXPECT_FALSE(first.duplicate);
  EXPECT_EQ(first.batch.events, 100u);
  EXPECT_EQ(first.batch.malformed, 1u);
  EXPECT_EQ(first.batch.malformed_detail["by_reason"]["bad_ts"], 1);
  EXPECT_EQ(first.batch.detections, 1u);

  const auto again = Record("batch-1", "org-a", {Beacon("192.168.1.10", "203.0.113.5", kT0)});
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.batch.processed_at, first.batch.processed_at);

  auto totals = store_->Totals("org-a");
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(totals->batches, 1u);
  EXPECT_EQ(totals->events, 100u);
  EXPECT_EQ(totals->detections, 1u);
  auto detections = store_->Detections("org-a");
  ASSERT_TRUE(detections.ok());
  ASSERT_EQ(detections->size(), 1u);
  EXPECT_EQ((*detections)[0].kind, "beacon");
  EXPECT_EQ((*detections)[0].src, "192.168.1.10");
  EXPECT_EQ((*detections)[0].targets, std::vector<std::string>{"ipv4:203.0.113.5"});
  EXPECT_EQ((*detections)[0].evidence["beacon_score"], 0.97);

  // Another organisation cannot read the batch.
  EXPECT_EQ(store_->GetBatch("org-b", "batch-1").error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->GetBatch("org-a", "batch-1").ok());
  EXPECT_TRUE(store_->Detections("org-b")->empty());
}

TEST_P(TelemetryStoreTest, ACampaignNeedsKOrganisationsAndWarnsOnlyConsentingSuppliersBuyers) {
  // a lets buyer x be warned without its name; c lets buyer z be warned with its name; b says
  // nothing (default: no warning to y).
  ASSERT_TRUE(store_->SetConsent("org-a", "rel-xa", true, false, "user-a").ok());
  ASSERT_TRUE(store_->SetConsent("org-c", "rel-zc", true, true, "user-c").ok());

  EXPECT_TRUE(
      Record("b1", "org-a", {Beacon("192.168.1.10", "203.0.113.5", kT0)}).campaigns.empty());
  EXPECT_TRUE(
      Record("b2", "org-b", {Beacon("10.0.0.7", "203.0.113.5", kT0 + kDayUs)}).campaigns.empty());
  EXPECT_TRUE(store_->Campaigns()->empty());
  const auto third = Record("b3", "org-c", {Beacon("172.16.0.9", "203.0.113.5", kT0 + 2 * kDayUs)});
  ASSERT_EQ(third.campaigns.size(), 1u);
  const Campaign& c = third.campaigns[0];
  EXPECT_EQ(c.target, "ipv4:203.0.113.5");
  EXPECT_EQ(c.organizations, 3u);
  EXPECT_EQ(c.kind, "beacon");
  EXPECT_EQ(c.first_ts_us, kT0);

  auto stored = store_->GetCampaign(c.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->member_organization_ids, (std::vector<std::string>{"org-a", "org-b", "org-c"}));

  // Each member is warned about itself.
  for (const char* org : {"org-a", "org-b", "org-c"}) {
    const auto w = Warnings(org);
    ASSERT_EQ(w.size(), 1u) << org;
    EXPECT_EQ(w[0].relation, "self");
    EXPECT_EQ(w[0].subject_organization_id, org);
    EXPECT_EQ(w[0].campaign.organizations, 3u);
  }
  // x is warned, without a's identity; y is not warned; z is warned with c's identity.
  const auto x = Warnings("buyer-x");
  ASSERT_EQ(x.size(), 1u);
  EXPECT_EQ(x[0].relation, "supplier");
  EXPECT_FALSE(x[0].identity_disclosed);
  EXPECT_EQ(x[0].subject_organization_id, "");
  EXPECT_EQ(x[0].subject_organization_name, "");
  EXPECT_EQ(x[0].campaign.target, "ipv4:203.0.113.5");
  EXPECT_TRUE(Warnings("buyer-y").empty());
  const auto z = Warnings("buyer-z");
  ASSERT_EQ(z.size(), 1u);
  EXPECT_TRUE(z[0].identity_disclosed);
  EXPECT_EQ(z[0].subject_organization_id, "org-c");
  EXPECT_EQ(z[0].subject_organization_name, "株式会社org-c");
  // The batch that formed the campaign reports the warnings it created: three selves, x and z.
  EXPECT_EQ(third.warnings.size(), 5u);

  // d joins later: only d (and no one else again) is warned.
  const auto fourth =
      Record("b4", "org-d", {Beacon("192.168.9.9", "203.0.113.5", kT0 + 3 * kDayUs)});
  ASSERT_EQ(fourth.campaigns.size(), 1u);
  EXPECT_EQ(fourth.campaigns[0].id, c.id);
  EXPECT_EQ(fourth.campaigns[0].organizations, 4u);
  ASSERT_EQ(fourth.warnings.size(), 1u);
  EXPECT_EQ(fourth.warnings[0].recipient_organization_id, "org-d");
  EXPECT_EQ(Warnings("org-a").size(), 1u);
  EXPECT_EQ(Warnings("buyer-x").size(), 1u);
}

TEST_P(TelemetryStoreTest, SightingsOutsideTheWindowDoNotCorrelate) {
  Record("b1", "org-a", {Beacon("192.168.1.10", "198.51.100.20", kT0)});
  Record("b2", "org-b", {Beacon("192.168.1.11", "198.51.100.20", kT0 + kDayUs)});
  // Eight days after a's sighting: a is outside the 7-day window, so only b and c count.
  const auto late =
      Record("b3", "org-c", {Beacon("192.168.1.12", "198.51.100.20", kT0 + 8 * kDayUs)});
  EXPECT_TRUE(late.campaigns.empty());
  // d within the window of b and c: three organisations again.
  const auto d = Record("b4", "org-d", {Beacon("192.168.1.13", "198.51.100.20", kT0 + 8 * kDayUs)});
  ASSERT_EQ(d.campaigns.size(), 1u);
  auto stored = store_->GetCampaign(d.campaigns[0].id);
  EXPECT_EQ(stored->member_organization_ids, (std::vector<std::string>{"org-b", "org-c", "org-d"}));
}

TEST_P(TelemetryStoreTest, PrivateDestinationsIgnoredTargetsAndLowScoresDoNotCorrelate) {
  config_.ignored_targets = {"ipv4:192.0.2.53"};
  config_.min_score = 0.5;
  store_ = std::make_unique<TelemetryStore>(*conn_, clock_, config_);
  for (const char* org : {"org-a", "org-b", "org-c"}) {
    Record(std::string("b-") + org, org,
           {Beacon("192.168.1.10", "10.1.1.1", kT0), Beacon("192.168.1.10", "192.0.2.53", kT0),
            Beacon("192.168.1.10", "203.0.113.77", kT0, /*score=*/0.2)});
  }
  EXPECT_TRUE(store_->Campaigns()->empty());
  // The detections themselves are kept.
  EXPECT_EQ(store_->Detections("org-a")->size(), 3u);
}

TEST_P(TelemetryStoreTest, ConsentGivenLaterWarnsTheBuyerAndIdentityFollowsTheCurrentConsent) {
  for (const char* org : {"org-a", "org-b", "org-c"}) {
    Record(std::string("b-") + org, org, {Beacon("192.168.1.10", "203.0.113.5", kT0)});
  }
  EXPECT_TRUE(Warnings("buyer-y").empty());
  auto consent = store_->SetConsent("org-b", "rel-yb", true, true, "user-b");
  ASSERT_TRUE(consent.ok()) << consent.error().detail();
  EXPECT_TRUE(consent->warn_buyer);
  EXPECT_EQ(consent->buyer_organization_id, "buyer-y");
  auto y = Warnings("buyer-y");
  ASSERT_EQ(y.size(), 1u);
  EXPECT_EQ(y[0].subject_organization_id, "org-b");
  // b withdraws the identity consent: y still has the warning, but no longer sees who.
  ASSERT_TRUE(store_->SetConsent("org-b", "rel-yb", true, false, "user-b").ok());
  y = Warnings("buyer-y");
  ASSERT_EQ(y.size(), 1u);
  EXPECT_FALSE(y[0].identity_disclosed);
  EXPECT_EQ(y[0].subject_organization_id, "");

  // Only the supplier of a relationship sets its consent.
  EXPECT_EQ(store_->SetConsent("buyer-y", "rel-yb", true, true, "u").error().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->SetConsent("org-a", "rel-yb", true, true, "u").error().code(),
            ErrorCode::kNotFound);
  auto consents = store_->ConsentsOf("org-a");
  ASSERT_TRUE(consents.ok());
  ASSERT_EQ(consents->size(), 1u);
  EXPECT_FALSE((*consents)[0].warn_buyer);
  EXPECT_EQ((*consents)[0].updated_at, "");
}

TEST_P(TelemetryStoreTest, OnlyTheRecipientAcknowledgesAWarning) {
  for (const char* org : {"org-a", "org-b", "org-c"}) {
    Record(std::string("b-") + org, org, {Beacon("192.168.1.10", "203.0.113.5", kT0)});
  }
  const auto w = Warnings("org-a");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(store_->AcknowledgeWarning("org-b", w[0].id).error().code(), ErrorCode::kNotFound);
  auto ack = store_->AcknowledgeWarning("org-a", w[0].id);
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->acknowledged_at, "2026-11-22T00:00:00.000Z");
}

TEST_P(TelemetryStoreTest, SharingDataAggregatesPerTargetAndNamesTheVictims) {
  for (const char* org : {"org-a", "org-b"}) {
    Record(std::string("b-") + org, org, {Beacon("192.168.1.10", "203.0.113.5", kT0)});
  }
  // An inbound hit: the source is the attacker, not a victim.
  Detection inbound;
  inbound.kind = Detection::Kind::kIndicatorHit;
  inbound.src = *ParseIp("198.51.100.66");
  inbound.dst = *ParseIp("10.9.9.9");
  inbound.name = "198.51.100.66";
  inbound.score = 0.8;
  inbound.first_ts_us = kT0;
  inbound.last_ts_us = kT0;
  inbound.events = 3;
  inbound.evidence = nlohmann::json{
      {"field", "src_ip"}, {"indicator", "198.51.100.66"}, {"type", "ip"}, {"source", "test-list"}};
  Record("b-c", "org-c", {inbound});

  auto data = store_->SharingData(kT0 - kDayUs);
  ASSERT_TRUE(data.ok()) << data.error().detail();
  const auto find = [&](std::string_view value) {
    return std::find_if(data->sightings.begin(), data->sightings.end(),
                        [&](const SightingRecord& s) { return s.observable.value == value; });
  };
  const auto beacon = find("203.0.113.5");
  ASSERT_NE(beacon, data->sightings.end());
  EXPECT_EQ(beacon->organizations, 2u);
  EXPECT_EQ(beacon->count, 2u);
  EXPECT_EQ(beacon->detection_kind, "beacon");
  const auto& victims = data->victims;
  const auto has_address = [&](std::string_view ip) {
    return std::find(victims.addresses.begin(), victims.addresses.end(), *ParseIp(ip)) !=
           victims.addresses.end();
  };
  EXPECT_TRUE(has_address("192.168.1.10"));
  EXPECT_FALSE(has_address("198.51.100.66"));
  const auto& terms = victims.organization_terms;
  EXPECT_NE(std::find(terms.begin(), terms.end(), "株式会社org-a"), terms.end());
  EXPECT_NE(std::find(terms.begin(), terms.end(), "0000000000001"), terms.end());
}

TEST_P(TelemetryStoreTest, RejectsABatchWithoutIdOrOrganisation) {
  BatchRecord r;
  r.organization_id = "org-a";
  EXPECT_EQ(store_->RecordBatch(r).error().code(), ErrorCode::kInvalidArgument);
  r.id = "x";
  r.organization_id = "";
  EXPECT_EQ(store_->RecordBatch(r).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->Totals("org-a")->batches, 0u);
}

HOSHI_INSTANTIATE_DB_TEST(TelemetryStoreTest);

}  // namespace
}  // namespace hoshi::defense
