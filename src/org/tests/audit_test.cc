// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/audit.h"

#include <atomic>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"
#include "hoshi/core/json.h"
#include "hoshi/org/identity.h"
#include "hoshi/storage/blob_store.h"

#include "test_db.h"

namespace hoshi::org {
namespace {

using storage::Value;
using test_support::OrgDbTest;

class AuditLogTest : public OrgDbTest {
 protected:
  // Three events for "org-a" and one for "org-b".
  void AppendSample(AuditLog& log) {
    for (int level : {2, 3, 4}) {
      auto e = log.Append("org-a", "user-1", "assessment.update", "assessment", "as-1",
                          Json{{"level", level}, {"note", "回答を更新"}});
      ASSERT_TRUE(e.ok()) << e.error().detail();
      clock_.Advance(std::chrono::seconds(1));
    }
    ASSERT_TRUE(
        log.Append("org-b", "", "organization.create", "organization", "org-b", Json{}).ok());
  }

  std::vector<AuditLog::Problem> VerifyOk(AuditLog& log) {
    auto problems = log.Verify();
    EXPECT_TRUE(problems.ok()) << (problems.ok() ? "" : problems.error().detail());
    return problems.ok() ? std::move(problems).value() : std::vector<AuditLog::Problem>{};
  }

  void ExpectOneProblem(AuditLog& log, std::int64_t seq, std::string_view kind) {
    const auto problems = VerifyOk(log);
    ASSERT_EQ(problems.size(), 1U);
    EXPECT_EQ(problems[0].organization_id, "org-a");
    EXPECT_EQ(problems[0].seq, seq);
    EXPECT_EQ(problems[0].kind, kind);
    EXPECT_FALSE(problems[0].message.ja.empty());
    EXPECT_FALSE(problems[0].message.en.empty());
    EXPECT_NE(problems[0].message.en.find("org-a"), std::string::npos) << problems[0].message.en;
  }
};

TEST(AuditRecordTest, CanonicalRecordIsAListOfNetstrings) {
  AuditEvent e;
  e.organization_id = "o";
  e.seq = 12;
  e.id = "i";
  e.at = "2026-11-22T00:00:00Z";
  e.action = "a.b";
  e.object_type = "x";
  e.object_id = "y";
  e.payload = Json{{"b", 1}, {"a", "あ"}};
  e.prev_hash = std::string(kAuditGenesisHash);
  const std::string payload = DumpJson(e.payload, -1);
  EXPECT_EQ(payload, R"({"a":"あ","b":1})");  // sorted keys, compact, UTF-8 kept
  EXPECT_EQ(AuditCanonicalRecord(e, payload),
            "14:hoshi.audit.v1,1:o,2:12,1:i,20:2026-11-22T00:00:00Z,0:,3:a.b,1:x,1:y,"
            "17:{\"a\":\"あ\",\"b\":1},64:" +
                std::string(64, '0') + ",");
  EXPECT_EQ(AuditEventHash(e), Sha256Hex(AuditCanonicalRecord(e, payload)));
  // Moving a byte between fields changes the record (no ambiguity).
  AuditEvent shifted = e;
  shifted.object_type = "xy";
  shifted.object_id = "";
  EXPECT_NE(AuditEventHash(shifted), AuditEventHash(e));
}

TEST_P(AuditLogTest, AppendBuildsAChainPerOrganization) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto events, log.List("org-a"));
  ASSERT_EQ(events.size(), 3U);
  std::string prev(kAuditGenesisHash);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const AuditEvent& e = events[i];
    EXPECT_EQ(e.seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(e.organization_id, "org-a");
    EXPECT_EQ(e.actor_user_id, "user-1");
    EXPECT_EQ(e.action, "assessment.update");
    EXPECT_EQ(e.payload.at("level"), static_cast<int>(i + 2));
    EXPECT_EQ(e.payload.at("note"), "回答を更新");
    EXPECT_EQ(e.prev_hash, prev);
    EXPECT_TRUE(storage::IsSha256Hex(e.hash));
    EXPECT_EQ(e.hash, AuditEventHash(e));
    prev = e.hash;
  }
  EXPECT_EQ(events[0].at, "2026-11-22T00:00:00Z");
  EXPECT_EQ(events[2].at, "2026-11-22T00:00:02Z");

