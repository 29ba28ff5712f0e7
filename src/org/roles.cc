// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/roles.h"

#include <array>
#include <string>

#include "hoshi/org/messages.h"

namespace hoshi::org {
namespace {

struct RoleInfo {
  Role role;
  std::string_view name;
  std::string_view label_key;
};

constexpr std::array kRoles{
    RoleInfo{Role::kOrgAdmin, "org_admin", "org.role.org_admin"},
    RoleInfo{Role::kMember, "member", "org.role.member"},
    RoleInfo{Role::kExpert, "expert", "org.role.expert"},
    RoleInfo{Role::kEvaluator, "evaluator", "org.role.evaluator"},
    RoleInfo{Role::kOperator, "operator", "org.role.operator"},
};

constexpr std::array kAllRoles{Role::kOrgAdmin, Role::kMember, Role::kExpert, Role::kEvaluator,
                               Role::kOperator};

constexpr std::array<std::string_view, 4> kKinds{"company", "expert_firm", "evaluation_body",
                                                 "operator"};

const RoleInfo& InfoOf(Role role) {
  for (const RoleInfo& info : kRoles) {
    if (info.role == role) {
      return info;
    }
  }
  return kRoles[1];  // unreachable for a valid enumerator
}

}  // namespace

std::span<const Role> AllRoles() {
  return kAllRoles;
}

std::string_view RoleName(Role role) {
  return InfoOf(role).name;
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const RoleInfo& info : kRoles) {
    if (info.name == name) {
      return info.role;
    }
  }
  return std::nullopt;
}

LocalizedText RoleLabel(Role role) {
  return Lookup(OrgMessages(), InfoOf(role).label_key);
}

std::span<const std::string_view> OrganizationKinds() {
  return kKinds;
}

bool IsValidOrganizationKind(std::string_view kind) {
  for (const std::string_view k : kKinds) {
    if (k == kind) {
      return true;
    }
  }
  return false;
}

LocalizedText OrganizationKindLabel(std::string_view kind) {
  if (!IsValidOrganizationKind(kind)) {
    return LocalizedText{std::string(kind), std::string(kind)};
  }
  return Lookup(OrgMessages(), "org.kind." + std::string(kind));
}

}  // namespace hoshi::org
