// SPDX-License-Identifier: Apache-2.0
#include "hoshi/chain/chain.h"

#include "hoshi/core/id.h"
#include "hoshi/core/json.h"
#include "hoshi/core/text.h"

namespace hoshi::chain {
namespace {

using storage::Value;

constexpr std::size_t kMaxReasonChars = 2000;
constexpr std::size_t kMaxFactors = 20;
constexpr std::size_t kMaxFactorChars = 200;

Error TooLong(std::string_view field, std::size_t max) {
  return MakeError(ErrorCode::kInvalidArgument, ChainMessages(), "chain.field_too_long", field,
                   max);
}

Error WrongType(std::string_view field) {
  return MakeError(ErrorCode::kInvalidArgument, ChainMessages(), "chain.field_type", field);
}

Result<bool> OptionalBool(const nlohmann::json& j, std::string_view key) {
  const auto it = j.find(key);
  if (it == j.end()) {
    return false;
  }
  if (!it->is_boolean()) {
    return WrongType(key);
  }
  return it->get<bool>();
}

constexpr std::string_view kRelSelect =
    "SELECT id, buyer_organization_id, supplier_organization_id, required_level, decision, "
    "name_consent, created_at FROM supplier_relationships";
constexpr std::string_view kReqSelect =
    "SELECT id, relationship_id, buyer_organization_id, supplier_organization_id, level, due_on, "
    "message, state, response_note, responded_at, created_at FROM level_requests";

Result<Relationship> ToRelationship(const storage::Row& row) {
  Relationship r;
  HOSHI_ASSIGN_OR_RETURN(r.id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(r.buyer_organization_id, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(r.supplier_organization_id, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(std::int64_t level, row.GetInt(3));
  r.required_level = static_cast<int>(level);
  HOSHI_ASSIGN_OR_RETURN(std::string decision, row.GetText(4));
  HOSHI_ASSIGN_OR_RETURN(Json parsed, ParseJson(decision));
  HOSHI_ASSIGN_OR_RETURN(r.decision, DecisionFromJson(parsed));
  HOSHI_ASSIGN_OR_RETURN(std::int64_t consent, row.GetInt(5));
  r.name_consent = consent != 0;
  HOSHI_ASSIGN_OR_RETURN(r.created_at, row.GetText(6));
  return r;
}

Result<LevelRequest> ToRequest(const storage::Row& row) {
  LevelRequest q;
  HOSHI_ASSIGN_OR_RETURN(q.id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(q.relationship_id, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(q.buyer_organization_id, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(q.supplier_organization_id, row.GetText(3));
  HOSHI_ASSIGN_OR_RETURN(std::int64_t level, row.GetInt(4));
  q.level = static_cast<int>(level);
  HOSHI_ASSIGN_OR_RETURN(std::string due, row.GetText(5));
  HOSHI_ASSIGN_OR_RETURN(q.due_on, Date::Parse(due));
  HOSHI_ASSIGN_OR_RETURN(q.message, row.GetText(6));
  HOSHI_ASSIGN_OR_RETURN(std::string state, row.GetText(7));
  q.state = state == "accepted"   ? RequestState::kAccepted
            : state == "declined" ? RequestState::kDeclined
                                  : RequestState::kSent;
  HOSHI_ASSIGN_OR_RETURN(q.response_note, row.GetText(8));
  if (!row.IsNull(9)) {
    HOSHI_ASSIGN_OR_RETURN(std::string at, row.GetText(9));
    q.responded_at = std::move(at);
  }
  HOSHI_ASSIGN_OR_RETURN(q.created_at, row.GetText(10));
  return q;
}

template <typename T, typename F>
Result<std::vector<T>> Map(const storage::ResultSet& rs, F convert) {
  std::vector<T> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(T v, convert(row));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

int RequiredLevel(const Decision& d) {
  const bool any_yes = d.confidential_info_on_supplier_it || d.stop_causes_unacceptable_delay ||
                       d.supplier_reaches_internal_systems;
  return any_yes || (d.raise_to_four && !d.additional_factors.empty()) ? 4 : 3;
}

nlohmann::json DecisionToJson(const Decision& d) {
  return nlohmann::json{
      {"confidential_info_on_supplier_it", d.confidential_info_on_supplier_it},
      {"stop_causes_unacceptable_delay", d.stop_causes_unacceptable_delay},
      {"supplier_reaches_internal_systems", d.supplier_reaches_internal_systems},
      {"additional_factors", d.additional_factors},
      {"raise_to_four", d.raise_to_four},
      {"reason", d.reason},
  };
}

Result<Decision> DecisionFromJson(const nlohmann::json& j) {
  if (!j.is_object()) {
    return WrongType("decision");
  }
  Decision d;
  HOSHI_ASSIGN_OR_RETURN(d.confidential_info_on_supplier_it,
                         OptionalBool(j, "confidential_info_on_supplier_it"));
  HOSHI_ASSIGN_OR_RETURN(d.stop_causes_unacceptable_delay,
                         OptionalBool(j, "stop_causes_unacceptable_delay"));
  HOSHI_ASSIGN_OR_RETURN(d.supplier_reaches_internal_systems,
                         OptionalBool(j, "supplier_reaches_internal_systems"));
  HOSHI_ASSIGN_OR_RETURN(d.raise_to_four, OptionalBool(j, "raise_to_four"));
  if (const auto it = j.find("additional_factors"); it != j.end()) {
    if (!it->is_array()) {
      return WrongType("additional_factors");
    }
    if (it->size() > kMaxFactors) {
      return TooLong("additional_factors", kMaxFactors);
    }
    for (const auto& f : *it) {
      if (!f.is_string()) {
        return WrongType("additional_factors");
      }
      if (Utf8Length(f.get_ref<const std::string&>()) > kMaxFactorChars) {
        return TooLong("additional_factors", kMaxFactorChars);
      }
      d.additional_factors.push_back(f.get<std::string>());
    }
  }
  if (const auto it = j.find("reason"); it != j.end()) {
    if (!it->is_string()) {
      return WrongType("reason");
    }
    d.reason = it->get<std::string>();
    if (Utf8Length(d.reason) > kMaxReasonChars) {
      return TooLong("reason", kMaxReasonChars);
    }
  }
  return d;
}

std::string_view RequestStateName(RequestState s) {
  switch (s) {
    case RequestState::kSent:
      return "sent";
    case RequestState::kAccepted:
      return "accepted";
    case RequestState::kDeclined:
      return "declined";
  }
  return "sent";
}

LocalizedText RequestStateLabel(RequestState s) {
  return Lookup(ChainMessages(), "request." + std::string(RequestStateName(s)));
}

Result<Relationship> ChainStore::AddSupplier(std::string_view buyer_org_id,
                                             std::string_view supplier_org_id,
                                             const Decision& decision) {
  if (buyer_org_id == supplier_org_id) {
    return MakeError(ErrorCode::kInvalidArgument, ChainMessages(), "chain.self");
  }
  Relationship r;
  r.id = NewId(clock_);
  r.buyer_organization_id = std::string(buyer_org_id);
  r.supplier_organization_id = std::string(supplier_org_id);
  r.decision = decision;
  r.required_level = RequiredLevel(decision);
  r.created_at = FormatTimestamp(clock_.Now());
  const std::vector<Value> p{r.id,
                             r.buyer_organization_id,
                             r.supplier_organization_id,
                             static_cast<std::int64_t>(r.required_level),
                             DumpJson(DecisionToJson(decision), -1),
                             r.created_at};
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO supplier_relationships (id, buyer_organization_id, supplier_organization_id, "
      "required_level, decision, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      p));
  return r;
}

Result<Relationship> ChainStore::GetRelationship(std::string_view id) {
  const std::vector<Value> p{std::string(id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query(std::string(kRelSelect) + " WHERE id = ?", p));
  if (rs.rows.empty()) {
    return MakeError(ErrorCode::kNotFound, ChainMessages(), "chain.relationship_not_found", id);
  }
  return ToRelationship(rs.rows[0]);
}

Result<std::vector<Relationship>> ChainStore::SuppliersOf(std::string_view buyer_org_id) {
  const std::vector<Value> p{std::string(buyer_org_id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs,
      conn_.Query(std::string(kRelSelect) + " WHERE buyer_organization_id = ? ORDER BY created_at",
                  p));
  return Map<Relationship>(rs, ToRelationship);
}

Result<std::vector<Relationship>> ChainStore::BuyersOf(std::string_view supplier_org_id) {
  const std::vector<Value> p{std::string(supplier_org_id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs,
      conn_.Query(
          std::string(kRelSelect) + " WHERE supplier_organization_id = ? ORDER BY created_at", p));
  return Map<Relationship>(rs, ToRelationship);
}

Status ChainStore::SetNameConsent(std::string_view relationship_id, bool consent) {
  const std::vector<Value> p{static_cast<std::int64_t>(consent ? 1 : 0),
                             std::string(relationship_id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("UPDATE supplier_relationships SET name_consent = ? WHERE id = ?", p));
  if (rs.rows_affected == 0) {
    return MakeError(ErrorCode::kNotFound, ChainMessages(), "chain.relationship_not_found",
                     relationship_id);
  }
  return Status::Ok();
}

Result<LevelRequest> ChainStore::SendRequest(const Relationship& rel, int level, Date due_on,
                                             std::string_view message) {
  if (level != 3 && level != 4) {
    return MakeError(ErrorCode::kInvalidArgument, ChainMessages(), "chain.bad_level", level);
  }
  if (due_on < Date::FromTimePoint(clock_.Now())) {
    return MakeError(ErrorCode::kInvalidArgument, ChainMessages(), "chain.due_in_past",
                     due_on.ToIso());
  }
  if (Utf8Length(message) > kMaxReasonChars) {
    return TooLong("message", kMaxReasonChars);
  }
  LevelRequest q;
  q.id = NewId(clock_);
  q.relationship_id = rel.id;
  q.buyer_organization_id = rel.buyer_organization_id;
  q.supplier_organization_id = rel.supplier_organization_id;
  q.level = level;
  q.due_on = due_on;
  q.message = std::string(message);
  q.created_at = FormatTimestamp(clock_.Now());
  const std::vector<Value> p{q.id,
                             q.relationship_id,
                             q.buyer_organization_id,
                             q.supplier_organization_id,
                             static_cast<std::int64_t>(level),
                             due_on.ToIso(),
                             q.message,
                             std::string("sent"),
                             q.created_at};
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("INSERT INTO level_requests (id, relationship_id, buyer_organization_id, "
                  "supplier_organization_id, level, due_on, message, state, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  p));
  return q;
}

Result<LevelRequest> ChainStore::GetRequest(std::string_view id) {
  const std::vector<Value> p{std::string(id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query(std::string(kReqSelect) + " WHERE id = ?", p));
  if (rs.rows.empty()) {
    return MakeError(ErrorCode::kNotFound, ChainMessages(), "chain.request_not_found", id);
  }
  return ToRequest(rs.rows[0]);
}

Result<LevelRequest> ChainStore::Respond(std::string_view id, bool accept, std::string_view note) {
  if (!accept && note.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, ChainMessages(), "chain.reason_required");
  }
  if (Utf8Length(note) > kMaxReasonChars) {
    return TooLong("note", kMaxReasonChars);
  }
  const std::vector<Value> p{std::string(accept ? "accepted" : "declined"), std::string(note),
                             FormatTimestamp(clock_.Now()), std::string(id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("UPDATE level_requests SET state = ?, "
                                              "response_note = ?, responded_at = ? "
                                              "WHERE id = ? AND state = 'sent'",
                                              p));
  if (rs.rows_affected == 0) {
    HOSHI_RETURN_IF_ERROR(GetRequest(id));
    return MakeError(ErrorCode::kFailedPrecondition, ChainMessages(), "chain.already_answered", id);
  }
  return GetRequest(id);
}

Result<std::vector<LevelRequest>> ChainStore::RequestsFromBuyer(std::string_view buyer_org_id) {
  const std::vector<Value> p{std::string(buyer_org_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs,
                         conn_.Query(std::string(kReqSelect) + " WHERE buyer_organization_id = ? "
                                                               "ORDER BY created_at DESC, id DESC",
                                     p));
  return Map<LevelRequest>(rs, ToRequest);
}

Result<std::vector<LevelRequest>> ChainStore::RequestsToSupplier(std::string_view supplier_org_id) {
  const std::vector<Value> p{std::string(supplier_org_id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(std::string(kReqSelect) + " WHERE supplier_organization_id = ? "
                                                     "ORDER BY created_at DESC, id DESC",
                           p));
  return Map<LevelRequest>(rs, ToRequest);
}

}  // namespace hoshi::chain
