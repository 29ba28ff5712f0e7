// SPDX-License-Identifier: Apache-2.0
// Buyers and suppliers: the decision tree, requests and answers, the portfolio with the tier-2
// roll-up (requirement 2-1-3), consent to name disclosure.
#include <map>

#include "hoshi/assess/certification.h"
#include "hoshi/assess/evaluate.h"
#include "hoshi/assess/review.h"
#include "hoshi/chain/chain.h"
#include "hoshi/org/corporate_number.h"

#include "context.h"

namespace hoshi::api {
namespace {

Json RelationshipJson(const chain::Relationship& r) {
  return Json{{"id", r.id},
              {"buyer_organization_id", r.buyer_organization_id},
              {"supplier_organization_id", r.supplier_organization_id},
              {"required_level", r.required_level},
              {"decision", chain::DecisionToJson(r.decision)},
              {"name_consent", r.name_consent},
              {"created_at", r.created_at}};
}

Json RequestJson(const chain::LevelRequest& q) {
  Json j{{"id", q.id},
         {"relationship_id", q.relationship_id},
         {"buyer_organization_id", q.buyer_organization_id},
         {"supplier_organization_id", q.supplier_organization_id},
         {"level", q.level},
         {"due_on", q.due_on.ToIso()},
         {"message", q.message},
         {"state", chain::RequestStateName(q.state)},
         {"state_label", Localized(chain::RequestStateLabel(q.state))},
         {"response_note", q.response_note},
         {"created_at", q.created_at}};
  if (q.responded_at) {
    j["responded_at"] = *q.responded_at;
  }
  return j;
}

/// The supplier's current standing: the best certification (highest valid level, else newest).
struct Standing {
  int level = 0;  ///< 0: none
  std::string status = "none";
  std::string expires_on;
  bool expiring_soon = false;
  int annual_overdue = 0;
};

Result<Standing> CurrentStanding(Context& ctx, std::string_view org_id) {
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto list, certs.ForOrganization(org_id));
  const Date today = ctx.Today();
  Standing best;
  bool best_valid = false;
  for (const auto& c : list) {
    HOSHI_ASSIGN_OR_RETURN(auto annual, certs.Annual(c.id));
    const auto st = assess::StatusOn(c, annual, today);
    const bool valid = st.standing == assess::Standing::kValid;
    if (best.level == 0 || (valid && (!best_valid || c.level > best.level))) {
      best.level = c.level;
      best.status = std::string(assess::StandingName(st.standing));
      best.expires_on = c.expires_on.ToIso();
      best.expiring_soon = st.expiring_soon;
      best.annual_overdue = st.annual_overdue;
      best_valid = valid;
    }
  }
  return best;
}

Json StandingJson(const Standing& s) {
  return Json{{"level", s.level},
              {"status", s.status},
              {"expires_on", s.expires_on},
              {"expiring_soon", s.expiring_soon},
              {"annual_overdue", s.annual_overdue}};
}

Result<chain::LevelRequest> LoadRequestForSupplierAdmin(Context& ctx) {
  chain::ChainStore chains(ctx.conn, ctx.clock());
  auto q = chains.GetRequest(ctx.Param("id"));
  if (!q.ok()) {
    if (q.error().code() == ErrorCode::kNotFound) {
      return Hidden("request", ctx.Param("id"));
    }
    return std::move(q).error();
  }
  if (!ctx.me().IsMember(q->supplier_organization_id)) {
    return Hidden("request", ctx.Param("id"));
  }
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, q->supplier_organization_id, {org::Role::kOrgAdmin}));
  return std::move(q).value();
}

Result<Reply> Respond(Context& ctx, bool accept) {
  HOSHI_ASSIGN_OR_RETURN(chain::LevelRequest q, LoadRequestForSupplierAdmin(ctx));
  HOSHI_ASSIGN_OR_RETURN(std::string note,
                         BodyString(ctx, accept ? "note" : "reason", 2000, !accept));
  chain::ChainStore chains(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(q, chains.Respond(q.id, accept, note));
  const std::string action = accept ? "request.accepted" : "request.declined";
  for (const std::string* org_id : {&q.supplier_organization_id, &q.buyer_organization_id}) {
    HOSHI_RETURN_IF_ERROR(Audit(ctx, *org_id, action, "request", q.id, Json{{"level", q.level}}));
  }
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.body = RequestJson(q);
  return r;
}

}  // namespace

