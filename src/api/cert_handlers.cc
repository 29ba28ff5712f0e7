// SPDX-License-Identifier: Apache-2.0
// Certification, credentials, revocation, yearly self-assessments, public lookup, registry.
#include <map>

#include "hoshi/assess/certification.h"
#include "hoshi/assess/evaluate.h"
#include "hoshi/assess/review.h"
#include "hoshi/assess/workflow.h"
#include "hoshi/core/crypto.h"
#include "hoshi/core/id.h"
#include "hoshi/org/corporate_number.h"

#include "context.h"

namespace hoshi::api {

namespace {

using assess::Certification;

Json CertificationJson(const Certification& c, const std::vector<assess::AnnualCheck>& annual,
                       Date today) {
  const assess::CertificationStatus st = assess::StatusOn(c, annual, today);
  Json j{{"id", c.id},
         {"assessment_id", c.assessment_id},
         {"organization_id", c.organization_id},
         {"level", c.level},
         {"catalog", c.catalog_key},
         {"scope", c.scope},
         {"issued_on", c.issued_on.ToIso()},
         {"expires_on", c.expires_on.ToIso()},
         {"status", assess::StandingName(st.standing)},
         {"status_label", Localized(assess::StandingLabel(st.standing))},
         {"expiring_soon", st.expiring_soon},
         {"annual_overdue", st.annual_overdue}};
  if (st.next_annual_due) {
    j["next_annual_due"] = st.next_annual_due->ToIso();
  }
  if (c.revoked_at) {
    j["revoked_at"] = *c.revoked_at;
    j["revocation_reason"] = c.revocation_reason;
  }
  return j;
}

Result<Certification> LoadCertificationFor(Context& ctx, bool allow_evaluator) {
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  auto c = certs.Get(ctx.Param("id"));
  if (!c.ok()) {
    if (c.error().code() == ErrorCode::kNotFound) {
      return Hidden("certification", ctx.Param("id"));
    }
    return std::move(c).error();
  }
  const Principal& me = ctx.me();
  bool allowed = me.IsMember(c->organization_id) || me.IsOperator();
  if (!allowed && allow_evaluator) {
    assess::ReviewStore reviews(ctx.conn, ctx.clock());
    HOSHI_ASSIGN_OR_RETURN(
        auto a, reviews.AssignmentFor(c->assessment_id, assess::ReviewerRole::kEvaluator));
    allowed = a && a->user_id == me.user.id;
  }
  if (!allowed) {
    return Hidden("certification", ctx.Param("id"));
  }
  return std::move(c).value();
}

Result<std::vector<assess::AnnualCheck>> AnnualOf(Context& ctx, const Certification& c) {
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  return certs.Annual(c.id);
}

/// The certification that best describes an organisation today: a valid one of the highest
/// level, else the newest.
std::optional<Certification> Best(const std::vector<Certification>& certs, Date today) {
  std::optional<Certification> best;
  for (const auto& c : certs) {
    const bool valid = !c.revoked_at && today <= c.expires_on;
    if (!best) {
      best = c;
      continue;
    }
    const bool best_valid = !best->revoked_at && today <= best->expires_on;
    if (valid && (!best_valid || c.level > best->level)) {
      best = c;
    }
  }
  return best;
}

}  // namespace

Result<Reply> Certify(Context& ctx) {
  HOSHI_RETURN_IF_ERROR(RequireOperator(ctx));
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), true));
  auto& [rec, access] = loaded;
  HOSHI_ASSIGN_OR_RETURN(std::string scope, BodyString(ctx, "scope", 500, false));
  if (scope.empty()) {
    scope = "全社";
  }
  assess::TransitionContext facts;
  facts.level = rec.level;
  facts.today = ctx.Today();
  facts.declaration_required = rec.level == 3;
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto decl, reviews.DeclarationFor(rec.id));
  facts.declaration_made = decl.has_value();
  HOSHI_ASSIGN_OR_RETURN(assess::State to,
                         assess::Transition(rec.state, assess::Event::kCertify, facts));
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(org::Organization holder, ids.GetOrganization(rec.organization_id));

  Certification c;
  c.id = NewId(ctx.clock());
  c.assessment_id = rec.id;
  c.organization_id = rec.organization_id;
  c.level = rec.level;
  c.catalog_key = rec.catalog_key;
  c.scope = scope;
  c.issued_on = ctx.Today();
  c.expires_on = assess::CertificationExpiry(rec.level, c.issued_on);
  c.assessment_digest = assess::AssessmentDigest(rec);
  cred::StarSubject subject;
  subject.corporate_number = holder.corporate_number;
  subject.name = holder.name;
  subject.level = rec.level;
  subject.catalog_key = rec.catalog_key;
  subject.scope = scope;
  subject.issued_on = c.issued_on;
  subject.expires_on = c.expires_on;
  subject.assessment_digest = c.assessment_digest;
  HOSHI_ASSIGN_OR_RETURN(Json vc,
                         cred::IssueStarCredential(
                             subject, *ctx.shared.issuer, c.id, FormatTimestamp(ctx.clock().Now()),
                             ctx.shared.platform->PublicBaseUrl() + "/api/v1/public/revocations"));
  HOSHI_ASSIGN_OR_RETURN(c.credential, cred::SerializeCredential(vc));

  assess::CertificationStore certs(ctx.conn, ctx.clock());
  assess::AssessmentStore store(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(c, certs.Create(c));
  HOSHI_RETURN_IF_ERROR(store.RecordTransition(rec.id, rec.state, assess::Event::kCertify, to));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rec.organization_id, "assessment.certified", "certification",
                              c.id,
                              Json{{"assessment_id", rec.id},
                                   {"level", c.level},
                                   {"expires_on", c.expires_on.ToIso()},
                                   {"assessment_digest", c.assessment_digest}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  HOSHI_ASSIGN_OR_RETURN(auto annual, AnnualOf(ctx, c));
  Reply r;
  r.status = 201;
  r.body = CertificationJson(c, annual, ctx.Today());
  r.body["credential"] = vc;
  return r;
}

Result<Reply> ListCertifications(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  if (!ctx.me().IsMember(org_id) && !ctx.me().IsOperator()) {
    return Hidden("organization", org_id);
  }
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto list, certs.ForOrganization(org_id));
  Json out = Json::array();
  for (const auto& c : list) {
    HOSHI_ASSIGN_OR_RETURN(auto annual, AnnualOf(ctx, c));
    out.push_back(CertificationJson(c, annual, ctx.Today()));
  }
  Reply r;
  r.body = Json{{"certifications", std::move(out)}};
  return r;
}

