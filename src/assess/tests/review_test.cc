// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/review.h"

#include <gtest/gtest.h>

#include "hoshi/assess/certification.h"
#include "hoshi/assess/store.h"

#include "db_fixture.h"

namespace hoshi::assess {
namespace {

class ReviewStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    testing::DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    const std::vector<storage::Value> org{std::string("org-a"), std::string("7010001999990"),
                                          std::string("星取精機株式会社"),
                                          std::string("2026-11-22T00:00:00Z")};
    ASSERT_TRUE(conn_
                    ->Query("INSERT INTO organizations (id, corporate_number, name, created_at) "
                            "VALUES (?, ?, ?, ?)",
                            org)
                    .ok());
    for (const char* user : {"u-expert", "u-other"}) {
      const std::vector<storage::Value> u{std::string(user), std::string(user) + "@example.jp",
                                          std::string(user), std::string("x"),
                                          std::string("2026-11-22T00:00:00Z")};
      ASSERT_TRUE(conn_
                      ->Query("INSERT INTO users (id, email, display_name, password_hash, "
                              "created_at) VALUES (?, ?, ?, ?, ?)",
                              u)
                      .ok());
    }
    auto id = AssessmentStore(*conn_, clock_).Create("org-a", "scs-2026-03-27", 3);
    ASSERT_TRUE(id.ok());
    assessment_ = *id;
  }
  std::string assessment_;
};

TEST_P(ReviewStoreTest, AssignmentIsReplacedAndListedPerReviewer) {
  ReviewStore store(*conn_, clock_);
  ASSERT_TRUE(store.Assign(assessment_, ReviewerRole::kExpert, "u-other").ok());
  ASSERT_TRUE(store.Assign(assessment_, ReviewerRole::kExpert, "u-expert").ok());
  auto a = store.AssignmentFor(assessment_, ReviewerRole::kExpert);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ((*a)->user_id, "u-expert");
  auto none = store.AssignmentFor(assessment_, ReviewerRole::kEvaluator);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto queue = store.AssignedTo("u-expert");
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].assessment_id, assessment_);
  auto other = store.AssignedTo("u-other");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
}

TEST_P(ReviewStoreTest, CommentsResultsDeclarationUploadsAndShares) {
  ReviewStore store(*conn_, clock_);
  ASSERT_TRUE(store.AddComment(assessment_, "1-2-1-1", "u-expert", "規程の版数を記載").ok());
  auto comments = store.Comments(assessment_);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ((*comments)[0].body, "規程の版数を記載");

  ASSERT_TRUE(store.RecordResult(assessment_, ReviewKind::kDocument, false, "不足", "u-e").ok());
  ASSERT_TRUE(store.RecordResult(assessment_, ReviewKind::kDocument, true, "", "u-e").ok());
  auto results = store.Results(assessment_);
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 1u);
  EXPECT_TRUE((*results)[0].passed);

  Declaration d{assessment_, "u-other", "星取 太郎", "代表取締役", "宣誓します", ""};
  ASSERT_TRUE(store.Declare(d).ok());
  const Status twice = store.Declare(d);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code(), ErrorCode::kAlreadyExists);
  auto decl = store.DeclarationFor(assessment_);
  ASSERT_TRUE(decl.ok() && decl->has_value());
  EXPECT_EQ((*decl)->signer_title, "代表取締役");

  Upload u{assessment_, std::string(kUploadEvidence),
           "1-2-1-1",   std::string(64, 'a'),
           "規程.pdf",  "application/pdf",
           1234,        "u-other",
           ""};
  ASSERT_TRUE(store.AddUpload(u).ok());
  ASSERT_TRUE(store.AddUpload(u).ok());  // idempotent
  auto uploads = store.Uploads(assessment_);
  ASSERT_TRUE(uploads.ok());
  ASSERT_EQ(uploads->size(), 1u);
  EXPECT_EQ((*uploads)[0].size, 1234);
  EXPECT_EQ((*uploads)[0].filename, "規程.pdf");

  auto before = store.IsShared(assessment_, "org-a");
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(*before);
  ASSERT_TRUE(store.Share(assessment_, "org-a").ok());
  ASSERT_TRUE(store.Share(assessment_, "org-a").ok());
  auto shared = store.SharedWith(assessment_);
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(*shared, std::vector<std::string>{"org-a"});
  ASSERT_TRUE(store.Unshare(assessment_, "org-a").ok());
  auto after = store.IsShared(assessment_, "org-a");
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(*after);
}

