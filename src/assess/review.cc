// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/review.h"

#include <array>

#include "hoshi/core/id.h"

namespace hoshi::assess {
namespace {

using storage::Value;

template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) {
  for (const auto& [value, name] : table) {
    if (value == e) {
      return name;
    }
  }
  return table[0].second;
}

template <typename Enum, std::size_t N>
std::optional<Enum> Parse(const std::array<std::pair<Enum, std::string_view>, N>& table,
                          std::string_view name) {
  for (const auto& [value, n] : table) {
    if (n == name) {
      return value;
    }
  }
  return std::nullopt;
}

constexpr std::array<std::pair<ReviewerRole, std::string_view>, 2> kRoles{{
    {ReviewerRole::kExpert, "expert"},
    {ReviewerRole::kEvaluator, "evaluator"},
}};
constexpr std::array<std::pair<ReviewKind, std::string_view>, 2> kKinds{{
    {ReviewKind::kDocument, "document"},
    {ReviewKind::kOnSite, "onsite"},
}};

std::vector<Value> Params(std::initializer_list<Value> values) {
  return {values};
}

Result<std::vector<std::string>> Texts(const storage::Row& row, std::size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (row.IsNull(i)) {
      out.emplace_back();
      continue;
    }
    HOSHI_ASSIGN_OR_RETURN(std::string v, row.GetText(i));
    out.push_back(std::move(v));
  }
  return out;
}

Result<Assignment> ToAssignment(const storage::Row& row) {
  HOSHI_ASSIGN_OR_RETURN(auto t, Texts(row, 4));
  Assignment a;
  a.assessment_id = t[0];
  a.role = ParseReviewerRole(t[1]).value_or(ReviewerRole::kExpert);
  a.user_id = t[2];
  a.assigned_at = t[3];
  return a;
}

}  // namespace

std::string_view ReviewerRoleName(ReviewerRole role) {
  return NameOf(kRoles, role);
}
std::optional<ReviewerRole> ParseReviewerRole(std::string_view name) {
  return Parse(kRoles, name);
}
std::string_view ReviewKindName(ReviewKind kind) {
  return NameOf(kKinds, kind);
}
std::optional<ReviewKind> ParseReviewKind(std::string_view name) {
  return Parse(kKinds, name);
}

Status ReviewStore::Assign(std::string_view assessment_id, ReviewerRole role,
                           std::string_view user_id) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  const std::string role_name(ReviewerRoleName(role));
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("DELETE FROM assessment_assignments WHERE assessment_id = ? AND role = ?",
                  Params({std::string(assessment_id), role_name})));
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("INSERT INTO assessment_assignments (assessment_id, role, user_id, assigned_at) "
                  "VALUES (?, ?, ?, ?)",
                  Params({std::string(assessment_id), role_name, std::string(user_id),
                          FormatTimestamp(clock_.Now())})));
  return tx.Commit();
}

Result<std::optional<Assignment>> ReviewStore::AssignmentFor(std::string_view assessment_id,
                                                             ReviewerRole role) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs,
      conn_.Query("SELECT assessment_id, role, user_id, assigned_at FROM "
                  "assessment_assignments WHERE assessment_id = ? AND role = ?",
                  Params({std::string(assessment_id), std::string(ReviewerRoleName(role))})));
  if (rs.rows.empty()) {
    return std::optional<Assignment>();
  }
  HOSHI_ASSIGN_OR_RETURN(Assignment a, ToAssignment(rs.rows[0]));
  return std::optional<Assignment>(std::move(a));
}

Result<std::vector<Assignment>> ReviewStore::AssignedTo(std::string_view user_id) {
  HOSHI_ASSIGN_OR_RETURN(auto rs,
                         conn_.Query("SELECT assessment_id, role, user_id, assigned_at FROM "
                                     "assessment_assignments WHERE user_id = ? "
                                     "ORDER BY assigned_at DESC, assessment_id",
                                     Params({std::string(user_id)})));
  std::vector<Assignment> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(Assignment a, ToAssignment(row));
    out.push_back(std::move(a));
  }
  return out;
}

Result<ReviewComment> ReviewStore::AddComment(std::string_view assessment_id,
                                              std::string_view criterion_id,
                                              std::string_view author_user_id,
                                              std::string_view body) {
  ReviewComment c{NewId(clock_),
                  std::string(assessment_id),
                  std::string(criterion_id),
                  std::string(author_user_id),
                  std::string(body),
                  FormatTimestamp(clock_.Now())};
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO review_comments (id, assessment_id, criterion_id, author_user_id, body, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?)",
      Params({c.id, c.assessment_id, c.criterion_id, c.author_user_id, c.body, c.created_at})));
  return c;
}

Result<std::vector<ReviewComment>> ReviewStore::Comments(std::string_view assessment_id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("SELECT id, assessment_id, criterion_id, author_user_id, body, "
                           "created_at FROM review_comments WHERE assessment_id = ? "
                           "ORDER BY created_at, id",
                           Params({std::string(assessment_id)})));
  std::vector<ReviewComment> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto t, Texts(row, 6));
    out.push_back(ReviewComment{t[0], t[1], t[2], t[3], t[4], t[5]});
  }
  return out;
}