Result<Reply> GetCredential(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(Certification c, LoadCertificationFor(ctx, false));
  Reply r;
  r.raw = c.credential;
  r.raw_type = "application/vc+ld+json";
  r.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"hoshitori-credential-" + c.id + ".json\""});
  return r;
}

Result<Reply> RevokeCertification(Context& ctx) {
  HOSHI_RETURN_IF_ERROR(RequireOperator(ctx));
  HOSHI_ASSIGN_OR_RETURN(Certification c, LoadCertificationFor(ctx, false));
  HOSHI_ASSIGN_OR_RETURN(std::string reason, BodyString(ctx, "reason", 1000));
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(certs.Revoke(c.id, reason));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, c.organization_id, "certification.revoked", "certification",
                              c.id, Json{{"reason", reason}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  HOSHI_ASSIGN_OR_RETURN(c, certs.Get(c.id));
  HOSHI_ASSIGN_OR_RETURN(auto annual, AnnualOf(ctx, c));
  Reply r;
  r.body = CertificationJson(c, annual, ctx.Today());
  return r;
}

Result<Reply> GetAnnual(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(Certification c, LoadCertificationFor(ctx, true));
  HOSHI_ASSIGN_OR_RETURN(auto annual, AnnualOf(ctx, c));
  Json out = Json::array();
  const Date today = ctx.Today();
  for (const auto& a : annual) {
    Json j{{"due_on", a.due_on.ToIso()},
           {"submitted", a.submitted_at.has_value()},
           {"overdue", !a.submitted_at && a.due_on < today}};
    if (a.assessment_id) {
      j["assessment_id"] = *a.assessment_id;
      j["submitted_at"] = *a.submitted_at;
    }
    out.push_back(std::move(j));
  }
  Reply r;
  r.body = CertificationJson(c, annual, today);
  r.body["annual"] = std::move(out);
  return r;
}

Result<Reply> SubmitAnnual(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(Certification c, LoadCertificationFor(ctx, false));
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, c.organization_id, {org::Role::kOrgAdmin}));
  HOSHI_ASSIGN_OR_RETURN(std::string assessment_id, BodyString(ctx, "assessment_id", 64));
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, assessment_id, true));
  auto& [rec, access] = loaded;
  if (rec.organization_id != c.organization_id || rec.level != c.level) {
    return BadField("assessment_id");
  }
  const catalog::CatalogVersion* cat = ctx.shared.registry.Find(rec.catalog_key);
  if (cat == nullptr) {
    return BadField("assessment_id");
  }
  const assess::Evaluation ev = assess::Evaluate(*cat, rec.level, rec.answers, ctx.Today());
  if (ev.counts.unanswered > 0) {
    return MakeError(ErrorCode::kFailedPrecondition, assess::AssessMessages(),
                     "workflow.unanswered", ev.counts.unanswered);
  }
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(auto check, certs.SubmitAnnual(c.id, rec.id));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, c.organization_id, "certification.annual_submitted",
                              "certification", c.id,
                              Json{{"assessment_id", rec.id},
                                   {"due_on", check.due_on.ToIso()},
                                   {"level_met", ev.level_met}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.body = Json{{"certification_id", c.id},
                {"due_on", check.due_on.ToIso()},
                {"assessment_id", rec.id},
                {"level_met", ev.level_met}};
  return r;
}

