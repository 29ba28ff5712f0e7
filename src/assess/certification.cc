// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/certification.h"

#include "hoshi/assess/answers.h"
#include "hoshi/core/crypto.h"
#include "hoshi/core/id.h"
#include "hoshi/core/json.h"

namespace hoshi::assess {
namespace {

using storage::Value;

constexpr std::string_view kSelect =
    "SELECT id, assessment_id, organization_id, level, catalog_key, scope, issued_on, expires_on, "
    "assessment_digest, credential, revoked_at, revocation_reason, created_at FROM certifications";

Result<Certification> ToCertification(const storage::Row& row) {
  Certification c;
  HOSHI_ASSIGN_OR_RETURN(c.id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(c.assessment_id, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(c.organization_id, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(std::int64_t level, row.GetInt(3));
  c.level = static_cast<int>(level);
  HOSHI_ASSIGN_OR_RETURN(c.catalog_key, row.GetText(4));
  HOSHI_ASSIGN_OR_RETURN(c.scope, row.GetText(5));
  HOSHI_ASSIGN_OR_RETURN(std::string issued, row.GetText(6));
  HOSHI_ASSIGN_OR_RETURN(c.issued_on, Date::Parse(issued));
  HOSHI_ASSIGN_OR_RETURN(std::string expires, row.GetText(7));
  HOSHI_ASSIGN_OR_RETURN(c.expires_on, Date::Parse(expires));
  HOSHI_ASSIGN_OR_RETURN(c.assessment_digest, row.GetText(8));
  HOSHI_ASSIGN_OR_RETURN(c.credential, row.GetText(9));
  if (!row.IsNull(10)) {
    HOSHI_ASSIGN_OR_RETURN(std::string revoked, row.GetText(10));
    c.revoked_at = std::move(revoked);
  }
  HOSHI_ASSIGN_OR_RETURN(c.revocation_reason, row.GetText(11));
  HOSHI_ASSIGN_OR_RETURN(c.created_at, row.GetText(12));
  return c;
}

Result<std::vector<Certification>> ToList(const storage::ResultSet& rs) {
  std::vector<Certification> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(Certification c, ToCertification(row));
    out.push_back(std::move(c));
  }
  return out;
}

Value Text(std::string_view s) {
  return std::string(s);
}

}  // namespace

std::string AssessmentDigest(const AssessmentRecord& record) {
  Json answers = Json::object();
  for (const auto& [id, a] : record.answers.answers) {
    answers[id] = Json{{"status", StatusName(a.status)},
                       {"reason", a.reason},
                       {"note", a.note},
                       {"evidence", a.evidence},
                       {"last_checked", a.last_checked ? a.last_checked->ToIso() : ""}};
  }
  const Json doc{{"id", record.id},
                 {"organization_id", record.organization_id},
                 {"catalog", record.catalog_key},
                 {"level", record.level},
                 {"answers", std::move(answers)}};
  return "sha256:" + ToHex(Sha256(DumpJson(doc, -1)));
}

Date CertificationExpiry(int level, Date issued_on) {
  const int years = level >= 4 ? 3 : 1;
  return issued_on.AddYears(years).AddDays(-1);
}

std::vector<Date> AnnualDueDates(int level, Date issued_on) {
  std::vector<Date> out;
  if (level >= 4) {
    out.push_back(issued_on.AddYears(1));
    out.push_back(issued_on.AddYears(2));
  }
  return out;
}

std::string_view StandingName(Standing s) {
  switch (s) {
    case Standing::kValid:
      return "valid";
    case Standing::kExpired:
      return "expired";
    case Standing::kRevoked:
      return "revoked";
  }
  return "valid";
}

LocalizedText StandingLabel(Standing s) {
  return Lookup(AssessMessages(), "standing." + std::string(StandingName(s)));
}

CertificationStatus StatusOn(const Certification& c, const std::vector<AnnualCheck>& annual,
                             Date today) {
  CertificationStatus st;
  if (c.revoked_at) {
    st.standing = Standing::kRevoked;
  } else if (today > c.expires_on) {
    st.standing = Standing::kExpired;
  }
  st.expiring_soon =
      st.standing == Standing::kValid && c.expires_on <= today.AddDays(kExpiringSoonDays);
  for (const AnnualCheck& a : annual) {
    if (a.submitted_at) {
      continue;
    }
    if (a.due_on < today && st.standing == Standing::kValid) {
      ++st.annual_overdue;
    } else if (!st.next_annual_due) {
      st.next_annual_due = a.due_on;
    }
  }
  return st;
}

Result<Certification> CertificationStore::Create(Certification c) {
  if (c.id.empty()) {
    c.id = NewId(clock_);
  }
  c.created_at = FormatTimestamp(clock_.Now());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  const std::vector<Value> params{c.id,
                                  c.assessment_id,
                                  c.organization_id,
                                  static_cast<std::int64_t>(c.level),
                                  c.catalog_key,
                                  c.scope,
                                  c.issued_on.ToIso(),
                                  c.expires_on.ToIso(),
                                  c.assessment_digest,
                                  c.credential,
                                  c.created_at};
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO certifications (id, assessment_id, organization_id, level, catalog_key, scope, "
      "issued_on, expires_on, assessment_digest, credential, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      params));
  for (const Date& due : AnnualDueDates(c.level, c.issued_on)) {
    const std::vector<Value> p{c.id, due.ToIso()};
    HOSHI_RETURN_IF_ERROR(conn_.Query(
        "INSERT INTO annual_self_assessments (certification_id, due_on) VALUES (?, ?)", p));
  }
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  return c;
}

Result<Certification> CertificationStore::Get(std::string_view id) {
  const std::vector<Value> p{Text(id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query(std::string(kSelect) + " WHERE id = ?", p));
  if (rs.rows.empty()) {
    return MakeError(ErrorCode::kNotFound, AssessMessages(), "cert.not_found", id);
  }
  return ToCertification(rs.rows[0]);
}

Result<std::optional<Certification>> CertificationStore::ForAssessment(
    std::string_view assessment_id) {
  const std::vector<Value> p{Text(assessment_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs,
                         conn_.Query(std::string(kSelect) + " WHERE assessment_id = ?", p));
  if (rs.rows.empty()) {
    return std::optional<Certification>();
  }
  HOSHI_ASSIGN_OR_RETURN(Certification c, ToCertification(rs.rows[0]));
  return std::optional<Certification>(std::move(c));
}

Result<std::vector<Certification>> CertificationStore::ForOrganization(std::string_view org_id) {
  const std::vector<Value> p{Text(org_id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs,
      conn_.Query(std::string(kSelect) +
                      " WHERE organization_id = ? ORDER BY issued_on DESC, created_at DESC",
                  p));
  return ToList(rs);
}

Result<std::vector<Certification>> CertificationStore::All() {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(std::string(kSelect) + " ORDER BY issued_on DESC, created_at DESC"));
  return ToList(rs);
}

Status CertificationStore::Revoke(std::string_view id, std::string_view reason) {
  const std::vector<Value> p{FormatTimestamp(clock_.Now()), Text(reason), Text(id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("UPDATE certifications SET revoked_at = ?, revocation_reason = ? "
                           "WHERE id = ? AND revoked_at IS NULL",
                           p));
  if (rs.rows_affected == 0) {
    HOSHI_RETURN_IF_ERROR(Get(id));  // kNotFound for an unknown id
    return MakeError(ErrorCode::kFailedPrecondition, AssessMessages(), "cert.already_revoked", id);
  }
  return Status::Ok();
}

Result<std::vector<Certification>> CertificationStore::Revoked() {
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query(std::string(kSelect) +
                                              " WHERE revoked_at IS NOT NULL ORDER BY revoked_at"));
  return ToList(rs);
}

Result<std::vector<AnnualCheck>> CertificationStore::Annual(std::string_view certification_id) {
  const std::vector<Value> p{Text(certification_id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("SELECT due_on, assessment_id, submitted_at FROM "
                           "annual_self_assessments WHERE certification_id = ? ORDER BY due_on",
                           p));
  std::vector<AnnualCheck> out;
  for (const auto& row : rs.rows) {
    AnnualCheck a;
    HOSHI_ASSIGN_OR_RETURN(std::string due, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(a.due_on, Date::Parse(due));
    if (!row.IsNull(1)) {
      HOSHI_ASSIGN_OR_RETURN(std::string id, row.GetText(1));
      a.assessment_id = std::move(id);
    }
    if (!row.IsNull(2)) {
      HOSHI_ASSIGN_OR_RETURN(std::string at, row.GetText(2));
      a.submitted_at = std::move(at);
    }
    out.push_back(std::move(a));
  }
  return out;
}

Result<AnnualCheck> CertificationStore::SubmitAnnual(std::string_view certification_id,
                                                     std::string_view assessment_id) {
  HOSHI_ASSIGN_OR_RETURN(std::vector<AnnualCheck> checks, Annual(certification_id));
  for (AnnualCheck& a : checks) {
    if (a.submitted_at) {
      continue;
    }
    a.assessment_id = std::string(assessment_id);
    a.submitted_at = FormatTimestamp(clock_.Now());
    const std::vector<Value> p{*a.assessment_id, *a.submitted_at, Text(certification_id),
                               a.due_on.ToIso()};
    HOSHI_RETURN_IF_ERROR(
        conn_.Query("UPDATE annual_self_assessments SET assessment_id = ?, submitted_at = ? "
                    "WHERE certification_id = ? AND due_on = ?",
                    p));
    return a;
  }
  return MakeError(ErrorCode::kFailedPrecondition, AssessMessages(), "cert.no_annual_due",
                   certification_id);
}

}  // namespace hoshi::assess
