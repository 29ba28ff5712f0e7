// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"
#include "hoshi/storage/database.h"

namespace hoshi::assess {

/// Who confirms an assessment: a ★3 expert (情報処理安全確保支援士 etc.) or a ★4 evaluator.
enum class ReviewerRole { kExpert, kEvaluator };
[[nodiscard]] std::string_view ReviewerRoleName(ReviewerRole role);  ///< "expert" / "evaluator"
[[nodiscard]] std::optional<ReviewerRole> ParseReviewerRole(std::string_view name);

/// ★4 review steps whose results gate confirmation.
enum class ReviewKind { kDocument, kOnSite };
[[nodiscard]] std::string_view ReviewKindName(ReviewKind kind);  ///< "document" / "onsite"
[[nodiscard]] std::optional<ReviewKind> ParseReviewKind(std::string_view name);

/// Kinds of uploaded file.
inline constexpr std::string_view kUploadEvidence = "evidence";
inline constexpr std::string_view kUploadTechnicalReport = "technical_report";

struct Assignment {
  std::string assessment_id;
  ReviewerRole role = ReviewerRole::kExpert;
  std::string user_id;
  std::string assigned_at;
};

struct ReviewComment {
  std::string id;
  std::string assessment_id;
  std::string criterion_id;
  std::string author_user_id;
  std::string body;
  std::string created_at;
};

struct ReviewResult {
  ReviewKind kind = ReviewKind::kDocument;
  bool passed = false;
  std::string note;
  std::string user_id;
  std::string recorded_at;
};

struct Declaration {
  std::string assessment_id;
  std::string user_id;
  std::string signer_name;
  std::string signer_title;
  std::string statement;
  std::string declared_at;
};

struct Upload {
  std::string assessment_id;
  std::string kind;  ///< kUploadEvidence or kUploadTechnicalReport
  std::string criterion_id;
  std::string sha256;
  std::string filename;
  std::string media_type;
  std::int64_t size = 0;
  std::string uploaded_by;
  std::string uploaded_at;
};

/// The review side of an assessment: reviewer assignments, comments per criterion, ★4 review
/// results, the management self-declaration, uploaded files, and sharing with buyers. Writes
/// join the caller's transaction when one is open. Borrows connection and clock.
class ReviewStore {
 public:
  ReviewStore(storage::Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  /// Sets (or replaces) the reviewer of `role` for the assessment.
  [[nodiscard]] Status Assign(std::string_view assessment_id, ReviewerRole role,
                              std::string_view user_id);
  [[nodiscard]] Result<std::optional<Assignment>> AssignmentFor(std::string_view assessment_id,
                                                                ReviewerRole role);
  /// Every assignment of one user (their review queue), newest first.
  [[nodiscard]] Result<std::vector<Assignment>> AssignedTo(std::string_view user_id);

  [[nodiscard]] Result<ReviewComment> AddComment(std::string_view assessment_id,
                                                 std::string_view criterion_id,
                                                 std::string_view author_user_id,
                                                 std::string_view body);
  [[nodiscard]] Result<std::vector<ReviewComment>> Comments(std::string_view assessment_id);

  [[nodiscard]] Status RecordResult(std::string_view assessment_id, ReviewKind kind, bool passed,
                                    std::string_view note, std::string_view user_id);
  [[nodiscard]] Result<std::vector<ReviewResult>> Results(std::string_view assessment_id);

  /// kAlreadyExists when the assessment already has a declaration.
  [[nodiscard]] Status Declare(const Declaration& declaration);
  [[nodiscard]] Result<std::optional<Declaration>> DeclarationFor(std::string_view assessment_id);

  /// Records an upload (idempotent for the same file, kind and criterion).
  [[nodiscard]] Status AddUpload(const Upload& upload);
  [[nodiscard]] Result<std::vector<Upload>> Uploads(std::string_view assessment_id);

  [[nodiscard]] Status Share(std::string_view assessment_id, std::string_view buyer_org_id);
  [[nodiscard]] Status Unshare(std::string_view assessment_id, std::string_view buyer_org_id);
  [[nodiscard]] Result<bool> IsShared(std::string_view assessment_id,
                                      std::string_view buyer_org_id);
  [[nodiscard]] Result<std::vector<std::string>> SharedWith(std::string_view assessment_id);

 private:
  storage::Connection& conn_;
  const Clock& clock_;
};

}  // namespace hoshi::assess