Result<Reply> PublicLookup(Context& ctx) {
  const std::string& number = ctx.Param("corporate_number");
  HOSHI_RETURN_IF_ERROR(org::ValidateCorporateNumber(number));
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  auto holder = ids.FindOrganizationByCorporateNumber(number);
  if (!holder.ok()) {
    if (holder.error().code() == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, ApiMessages(), "api.no_certification", number);
    }
    return std::move(holder).error();
  }
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto list, certs.ForOrganization(holder->id));
  const Date today = ctx.Today();
  const auto best = Best(list, today);
  if (!best) {
    return MakeError(ErrorCode::kNotFound, ApiMessages(), "api.no_certification", number);
  }
  const assess::CertificationStatus st = assess::StatusOn(*best, {}, today);
  Reply r;
  r.body = Json{{"corporate_number", number},
                {"level", best->level},
                {"status", assess::StandingName(st.standing)},
                {"status_label", Localized(assess::StandingLabel(st.standing))},
                {"valid_from", best->issued_on.ToIso()},
                {"valid_until", best->expires_on.ToIso()}};
  return r;
}

Result<Reply> PublicRevocations(Context& ctx) {
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto revoked, certs.Revoked());
  cred::RevocationList list;
  list.issued_at = FormatTimestamp(ctx.clock().Now());
  for (const auto& c : revoked) {
    list.entries.push_back(
        cred::RevocationEntry{c.id, c.revoked_at.value_or(""), c.revocation_reason});
  }
  HOSHI_ASSIGN_OR_RETURN(Json signed_list, cred::IssueRevocationList(list, *ctx.shared.issuer));
  Reply r;
  r.body = std::move(signed_list);
  return r;
}

Result<Reply> PublicIssuer(Context& ctx) {
  Reply r;
  r.body = Json{{"id", ctx.shared.issuer_did}, {"name", ctx.shared.issuer->name}};
  return r;
}

Result<Reply> Registry(Context& ctx) {
  HOSHI_RETURN_IF_ERROR(RequireOperator(ctx));
  const std::string q(ctx.request.QueryValue("q"));
  if (q.size() > 200) {
    return BadField("q");
  }
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(auto orgs, ids.ListOrganizations());
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  const Date today = ctx.Today();
  Json out = Json::array();
  for (const auto& o : orgs) {
    if (!q.empty() && o.name.find(q) == std::string::npos &&
        o.corporate_number.find(q) == std::string::npos && o.name_en.find(q) == std::string::npos) {
      continue;
    }
    HOSHI_ASSIGN_OR_RETURN(auto list, certs.ForOrganization(o.id));
    Json j = OrganizationJson(o);
    j["certifications"] = Json::array();
    for (const auto& c : list) {
      HOSHI_ASSIGN_OR_RETURN(auto annual, AnnualOf(ctx, c));
      j["certifications"].push_back(CertificationJson(c, annual, today));
    }
    out.push_back(std::move(j));
    if (out.size() >= 500) {
      break;
    }
  }
  Reply r;
  r.body = Json{{"organizations", std::move(out)}};
  return r;
}

Result<Reply> Statistics(Context& ctx) {
  HOSHI_RETURN_IF_ERROR(RequireOperator(ctx));
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto all, certs.All());
  const Date today = ctx.Today();
  std::map<int, int> valid_by_level;
  std::map<std::string, std::map<int, int>> issued_by_month;
  std::map<std::string, bool> holders;
  for (const auto& c : all) {
    const bool valid = !c.revoked_at && today <= c.expires_on;
    if (valid) {
      ++valid_by_level[c.level];
      holders[c.organization_id] = true;
    }
    ++issued_by_month[c.issued_on.ToIso().substr(0, 7)][c.level];
  }
  Json by_level = Json::object();
  for (const auto& [level, n] : valid_by_level) {
    by_level[std::to_string(level)] = n;
  }
  Json timeline = Json::array();
  for (const auto& [month, levels] : issued_by_month) {
    Json j{{"month", month}};
    for (const auto& [level, n] : levels) {
      j["issued"][std::to_string(level)] = n;
    }
    timeline.push_back(std::move(j));
  }
  Reply r;
  r.body = Json{{"valid_by_level", std::move(by_level)},
                {"holders", holders.size()},
                {"issued_by_month", std::move(timeline)},
                {"targets", Json::array({Json{{"year", 2031}, {"holders", 20000}},
                                         Json{{"year", 2036}, {"holders", 50000}}})}};
  return r;
}

}  // namespace hoshi::api
