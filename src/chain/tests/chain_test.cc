// SPDX-License-Identifier: Apache-2.0
#include "hoshi/chain/chain.h"

#include <gtest/gtest.h>

#include "db_fixture.h"

namespace hoshi::chain {
namespace {

// The model decision tree as a table: every combination of the three questions.
struct TreeCase {
  bool confidential, delay, network, raise_with_factor;
  int level;
};
constexpr TreeCase kTree[] = {
    {false, false, false, false, 3}, {true, false, false, false, 4}, {false, true, false, false, 4},
    {false, false, true, false, 4},  {true, true, true, false, 4},   {false, false, false, true, 4},
};

TEST(DecisionTree, AnyYesMeansStarFour) {
  for (const TreeCase& c : kTree) {
    Decision d;
    d.confidential_info_on_supplier_it = c.confidential;
    d.stop_causes_unacceptable_delay = c.delay;
    d.supplier_reaches_internal_systems = c.network;
    if (c.raise_with_factor) {
      d.additional_factors = {"個人情報を大量に扱う"};
      d.raise_to_four = true;
    }
    EXPECT_EQ(RequiredLevel(d), c.level) << c.confidential << c.delay << c.network;
  }
  Decision raise_without_factor;
  raise_without_factor.raise_to_four = true;
  EXPECT_EQ(RequiredLevel(raise_without_factor), 3);
}

TEST(DecisionTree, JsonRoundTripAndTypeErrors) {
  Decision d;
  d.stop_causes_unacceptable_delay = true;
  d.additional_factors = {"海外拠点"};
  d.reason = "納期への影響が大きい";
  auto back = DecisionFromJson(DecisionToJson(d));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->stop_causes_unacceptable_delay);
  EXPECT_EQ(back->reason, d.reason);
  auto bad = DecisionFromJson(nlohmann::json{{"confidential_info_on_supplier_it", "yes"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message(Lang::kJa).find("confidential_info_on_supplier_it"),
            std::string::npos);
  auto long_reason = DecisionFromJson(nlohmann::json{{"reason", std::string(2001, 'a')}});
  ASSERT_FALSE(long_reason.ok());
  EXPECT_EQ(long_reason.error().reason(), "chain.field_too_long");
}

class ChainStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    testing::DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    int n = 0;
    for (const char* org : {"buyer", "sup1", "sup2"}) {
      const std::vector<storage::Value> row{std::string(org), std::to_string(1000000000000 + ++n),
                                            std::string(org), std::string("2026-11-22T00:00:00Z")};
      ASSERT_TRUE(conn_
                      ->Query("INSERT INTO organizations (id, corporate_number, name, "
                              "created_at) VALUES (?, ?, ?, ?)",
                              row)
                      .ok());
    }
  }
};

TEST_P(ChainStoreTest, RelationshipsAndRequests) {
  ChainStore store(*conn_, clock_);
  Decision d;
  d.supplier_reaches_internal_systems = true;
  auto rel = store.AddSupplier("buyer", "sup1", d);
  ASSERT_TRUE(rel.ok()) << rel.error().detail();
  EXPECT_EQ(rel->required_level, 4);
  auto dup = store.AddSupplier("buyer", "sup1", Decision{});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  auto self = store.AddSupplier("buyer", "buyer", Decision{});
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(store.AddSupplier("buyer", "sup2", Decision{}).ok());

  auto suppliers = store.SuppliersOf("buyer");
  ASSERT_TRUE(suppliers.ok());
  ASSERT_EQ(suppliers->size(), 2u);
  EXPECT_TRUE((*suppliers)[0].decision.supplier_reaches_internal_systems);
  auto buyers = store.BuyersOf("sup2");
  ASSERT_TRUE(buyers.ok());
  ASSERT_EQ(buyers->size(), 1u);
  EXPECT_EQ((*buyers)[0].required_level, 3);
  ASSERT_TRUE(store.SetNameConsent(rel->id, true).ok());
  auto reloaded = store.GetRelationship(rel->id);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_TRUE(reloaded->name_consent);

  auto past = store.SendRequest(*rel, 4, Date{2026, 1, 1}, "");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().reason(), "chain.due_in_past");
  auto bad_level = store.SendRequest(*rel, 5, Date{2027, 3, 31}, "");
  ASSERT_FALSE(bad_level.ok());
  auto req = store.SendRequest(*rel, 4, Date{2027, 3, 31}, "来期の取引条件です");
  ASSERT_TRUE(req.ok()) << req.error().detail();
  auto no_reason = store.Respond(req->id, false, "  ");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().reason(), "chain.reason_required");
  auto accepted = store.Respond(req->id, true, "費用は折半、2027年3月までに取得");
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->state, RequestState::kAccepted);
  auto again = store.Respond(req->id, false, "やはり辞退");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
  auto incoming = store.RequestsToSupplier("sup1");
  ASSERT_TRUE(incoming.ok());
  ASSERT_EQ(incoming->size(), 1u);
  EXPECT_EQ(incoming->front().response_note, "費用は折半、2027年3月までに取得");
  auto outgoing = store.RequestsFromBuyer("buyer");
  ASSERT_TRUE(outgoing.ok());
  EXPECT_EQ(outgoing->size(), 1u);
  auto missing = store.Respond("nope", true, "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

HOSHI_INSTANTIATE_DB_TEST(ChainStoreTest);

}  // namespace
}  // namespace hoshi::chain