  // Each organisation has its own sequence.
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto b, log.List("org-b"));
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b[0].seq, 1);
  EXPECT_EQ(b[0].prev_hash, kAuditGenesisHash);
  EXPECT_EQ(b[0].actor_user_id, "");

  // Paging.
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto page, log.List("org-a", 1, 1));
  ASSERT_EQ(page.size(), 1U);
  EXPECT_EQ(page[0].seq, 2);
  EXPECT_TRUE(log.List("org-a", 3)->empty());
  EXPECT_TRUE(log.List("nobody")->empty());

  // Keys are stored sorted, so the stored text is the hashed text.
  auto stored = Sql("SELECT payload FROM audit_events WHERE organization_id = ? AND seq = 1",
                    {Value(std::string("org-a"))});
  EXPECT_EQ(stored.rows.front().GetText(0).value(), R"({"level":2,"note":"回答を更新"})");

  EXPECT_TRUE(VerifyOk(log).empty());
}

TEST_P(AuditLogTest, AppendRejectsMissingFields) {
  AuditLog log(*conn_, clock_);
  EXPECT_EQ(log.Append("", "u", "a", "t", "o", Json{}).error().reason(), "org.audit_field_invalid");
  EXPECT_EQ(log.Append("org", "u", "", "t", "o", Json{}).error().code(),
            ErrorCode::kInvalidArgument);
}

TEST_P(AuditLogTest, ModifiedPayloadIsDetected) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  Sql("UPDATE audit_events SET payload = ? WHERE organization_id = ? AND seq = 2",
      {Value(std::string(R"({"level":4,"note":"回答を更新"})")), Value(std::string("org-a"))});
  ExpectOneProblem(log, 2, "modified");
}

TEST_P(AuditLogTest, ModifiedActorIsDetected) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  Sql("UPDATE audit_events SET actor_user_id = 'someone-else' WHERE organization_id = 'org-a' "
      "AND seq = 1");
  ExpectOneProblem(log, 1, "modified");
}

TEST_P(AuditLogTest, ReplacedEventWithRecomputedHashIsDetected) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(auto events, log.List("org-a"));
  AuditEvent forged = events[1];
  forged.payload["level"] = 5;
  forged.hash = AuditEventHash(forged);
  Sql("UPDATE audit_events SET payload = ?, hash = ? WHERE organization_id = 'org-a' AND seq = 2",
      {Value(DumpJson(forged.payload, -1)), Value(forged.hash)});
  // Event 2 is self-consistent now, but event 3 recorded the original hash.
  ExpectOneProblem(log, 2, "modified");
}

TEST_P(AuditLogTest, RewrittenSuffixIsDetectedByTheHead) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(auto events, log.List("org-a"));
  // Rewrite events 2 and 3 with consistent hashes and links: only the head still knows.
  std::string prev = events[0].hash;
  for (std::size_t i = 1; i < events.size(); ++i) {
    AuditEvent forged = events[i];
    forged.payload["level"] = 9;
    forged.prev_hash = prev;
    forged.hash = AuditEventHash(forged);
    Sql("UPDATE audit_events SET payload = ?, prev_hash = ?, hash = ? WHERE organization_id = "
        "'org-a' AND seq = ?",
        {Value(DumpJson(forged.payload, -1)), Value(forged.prev_hash), Value(forged.hash),
         Value(forged.seq)});
    prev = forged.hash;
  }
  ExpectOneProblem(log, 3, "head_mismatch");
}

TEST_P(AuditLogTest, DeletedMiddleEventIsDetected) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  Sql("DELETE FROM audit_events WHERE organization_id = 'org-a' AND seq = 2");
  ExpectOneProblem(log, 2, "deleted");
}

TEST_P(AuditLogTest, DeletedFirstEventIsDetected) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  Sql("DELETE FROM audit_events WHERE organization_id = 'org-a' AND seq = 1");
  ExpectOneProblem(log, 1, "deleted");
}

TEST_P(AuditLogTest, DeletedNewestEventIsDetected) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  Sql("DELETE FROM audit_events WHERE organization_id = 'org-a' AND seq = 3");
  ExpectOneProblem(log, 3, "deleted");
  // Appending afterwards continues after the head, so the gap stays visible.
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const AuditEvent next,
                                 log.Append("org-a", "user-1", "x", "y", "z", Json{}));
  EXPECT_EQ(next.seq, 4);
  ExpectOneProblem(log, 3, "deleted");
}

