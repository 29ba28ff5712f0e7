// SPDX-License-Identifier: Apache-2.0
// Authentication, organisations, members, catalogs.
#include <fmt/format.h>

#include "hoshi/catalog/catalog.h"
#include "hoshi/org/audit.h"
#include "hoshi/org/corporate_number.h"

#include "context.h"

namespace hoshi::api {
namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxPassword = 1024;

std::string SessionCookie(const Context& ctx, std::string_view token, long max_age) {
  return fmt::format("hoshi_session={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", token,
                     max_age, ctx.shared.options.secure_cookies ? "; Secure" : "");
}

Json MembershipsJson(Context& ctx, const std::vector<org::Membership>& memberships) {
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  Json out = Json::array();
  for (const auto& m : memberships) {
    Json j{{"organization_id", m.organization_id},
           {"role", org::RoleName(m.role)},
           {"role_label", Localized(org::RoleLabel(m.role))}};
    if (auto o = ids.GetOrganization(m.organization_id); o.ok()) {
      j["organization"] = OrganizationJson(*o);
    }
    out.push_back(std::move(j));
  }
  return out;
}

Result<org::Role> RoleField(const Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(std::string name, BodyString(ctx, "role", 32));
  const auto role = org::ParseRole(name);
  if (!role) {
    return BadField("role");
  }
  return *role;
}

/// Creates a user (or, when `allow_existing`, finds the existing one by e-mail) and makes them
/// `role` in `org_id`. Self sign-up never attaches an existing account to a new organisation.
Result<org::User> EnsureMember(Context& ctx, org::IdentityStore& ids, const Json& person,
                               std::string_view org_id, org::Role role, bool allow_existing) {
  Context sub{ctx.request, ctx.route, {}, ctx.lang, ctx.conn, ctx.shared, ctx.principal, person};
  HOSHI_ASSIGN_OR_RETURN(std::string email, BodyString(sub, "email", kMaxEmail));
  org::User user;
  if (auto existing = ids.FindUserByEmail(email); existing.ok() && allow_existing) {
    user = std::move(existing).value();
  } else {
    HOSHI_ASSIGN_OR_RETURN(std::string display_name, BodyString(sub, "display_name", kMaxName));
    HOSHI_ASSIGN_OR_RETURN(std::string password, BodyString(sub, "password", kMaxPassword));
    HOSHI_ASSIGN_OR_RETURN(std::string lang, BodyString(sub, "lang", 2, false));
    HOSHI_ASSIGN_OR_RETURN(
        user, ids.CreateUser(email, display_name, password, lang == "en" ? "en" : "ja"));
  }
  HOSHI_RETURN_IF_ERROR(ids.AddMembership(user.id, org_id, role));
  HOSHI_RETURN_IF_ERROR(
      Audit(ctx, org_id, "member.added", "user", user.id, Json{{"role", org::RoleName(role)}}));
  return user;
}

Result<org::Organization> NewOrganization(Context& ctx, org::IdentityStore& ids,
                                          std::string_view kind) {
  HOSHI_ASSIGN_OR_RETURN(std::string number, BodyString(ctx, "corporate_number", 32));
  HOSHI_ASSIGN_OR_RETURN(std::string name, BodyString(ctx, "name", kMaxName));
  HOSHI_ASSIGN_OR_RETURN(std::string name_en, BodyString(ctx, "name_en", kMaxName, false));
  HOSHI_ASSIGN_OR_RETURN(org::Organization o, ids.CreateOrganization(number, name, name_en, kind));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, o.id, "organization.created", "organization", o.id,
                              Json{{"corporate_number", o.corporate_number}, {"kind", kind}}));
  return o;
}

}  // namespace

Result<Reply> Login(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(std::string email, BodyString(ctx, "email", kMaxEmail));
  HOSHI_ASSIGN_OR_RETURN(std::string password, BodyString(ctx, "password", kMaxPassword));
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(org::User user, ids.Authenticate(email, password));
  HOSHI_ASSIGN_OR_RETURN(auto session, ids.CreateSession(user.id));
  HOSHI_ASSIGN_OR_RETURN(auto memberships, ids.Memberships(user.id));
  Reply r;
  r.body = Json{{"user", UserJson(user)},
                {"csrf_token", session.csrf_token},
                {"expires_at", session.expires_at},
                {"memberships", MembershipsJson(ctx, memberships)}};
  r.headers.push_back({"Set-Cookie", SessionCookie(ctx, session.token, 12L * 3600)});
  return r;
}

