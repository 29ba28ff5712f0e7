// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "hoshi/core/i18n.h"

namespace hoshi::org {

/// What a user may do within one organisation (a user may hold several roles there).
/// Stored by name (RoleName), never by number.
enum class Role {
  kOrgAdmin,   ///< manages the organisation's members, tokens and submissions
  kMember,     ///< works on the organisation's assessments
  kExpert,     ///< an external expert confirming ★3 self-assessments (member of an expert firm)
  kEvaluator,  ///< an evaluator of a ★4 evaluation body
  kOperator,   ///< the scheme operator (制度運営者)
};

/// Every role, in declaration order.
[[nodiscard]] std::span<const Role> AllRoles();
/// "org_admin", "member", "expert", "evaluator", "operator".
[[nodiscard]] std::string_view RoleName(Role role);
/// The inverse of RoleName (exact, lower case); nullopt otherwise.
[[nodiscard]] std::optional<Role> ParseRole(std::string_view name);
/// The role's display name in Japanese and English.
[[nodiscard]] LocalizedText RoleLabel(Role role);

/// The organisation kinds: "company", "expert_firm", "evaluation_body", "operator".
[[nodiscard]] std::span<const std::string_view> OrganizationKinds();
[[nodiscard]] bool IsValidOrganizationKind(std::string_view kind);
/// The kind's display name; the kind itself in both languages when unknown.
[[nodiscard]] LocalizedText OrganizationKindLabel(std::string_view kind);

}  // namespace hoshi::org
