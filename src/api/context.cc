// SPDX-License-Identifier: Apache-2.0
#include "context.h"

#include <charconv>

#include "hoshi/assess/review.h"
#include "hoshi/core/text.h"
#include "hoshi/org/audit.h"

namespace hoshi::api {

bool Principal::IsMember(std::string_view org_id) const {
  for (const auto& m : memberships) {
    if (m.organization_id == org_id) {
      return true;
    }
  }
  return false;
}

bool Principal::HasRole(std::string_view org_id, org::Role role) const {
  for (const auto& m : memberships) {
    if (m.organization_id == org_id && m.role == role) {
      return true;
    }
  }
  return false;
}

bool Principal::HasRoleAnywhere(org::Role role) const {
  for (const auto& m : memberships) {
    if (m.role == role) {
      return true;
    }
  }
  return false;
}

const std::string& Context::Param(std::string_view name) const {
  static const std::string kEmpty;
  const auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

Error Hidden(std::string_view what, std::string_view id) {
  return MakeError(ErrorCode::kNotFound, ApiMessages(), "api.not_found", what, id);
}

Error Denied() {
  return MakeError(ErrorCode::kPermissionDenied, ApiMessages(), "api.denied");
}

Error BadField(std::string_view field) {
  return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.bad_field", field);
}

Result<std::string> BodyString(const Context& ctx, std::string_view key, std::size_t max_chars,
                               bool required) {
  const auto it = ctx.body.find(key);
  if (it == ctx.body.end() || it->is_null()) {
    if (required) {
      return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.missing_field", key);
    }
    return std::string();
  }
  if (!it->is_string()) {
    return BadField(key);
  }
  std::string value = it->get<std::string>();
  if (Utf8Length(value) > max_chars) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.too_long", key, max_chars);
  }
  if (required && value.find_first_not_of(" \t\r\n") == std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.missing_field", key);
  }
  return value;
}

Result<bool> BodyBool(const Context& ctx, std::string_view key, bool fallback) {
  const auto it = ctx.body.find(key);
  if (it == ctx.body.end() || it->is_null()) {
    return fallback;
  }
  if (!it->is_boolean()) {
    return BadField(key);
  }
  return it->get<bool>();
}

Result<std::size_t> QueryCount(const Context& ctx, std::string_view name, std::size_t fallback,
                               std::size_t max) {
  const std::string_view text = ctx.request.QueryValue(name);
  if (text.empty()) {
    return fallback;
  }
  std::size_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > max) {
    return BadField(name);
  }
  return v;
}

Result<bool> QueryFlag(const Context& ctx, std::string_view name) {
  const std::string_view text = ctx.request.QueryValue(name);
  if (text.empty() || text == "false") {
    return false;
  }
  if (text == "true") {
    return true;
  }
  return BadField(name);
}

Result<int> BodyInt(const Context& ctx, std::string_view key) {
  const auto it = ctx.body.find(key);
  if (it == ctx.body.end()) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.missing_field", key);
  }
  if (!it->is_number_integer()) {
    return BadField(key);
  }
  const auto v = it->get<std::int64_t>();
  if (v < -1000000 || v > 1000000) {
    return BadField(key);
  }
  return static_cast<int>(v);
}

Status RequireOrgRole(const Context& ctx, std::string_view org_id,
                      std::initializer_list<org::Role> roles) {
  if (!ctx.me().IsMember(org_id)) {
    return Hidden("organization", org_id);
  }
  for (const org::Role r : roles) {
    if (ctx.me().HasRole(org_id, r)) {
      return Status::Ok();
    }
  }
  return Denied();
}

Status RequireOperator(const Context& ctx) {
  if (!ctx.me().IsOperator()) {
    return Denied();
  }
  return Status::Ok();
}

Result<std::pair<assess::AssessmentRecord, AssessmentAccess>> LoadAssessment(Context& ctx,
                                                                             std::string_view id,
                                                                             bool with_answers) {
  assess::AssessmentStore store(ctx.conn, ctx.clock());
  auto loaded = store.Load(id);
  if (!loaded.ok()) {
    if (loaded.error().code() == ErrorCode::kNotFound) {
      return Hidden("assessment", id);
    }
    return std::move(loaded).error();
  }
  assess::AssessmentRecord rec = std::move(loaded).value();
  if (!with_answers) {
    rec.answers.answers.clear();
  }
  AssessmentAccess a;
  const Principal& me = ctx.me();
  a.owner_member = me.HasRole(rec.organization_id, org::Role::kOrgAdmin) ||
                   me.HasRole(rec.organization_id, org::Role::kMember);
  a.owner_admin = me.HasRole(rec.organization_id, org::Role::kOrgAdmin);
  a.operator_ = me.IsOperator();
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto expert, reviews.AssignmentFor(rec.id, assess::ReviewerRole::kExpert));
  a.expert = expert && expert->user_id == me.user.id && me.HasRoleAnywhere(org::Role::kExpert);
  HOSHI_ASSIGN_OR_RETURN(auto evaluator,
                         reviews.AssignmentFor(rec.id, assess::ReviewerRole::kEvaluator));
  a.evaluator =
      evaluator && evaluator->user_id == me.user.id && me.HasRoleAnywhere(org::Role::kEvaluator);
  HOSHI_ASSIGN_OR_RETURN(std::vector<std::string> shared, reviews.SharedWith(rec.id));
  for (const std::string& buyer : shared) {
    if (me.IsMember(buyer)) {
      a.shared_buyer = true;
    }
  }
  if (!a.CanRead()) {
    return Hidden("assessment", id);
  }
  return std::make_pair(std::move(rec), a);
}

Status Audit(Context& ctx, std::string_view org_id, std::string_view action,
             std::string_view object_type, std::string_view object_id, const Json& payload) {
  org::AuditLog log(ctx.conn, ctx.clock());
  const std::string actor = ctx.principal ? ctx.principal->user.id : std::string();
  return log.Append(org_id, actor, action, object_type, object_id, payload).status();
}

Json OrganizationJson(const org::Organization& o) {
  return Json{{"id", o.id},     {"corporate_number", o.corporate_number},
              {"name", o.name}, {"name_en", o.name_en},
              {"kind", o.kind}, {"created_at", o.created_at}};
}

Json UserJson(const org::User& u) {
  return Json{{"id", u.id}, {"email", u.email}, {"display_name", u.display_name}, {"lang", u.lang}};
}

Json Localized(const LocalizedText& text) {
  return Json{{"ja", text.ja}, {"en", text.en}};
}

}  // namespace hoshi::api