Result<Reply> AddSupplier(Context& ctx) {
  const std::string& buyer = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, buyer, {org::Role::kOrgAdmin}));
  HOSHI_ASSIGN_OR_RETURN(std::string number, BodyString(ctx, "supplier_corporate_number", 32));
  HOSHI_RETURN_IF_ERROR(org::ValidateCorporateNumber(number));
  const auto decision_json = ctx.body.find("decision");
  if (decision_json == ctx.body.end()) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.missing_field", "decision");
  }
  HOSHI_ASSIGN_OR_RETURN(chain::Decision decision, chain::DecisionFromJson(*decision_json));
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  auto supplier = ids.FindOrganizationByCorporateNumber(number);
  if (!supplier.ok()) {
    if (supplier.error().code() == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, ApiMessages(), "api.supplier_not_registered", number);
    }
    return std::move(supplier).error();
  }
  chain::ChainStore chains(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(chain::Relationship rel,
                         chains.AddSupplier(buyer, supplier->id, decision));
  const Json payload{{"required_level", rel.required_level},
                     {"buyer_organization_id", buyer},
                     {"supplier_organization_id", supplier->id}};
  HOSHI_RETURN_IF_ERROR(Audit(ctx, buyer, "supplier.added", "relationship", rel.id, payload));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, supplier->id, "buyer.added", "relationship", rel.id, payload));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 201;
  r.body = RelationshipJson(rel);
  r.body["supplier"] = OrganizationJson(*supplier);
  return r;
}

Result<Reply> Portfolio(Context& ctx) {
  const std::string& buyer = ctx.Param("org");
  if (!ctx.me().IsMember(buyer)) {
    return Hidden("organization", buyer);
  }
  chain::ChainStore chains(ctx.conn, ctx.clock());
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  assess::AssessmentStore assessments(ctx.conn, ctx.clock());
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto suppliers, chains.SuppliersOf(buyer));
  HOSHI_ASSIGN_OR_RETURN(auto requests, chains.RequestsFromBuyer(buyer));
  const Date today = ctx.Today();
  Json rows = Json::array();
  std::map<std::string, int> coverage;  // current ★ level ("0" = none) -> suppliers
  int expiring = 0;
  int overdue = 0;
  int meeting = 0;
  for (const auto& rel : suppliers) {
    HOSHI_ASSIGN_OR_RETURN(org::Organization s, ids.GetOrganization(rel.supplier_organization_id));
    HOSHI_ASSIGN_OR_RETURN(Standing standing, CurrentStanding(ctx, s.id));
    Json row{
        {"relationship_id", rel.id},
        {"supplier", OrganizationJson(s)},
        {"required_level", rel.required_level},
        {"current", StandingJson(standing)},
        {"meets_requirement", standing.status == "valid" && standing.level >= rel.required_level}};
    ++coverage[standing.status == "valid" ? std::to_string(standing.level) : "0"];
    expiring += standing.expiring_soon ? 1 : 0;
    overdue += standing.annual_overdue > 0 ? 1 : 0;
    meeting += row["meets_requirement"].get<bool>() ? 1 : 0;
    for (const auto& q : requests) {  // newest first
      if (q.relationship_id == rel.id) {
        row["request"] = RequestJson(q);
        break;
      }
    }
    // Gaps: only from the newest assessment the supplier shared with this buyer.
    HOSHI_ASSIGN_OR_RETURN(auto list, assessments.ListForOrganization(s.id));
    for (const auto& summary : list) {
      HOSHI_ASSIGN_OR_RETURN(bool shared, reviews.IsShared(summary.id, buyer));
      if (!shared) {
        continue;
      }
      HOSHI_ASSIGN_OR_RETURN(auto rec, assessments.Load(summary.id));
      const catalog::CatalogVersion* cat = ctx.shared.registry.Find(rec.catalog_key);
      if (cat != nullptr) {
        const auto ev = assess::Evaluate(*cat, rec.level, rec.answers, today);
        row["shared_assessment"] = Json{{"id", rec.id},
                                        {"level", rec.level},
                                        {"state", assess::StateName(rec.state)},
                                        {"level_met", ev.level_met},
                                        {"open_gaps", ev.gaps.size()},
                                        {"unanswered", ev.counts.unanswered}};
      }
      break;
    }
    // Tier 2: the supplier's own suppliers, as counts; names only with their consent.
    if (rel.required_level >= 4 || standing.level >= 4) {
      HOSHI_ASSIGN_OR_RETURN(auto tier2, chains.SuppliersOf(s.id));
      std::map<std::string, int> counts;
      Json named = Json::array();
      for (const auto& t2 : tier2) {
        HOSHI_ASSIGN_OR_RETURN(Standing t2s, CurrentStanding(ctx, t2.supplier_organization_id));
        const std::string key = "required_" + std::to_string(t2.required_level) + "/" +
                                (t2s.status == "valid" && t2s.level >= t2.required_level ? "meets"
                                 : t2s.status == "valid"                                 ? "below"
                                                         : t2s.status);
        ++counts[key];
        if (t2.name_consent) {
          HOSHI_ASSIGN_OR_RETURN(org::Organization o,
                                 ids.GetOrganization(t2.supplier_organization_id));
          named.push_back(Json{{"name", o.name},
                               {"required_level", t2.required_level},
                               {"current", StandingJson(t2s)}});
        }
      }
      row["tier2"] = Json{{"suppliers", tier2.size()}, {"counts", counts}, {"named", named}};
    }
    rows.push_back(std::move(row));
  }
  Reply r;
  r.body = Json{{"suppliers", std::move(rows)},
                {"summary", Json{{"total", suppliers.size()},
                                 {"meeting_requirement", meeting},
                                 {"expiring_within_90_days", expiring},
                                 {"annual_overdue", overdue},
                                 {"coverage_by_level", coverage}}}};
  return r;
}

