// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/assess/store.h"
#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"
#include "hoshi/storage/database.h"

namespace hoshi::assess {

/// Validity rules of the SCS scheme: ★3 one year, ★4 three years (with a yearly
/// self-assessment due to the evaluator on each anniversary). Valid through `expires_on`.
[[nodiscard]] Date CertificationExpiry(int level, Date issued_on);
/// The anniversaries on which a ★4 holder owes the yearly self-assessment (empty for ★3).
[[nodiscard]] std::vector<Date> AnnualDueDates(int level, Date issued_on);
/// "sha256:<hex>" over the canonical JSON of what is certified (id, organisation, catalog, level
/// and every answer with its evidence): the credential carries it, so the certified answers can
/// be shown later to be the ones signed.
[[nodiscard]] std::string AssessmentDigest(const AssessmentRecord& record);
/// A certificate expiring within this many days is reported as "expiring soon".
inline constexpr int kExpiringSoonDays = 90;

struct Certification {
  std::string id;
  std::string assessment_id;
  std::string organization_id;
  int level = 0;
  std::string catalog_key;
  std::string scope;
  Date issued_on;
  Date expires_on;
  std::string assessment_digest;  ///< "sha256:<hex>"
  std::string credential;         ///< the signed credential file (JCS text)
  std::optional<std::string> revoked_at;
  std::string revocation_reason;
  std::string created_at;
};

struct AnnualCheck {
  Date due_on;
  std::optional<std::string> assessment_id;
  std::optional<std::string> submitted_at;
};

/// Status of a certificate on a given day.
enum class Standing { kValid, kExpired, kRevoked };
[[nodiscard]] std::string_view StandingName(Standing s);  ///< "valid" / "expired" / "revoked"
[[nodiscard]] LocalizedText StandingLabel(Standing s);

struct CertificationStatus {
  Standing standing = Standing::kValid;
  bool expiring_soon = false;  ///< valid and expires within kExpiringSoonDays
  int annual_overdue = 0;      ///< yearly self-assessments past due and not submitted
  std::optional<Date> next_annual_due;
};
[[nodiscard]] CertificationStatus StatusOn(const Certification& c,
                                           const std::vector<AnnualCheck>& annual, Date today);

/// Persists certifications, their yearly self-assessment obligations and revocations.
class CertificationStore {
 public:
  CertificationStore(storage::Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  /// Stores `c` (id assigned when empty) and its yearly obligations; joins an open transaction.
  [[nodiscard]] Result<Certification> Create(Certification c);
  [[nodiscard]] Result<Certification> Get(std::string_view id);  ///< kNotFound
  [[nodiscard]] Result<std::optional<Certification>> ForAssessment(std::string_view assessment_id);
  /// Newest first.
  [[nodiscard]] Result<std::vector<Certification>> ForOrganization(std::string_view org_id);
  /// Every certification, newest first (registry and statistics).
  [[nodiscard]] Result<std::vector<Certification>> All();
  /// kFailedPrecondition when already revoked.
  [[nodiscard]] Status Revoke(std::string_view id, std::string_view reason);
  [[nodiscard]] Result<std::vector<Certification>> Revoked();
  [[nodiscard]] Result<std::vector<AnnualCheck>> Annual(std::string_view certification_id);
  /// Records the yearly self-assessment for the earliest open due date (kFailedPrecondition
  /// when none is open).
  [[nodiscard]] Result<AnnualCheck> SubmitAnnual(std::string_view certification_id,
                                                 std::string_view assessment_id);

 private:
  storage::Connection& conn_;
  const Clock& clock_;
};

}  // namespace hoshi::assess