TEST_P(ReviewStoreTest, CertificationValidityAnnualChecksAndRevocation) {
  CertificationStore store(*conn_, clock_);
  Certification c;
  c.assessment_id = assessment_;
  c.organization_id = "org-a";
  c.level = 4;
  c.catalog_key = "scs-2026-03-27";
  c.scope = "全社";
  c.issued_on = Date{2026, 11, 22};
  c.expires_on = CertificationExpiry(4, c.issued_on);
  c.assessment_digest = "sha256:" + std::string(64, '0');
  c.credential = "{}";
  EXPECT_EQ(c.expires_on, (Date{2029, 11, 21}));
  EXPECT_EQ(CertificationExpiry(3, c.issued_on), (Date{2027, 11, 21}));
  auto created = store.Create(c);
  ASSERT_TRUE(created.ok()) << created.error().detail();
  auto annual = store.Annual(created->id);
  ASSERT_TRUE(annual.ok());
  ASSERT_EQ(annual->size(), 2u);
  EXPECT_EQ((*annual)[0].due_on, (Date{2027, 11, 22}));

  auto st = StatusOn(*created, *annual, Date{2026, 12, 1});
  EXPECT_EQ(st.standing, Standing::kValid);
  EXPECT_FALSE(st.expiring_soon);
  EXPECT_EQ(st.annual_overdue, 0);
  st = StatusOn(*created, *annual, Date{2027, 12, 1});
  EXPECT_EQ(st.annual_overdue, 1);  // first yearly self-assessment missed
  st = StatusOn(*created, *annual, Date{2029, 10, 1});
  EXPECT_TRUE(st.expiring_soon);
  st = StatusOn(*created, *annual, Date{2029, 11, 22});
  EXPECT_EQ(st.standing, Standing::kExpired);

  auto submitted = store.SubmitAnnual(created->id, assessment_);
  ASSERT_TRUE(submitted.ok());
  annual = store.Annual(created->id);
  ASSERT_TRUE(annual.ok());
  EXPECT_EQ(StatusOn(*created, *annual, Date{2027, 12, 1}).annual_overdue, 0);

  ASSERT_TRUE(store.Revoke(created->id, "虚偽申告").ok());
  const Status again = store.Revoke(created->id, "x");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
  const Status missing = store.Revoke("nope", "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  auto revoked = store.Revoked();
  ASSERT_TRUE(revoked.ok());
  ASSERT_EQ(revoked->size(), 1u);
  auto loaded = store.Get(created->id);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(StatusOn(*loaded, {}, Date{2026, 12, 1}).standing, Standing::kRevoked);
}

TEST(AssessmentDigestTest, ChangesWithAnyCertifiedAnswer) {
  AssessmentRecord rec;
  rec.id = "a1";
  rec.organization_id = "org-a";
  rec.catalog_key = "scs-2026-03-27";
  rec.level = 3;
  Answer a;
  a.criterion_id = "1-2-1-1";
  a.status = AnswerStatus::kImplemented;
  rec.answers.answers[a.criterion_id] = a;
  const std::string base = AssessmentDigest(rec);
  EXPECT_EQ(base.substr(0, 7), "sha256:");
  EXPECT_EQ(base.size(), 7u + 64u);
  EXPECT_EQ(AssessmentDigest(rec), base);  // deterministic
  rec.answers.answers["1-2-1-1"].note = "追記";
  EXPECT_NE(AssessmentDigest(rec), base);
  rec.answers.answers["1-2-1-1"].note.clear();
  rec.answers.answers["1-2-1-1"].evidence = {std::string(64, 'a')};
  EXPECT_NE(AssessmentDigest(rec), base);
  rec.answers.answers["1-2-1-1"].evidence.clear();
  rec.level = 4;
  EXPECT_NE(AssessmentDigest(rec), base);
}

HOSHI_INSTANTIATE_DB_TEST(ReviewStoreTest);

}  // namespace
}  // namespace hoshi::assess