Result<Reply> Logout(Context& ctx) {
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  const std::string_view cookies = ctx.request.HeaderValue("Cookie");
  const std::size_t at = cookies.find("hoshi_session=");
  if (at != std::string_view::npos) {
    std::string_view token = cookies.substr(at + 14);
    token = token.substr(0, token.find(';'));
    HOSHI_RETURN_IF_ERROR(ids.DeleteSession(token));
  }
  Reply r;
  r.status = 204;
  r.headers.push_back({"Set-Cookie", SessionCookie(ctx, "", 0)});
  return r;
}

Result<Reply> Me(Context& ctx) {
  Reply r;
  r.body = Json{{"user", UserJson(ctx.me().user)},
                {"memberships", MembershipsJson(ctx, ctx.me().memberships)}};
  return r;
}

Result<Reply> CreateToken(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(std::string name, BodyString(ctx, "name", kMaxName));
  HOSHI_ASSIGN_OR_RETURN(std::string expires, BodyString(ctx, "expires_at", 40, false));
  std::optional<std::string> expires_at;
  if (!expires.empty()) {
    if (!ParseTimestamp(expires).ok()) {
      return BadField("expires_at");
    }
    expires_at = expires;
  }
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(auto token, ids.CreateApiToken(ctx.me().user.id, name, expires_at));
  Reply r;
  r.status = 201;
  r.body = Json{{"id", token.id}, {"token", token.token}, {"name", name}};
  return r;
}

Result<Reply> RevokeToken(Context& ctx) {
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_RETURN_IF_ERROR(ids.RevokeApiToken(ctx.me().user.id, ctx.Param("token_id")));
  Reply r;
  r.status = 204;
  return r;
}

Result<Reply> Signup(Context& ctx) {
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  const auto admin = ctx.body.find("admin");
  if (admin == ctx.body.end() || !admin->is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.missing_field", "admin");
  }
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(org::Organization o, NewOrganization(ctx, ids, "company"));
  HOSHI_ASSIGN_OR_RETURN(org::User u,
                         EnsureMember(ctx, ids, *admin, o.id, org::Role::kOrgAdmin, false));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 201;
  r.body = Json{{"organization", OrganizationJson(o)}, {"admin", UserJson(u)}};
  return r;
}

Result<Reply> CreateOrganization(Context& ctx) {
  HOSHI_RETURN_IF_ERROR(RequireOperator(ctx));
  HOSHI_ASSIGN_OR_RETURN(std::string kind, BodyString(ctx, "kind", 32, false));
  if (kind.empty()) {
    kind = "company";
  }
  if (kind != "company" && kind != "expert_firm" && kind != "evaluation_body" &&
      kind != "operator") {
    return BadField("kind");
  }
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(org::Organization o, NewOrganization(ctx, ids, kind));
  Json body{{"organization", OrganizationJson(o)}};
  if (const auto admin = ctx.body.find("admin"); admin != ctx.body.end()) {
    if (!admin->is_object()) {
      return BadField("admin");
    }
    HOSHI_ASSIGN_OR_RETURN(org::User u,
                           EnsureMember(ctx, ids, *admin, o.id, org::Role::kOrgAdmin, true));
    body["admin"] = UserJson(u);
  }
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 201;
  r.body = std::move(body);
  return r;
}

Result<Reply> GetOrganization(Context& ctx) {
  const std::string& id = ctx.Param("org");
  if (!ctx.me().IsMember(id) && !ctx.me().IsOperator()) {
    return Hidden("organization", id);
  }
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(org::Organization o, ids.GetOrganization(id));
  Reply r;
  r.body = OrganizationJson(o);
  return r;
}