TEST_P(AuditLogTest, DeletedHeadIsDetected) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  Sql("DELETE FROM audit_heads WHERE organization_id = 'org-a'");
  ExpectOneProblem(log, 3, "head_mismatch");
}

TEST_P(AuditLogTest, AllEventsDeletedIsDetected) {
  AuditLog log(*conn_, clock_);
  AppendSample(log);
  Sql("DELETE FROM audit_events WHERE organization_id = 'org-a'");
  ExpectOneProblem(log, 1, "deleted");
}

TEST_P(AuditLogTest, AppendJoinsTheCallersTransaction) {
  AuditLog log(*conn_, clock_);
  IdentityStore identity(*conn_, clock_, MinimumPasswordPolicy());
  {
    HOSHI_ORG_ASSERT_OK_AND_ASSIGN(auto tx, storage::Transaction::Begin(*conn_));
    HOSHI_ORG_ASSERT_OK_AND_ASSIGN(
        const Organization org,
        identity.CreateOrganization("7010001999990", "サンプル", "", "company"));
    HOSHI_ORG_ASSERT_OK(log.Append(org.id, "", "organization.create", "organization", org.id,
                                   Json{{"name", org.name}}));
    EXPECT_TRUE(conn_->in_transaction());  // Append did not commit
    // tx goes out of scope: rolled back.
  }
  EXPECT_TRUE(identity.ListOrganizations()->empty());
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM audit_events").rows.front().GetInt(0).value(), 0);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM audit_heads").rows.front().GetInt(0).value(), 0);
  EXPECT_TRUE(VerifyOk(log).empty());

  // Explicit rollback, too.
  HOSHI_ORG_ASSERT_OK(conn_->Begin());
  HOSHI_ORG_ASSERT_OK(log.Append("org-x", "", "a", "t", "o", Json{}));
  HOSHI_ORG_ASSERT_OK(conn_->Rollback());
  EXPECT_TRUE(log.List("org-x")->empty());

  // Committed together.
  {
    HOSHI_ORG_ASSERT_OK_AND_ASSIGN(auto tx, storage::Transaction::Begin(*conn_));
    HOSHI_ORG_ASSERT_OK_AND_ASSIGN(
        const Organization org,
        identity.CreateOrganization("7010001999990", "サンプル", "", "company"));
    HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const AuditEvent e, log.Append(org.id, "", "organization.create",
                                                                  "organization", org.id, Json{}));
    EXPECT_EQ(e.seq, 1);
    HOSHI_ORG_ASSERT_OK(tx.Commit());
    HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto listed, log.List(org.id));
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0].hash, e.hash);
  }
  EXPECT_TRUE(VerifyOk(log).empty());
}

TEST_P(AuditLogTest, ConcurrentAppendsQueueOnPostgres) {
  if (!is_postgres()) {
    GTEST_SKIP() << "two connections to one in-memory SQLite database are two databases";
  }
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(auto other, OpenConnection());
  AuditLog first(*conn_, clock_);
  AuditLog second(*other, clock_);
  for (int round = 0; round < 2; ++round) {  // once creating the head row, once with it
    HOSHI_ORG_ASSERT_OK(conn_->Begin());
    HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const AuditEvent a,
                                   first.Append("org-c", "u1", "a", "t", "o", Json{}));
    std::optional<Result<AuditEvent>> b;
    std::atomic<bool> done{false};
    std::thread t([&] {
      b.emplace(second.Append("org-c", "u2", "b", "t", "o", Json{}));
      done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(done);  // waiting for the head row
    HOSHI_ORG_ASSERT_OK(conn_->Commit());
    t.join();
    ASSERT_TRUE(b.has_value());
    ASSERT_TRUE(b->ok()) << b->error().detail();
    EXPECT_EQ((*b)->seq, a.seq + 1);
    EXPECT_EQ((*b)->prev_hash, a.hash);
  }
  EXPECT_EQ(first.List("org-c")->size(), 4U);
  EXPECT_TRUE(VerifyOk(first).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest, ::testing::Values("sqlite::memory:", "postgres"),
                         test_support::BackendName);

}  // namespace
}  // namespace hoshi::org