Result<Reply> SendRequest(Context& ctx) {
  const std::string& buyer = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, buyer, {org::Role::kOrgAdmin}));
  HOSHI_ASSIGN_OR_RETURN(std::string rel_id, BodyString(ctx, "relationship_id", 64));
  chain::ChainStore chains(ctx.conn, ctx.clock());
  auto rel = chains.GetRelationship(rel_id);
  if (!rel.ok() || rel->buyer_organization_id != buyer) {
    return Hidden("relationship", rel_id);
  }
  int level = rel->required_level;
  if (ctx.body.contains("level")) {
    HOSHI_ASSIGN_OR_RETURN(level, BodyInt(ctx, "level"));
  }
  HOSHI_ASSIGN_OR_RETURN(std::string due, BodyString(ctx, "due_on", 10));
  auto due_on = Date::Parse(due);
  if (!due_on.ok()) {
    return BadField("due_on");
  }
  HOSHI_ASSIGN_OR_RETURN(std::string message, BodyString(ctx, "message", 2000, false));
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(auto q, chains.SendRequest(*rel, level, *due_on, message));
  for (const std::string* org_id : {&q.buyer_organization_id, &q.supplier_organization_id}) {
    HOSHI_RETURN_IF_ERROR(Audit(ctx, *org_id, "request.sent", "request", q.id,
                                Json{{"level", q.level}, {"due_on", q.due_on.ToIso()}}));
  }
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 201;
  r.body = RequestJson(q);
  return r;
}

Result<Reply> ListRequests(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  if (!ctx.me().IsMember(org_id)) {
    return Hidden("organization", org_id);
  }
  chain::ChainStore chains(ctx.conn, ctx.clock());
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  auto named = [&](const std::vector<chain::LevelRequest>& list, bool outgoing) -> Result<Json> {
    Json out = Json::array();
    for (const auto& q : list) {
      Json j = RequestJson(q);
      HOSHI_ASSIGN_OR_RETURN(
          org::Organization other,
          ids.GetOrganization(outgoing ? q.supplier_organization_id : q.buyer_organization_id));
      j[outgoing ? "supplier" : "buyer"] = OrganizationJson(other);
      out.push_back(std::move(j));
    }
    return out;
  };
  HOSHI_ASSIGN_OR_RETURN(auto sent, chains.RequestsFromBuyer(org_id));
  HOSHI_ASSIGN_OR_RETURN(auto received, chains.RequestsToSupplier(org_id));
  Reply r;
  HOSHI_ASSIGN_OR_RETURN(r.body["outgoing"], named(sent, true));
  HOSHI_ASSIGN_OR_RETURN(r.body["incoming"], named(received, false));
  return r;
}

Result<Reply> AcceptRequest(Context& ctx) {
  return Respond(ctx, true);
}

Result<Reply> DeclineRequest(Context& ctx) {
  return Respond(ctx, false);
}

Result<Reply> ListBuyers(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  if (!ctx.me().IsMember(org_id)) {
    return Hidden("organization", org_id);
  }
  chain::ChainStore chains(ctx.conn, ctx.clock());
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(auto buyers, chains.BuyersOf(org_id));
  Json out = Json::array();
  for (const auto& rel : buyers) {
    Json j = RelationshipJson(rel);
    HOSHI_ASSIGN_OR_RETURN(org::Organization b, ids.GetOrganization(rel.buyer_organization_id));
    j["buyer"] = OrganizationJson(b);
    out.push_back(std::move(j));
  }
  Reply r;
  r.body = Json{{"buyers", std::move(out)}};
  return r;
}

Result<Reply> SetNameConsent(Context& ctx) {
  chain::ChainStore chains(ctx.conn, ctx.clock());
  auto rel = chains.GetRelationship(ctx.Param("id"));
  if (!rel.ok() || !ctx.me().IsMember(rel->supplier_organization_id)) {
    return Hidden("relationship", ctx.Param("id"));
  }
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, rel->supplier_organization_id, {org::Role::kOrgAdmin}));
  const auto it = ctx.body.find("consent");
  if (it == ctx.body.end() || !it->is_boolean()) {
    return BadField("consent");
  }
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(chains.SetNameConsent(rel->id, it->get<bool>()));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rel->supplier_organization_id, "relationship.name_consent",
                              "relationship", rel->id, Json{{"consent", it->get<bool>()}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  HOSHI_ASSIGN_OR_RETURN(auto updated, chains.GetRelationship(rel->id));
  Reply r;
  r.body = RelationshipJson(updated);
  return r;
}

}  // namespace hoshi::api