Result<Reply> ListMembers(Context& ctx) {
  const std::string& id = ctx.Param("org");
  if (!ctx.me().IsMember(id) && !ctx.me().IsOperator()) {
    return Hidden("organization", id);
  }
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(auto members, ids.Members(id));
  Json out = Json::array();
  for (const auto& [user, role] : members) {
    Json j = UserJson(user);
    j["role"] = org::RoleName(role);
    out.push_back(std::move(j));
  }
  Reply r;
  r.body = Json{{"members", std::move(out)}};
  return r;
}

Result<Reply> AddMember(Context& ctx) {
  const std::string& id = ctx.Param("org");
  const bool operator_call = ctx.me().IsOperator();
  if (!operator_call) {
    HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, id, {org::Role::kOrgAdmin}));
  }
  HOSHI_ASSIGN_OR_RETURN(org::Role role, RoleField(ctx));
  if (!operator_call && role != org::Role::kMember && role != org::Role::kOrgAdmin) {
    return Denied();  // experts, evaluators and operators are appointed by the operator
  }
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_RETURN_IF_ERROR(ids.GetOrganization(id));
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(org::User u, EnsureMember(ctx, ids, ctx.body, id, role, true));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 201;
  r.body = UserJson(u);
  r.body["role"] = org::RoleName(role);
  return r;
}

Result<Reply> ListReviewers(Context& ctx) {
  const std::string_view role_name = ctx.request.QueryValue("role");
  const auto role = org::ParseRole(role_name.empty() ? "expert" : role_name);
  if (!role || (*role != org::Role::kExpert && *role != org::Role::kEvaluator)) {
    return BadField("role");
  }
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(auto users, ids.UsersWithRole(*role));
  Json out = Json::array();
  for (const auto& u : users) {
    out.push_back(Json{{"id", u.id}, {"display_name", u.display_name}});
  }
  Reply r;
  r.body = Json{{"reviewers", std::move(out)}, {"role", org::RoleName(*role)}};
  return r;
}

Result<Reply> OrgAudit(Context& ctx) {
  const std::string& id = ctx.Param("org");
  if (!ctx.me().IsOperator()) {
    HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, id, {org::Role::kOrgAdmin}));
  }
  org::AuditLog log(ctx.conn, ctx.clock());
  std::int64_t after = 0;
  if (const std::string_view a = ctx.request.QueryValue("after"); !a.empty()) {
    after = std::strtoll(std::string(a).c_str(), nullptr, 10);
  }
  HOSHI_ASSIGN_OR_RETURN(auto events, log.List(id, after, 200));
  Json out = Json::array();
  for (const auto& e : events) {
    out.push_back(Json{{"seq", e.seq},
                       {"id", e.id},
                       {"at", e.at},
                       {"actor_user_id", e.actor_user_id},
                       {"action", e.action},
                       {"object_type", e.object_type},
                       {"object_id", e.object_id},
                       {"payload", e.payload},
                       {"hash", e.hash}});
  }
  Reply r;
  r.body = Json{{"events", std::move(out)}};
  return r;
}

Result<Reply> ListCatalogs(Context& ctx) {
  Json out = Json::array();
  for (const catalog::CatalogVersion* c : ctx.shared.registry.List()) {
    Json levels = Json::array();
    for (const auto& l : c->levels) {
      levels.push_back(l.level);
    }
    out.push_back(Json{{"key", c->key()},
                       {"official_title_ja", c->official_title_ja},
                       {"title", Localized(c->title)},
                       {"publisher", c->publisher},
                       {"published", c->published},
                       {"levels", std::move(levels)}});
  }
  Reply r;
  r.body = Json{{"catalogs", std::move(out)}};
  return r;
}

Result<Reply> GetCatalog(Context& ctx) {
  const catalog::CatalogVersion* c = ctx.shared.registry.Find(ctx.Param("key"));
  if (c == nullptr) {
    return Hidden("catalog", ctx.Param("key"));
  }
  Reply r;
  r.raw = catalog::CatalogToJson(*c);
  r.raw_type = "application/json; charset=utf-8";
  return r;
}

}  // namespace hoshi::api
