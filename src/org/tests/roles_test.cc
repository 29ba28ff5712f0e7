// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/roles.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace hoshi::org {
namespace {

TEST(RolesTest, NamesRoundTrip) {
  EXPECT_EQ(AllRoles().size(), 5U);
  std::set<std::string> names;
  for (const Role role : AllRoles()) {
    const std::string_view name = RoleName(role);
    EXPECT_TRUE(names.insert(std::string(name)).second) << name;
    EXPECT_EQ(ParseRole(name), role) << name;
    const LocalizedText label = RoleLabel(role);
    EXPECT_FALSE(label.ja.empty()) << name;
    EXPECT_FALSE(label.en.empty()) << name;
    EXPECT_NE(label.ja, std::string("org.role.") + std::string(name)) << "missing message";
  }
  EXPECT_EQ(RoleName(Role::kOrgAdmin), "org_admin");
  EXPECT_EQ(RoleName(Role::kMember), "member");
  EXPECT_EQ(RoleName(Role::kExpert), "expert");
  EXPECT_EQ(RoleName(Role::kEvaluator), "evaluator");
  EXPECT_EQ(RoleName(Role::kOperator), "operator");
  EXPECT_EQ(RoleLabel(Role::kExpert).ja, "専門家");
}

TEST(RolesTest, UnknownNamesAreRejected) {
  EXPECT_EQ(ParseRole(""), std::nullopt);
  EXPECT_EQ(ParseRole("admin"), std::nullopt);
  EXPECT_EQ(ParseRole("Member"), std::nullopt);
  EXPECT_EQ(ParseRole("member "), std::nullopt);
}

TEST(RolesTest, OrganizationKinds) {
  EXPECT_EQ(OrganizationKinds().size(), 4U);
  for (const std::string_view kind : OrganizationKinds()) {
    EXPECT_TRUE(IsValidOrganizationKind(kind));
    EXPECT_NE(OrganizationKindLabel(kind).ja, kind);
    EXPECT_FALSE(OrganizationKindLabel(kind).en.empty());
  }
  EXPECT_FALSE(IsValidOrganizationKind("Company"));
  EXPECT_FALSE(IsValidOrganizationKind(""));
  EXPECT_EQ(OrganizationKindLabel("other").en, "other");
}

}  // namespace
}  // namespace hoshi::org