Status ReviewStore::RecordResult(std::string_view assessment_id, ReviewKind kind, bool passed,
                                 std::string_view note, std::string_view user_id) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  const std::string kind_name(ReviewKindName(kind));
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("DELETE FROM review_results WHERE assessment_id = ? AND kind = ?",
                  Params({std::string(assessment_id), kind_name})));
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO review_results (assessment_id, kind, result, note, user_id, recorded_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      Params({std::string(assessment_id), kind_name, std::string(passed ? "pass" : "fail"),
              std::string(note), std::string(user_id), FormatTimestamp(clock_.Now())})));
  return tx.Commit();
}

Result<std::vector<ReviewResult>> ReviewStore::Results(std::string_view assessment_id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("SELECT kind, result, note, user_id, recorded_at FROM review_results "
                           "WHERE assessment_id = ? ORDER BY kind",
                           Params({std::string(assessment_id)})));
  std::vector<ReviewResult> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto t, Texts(row, 5));
    out.push_back(ReviewResult{ParseReviewKind(t[0]).value_or(ReviewKind::kDocument),
                               t[1] == "pass", t[2], t[3], t[4]});
  }
  return out;
}

Status ReviewStore::Declare(const Declaration& d) {
  return conn_
      .Query(
          "INSERT INTO declarations (assessment_id, user_id, signer_name, signer_title, "
          "statement, declared_at) VALUES (?, ?, ?, ?, ?, ?)",
          Params({d.assessment_id, d.user_id, d.signer_name, d.signer_title, d.statement,
                  d.declared_at.empty() ? FormatTimestamp(clock_.Now()) : d.declared_at}))
      .status();
}

Result<std::optional<Declaration>> ReviewStore::DeclarationFor(std::string_view assessment_id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("SELECT assessment_id, user_id, signer_name, signer_title, statement, "
                           "declared_at FROM declarations WHERE assessment_id = ?",
                           Params({std::string(assessment_id)})));
  if (rs.rows.empty()) {
    return std::optional<Declaration>();
  }
  HOSHI_ASSIGN_OR_RETURN(auto t, Texts(rs.rows[0], 6));
  return std::optional<Declaration>(Declaration{t[0], t[1], t[2], t[3], t[4], t[5]});
}

Status ReviewStore::AddUpload(const Upload& u) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  const auto key = Params({u.assessment_id, u.kind, u.criterion_id, u.sha256});
  HOSHI_ASSIGN_OR_RETURN(
      auto existing,
      conn_.Query("SELECT 1 FROM assessment_uploads WHERE assessment_id = ? AND kind = ? AND "
                  "criterion_id = ? AND blob_sha256 = ?",
                  key));
  if (existing.rows.empty()) {
    HOSHI_RETURN_IF_ERROR(conn_.Query(
        "INSERT INTO assessment_uploads (assessment_id, kind, criterion_id, blob_sha256, "
        "filename, media_type, size, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        Params({u.assessment_id, u.kind, u.criterion_id, u.sha256, u.filename, u.media_type, u.size,
                u.uploaded_by,
                u.uploaded_at.empty() ? FormatTimestamp(clock_.Now()) : u.uploaded_at})));
  }
  return tx.Commit();
}

Result<std::vector<Upload>> ReviewStore::Uploads(std::string_view assessment_id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs,
      conn_.Query("SELECT assessment_id, kind, criterion_id, blob_sha256, filename, media_type, "
                  "uploaded_by, uploaded_at, size FROM assessment_uploads WHERE assessment_id = ? "
                  "ORDER BY uploaded_at, blob_sha256",
                  Params({std::string(assessment_id)})));
  std::vector<Upload> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto t, Texts(row, 8));
    HOSHI_ASSIGN_OR_RETURN(std::int64_t size, row.GetInt(8));
    out.push_back(Upload{t[0], t[1], t[2], t[3], t[4], t[5], size, t[6], t[7]});
  }
  return out;
}

Status ReviewStore::Share(std::string_view assessment_id, std::string_view buyer_org_id) {
  HOSHI_ASSIGN_OR_RETURN(bool shared, IsShared(assessment_id, buyer_org_id));
  if (shared) {
    return Status::Ok();
  }
  return conn_
      .Query(
          "INSERT INTO assessment_shares (assessment_id, buyer_organization_id, shared_at) "
          "VALUES (?, ?, ?)",
          Params({std::string(assessment_id), std::string(buyer_org_id),
                  FormatTimestamp(clock_.Now())}))
      .status();
}

Status ReviewStore::Unshare(std::string_view assessment_id, std::string_view buyer_org_id) {
  return conn_
      .Query("DELETE FROM assessment_shares WHERE assessment_id = ? AND buyer_organization_id = ?",
             Params({std::string(assessment_id), std::string(buyer_org_id)}))
      .status();
}

Result<bool> ReviewStore::IsShared(std::string_view assessment_id, std::string_view buyer_org_id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("SELECT 1 FROM assessment_shares WHERE assessment_id = ? AND "
                           "buyer_organization_id = ?",
                           Params({std::string(assessment_id), std::string(buyer_org_id)})));
  return !rs.rows.empty();
}

Result<std::vector<std::string>> ReviewStore::SharedWith(std::string_view assessment_id) {
  HOSHI_ASSIGN_OR_RETURN(auto rs,
                         conn_.Query("SELECT buyer_organization_id FROM assessment_shares WHERE "
                                     "assessment_id = ? ORDER BY buyer_organization_id",
                                     Params({std::string(assessment_id)})));
  std::vector<std::string> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string id, row.GetText(0));
    out.push_back(std::move(id));
  }
  return out;
}

}  // namespace hoshi::assess
