// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"
#include "hoshi/storage/database.h"

namespace hoshi::chain {

/// The model decision tree of the SCS scheme for the level a buyer asks of a supplier: any "yes"
/// to the three questions means ★4, otherwise ★3. Additional factors and a free-text reason are
/// recorded with the decision (and may raise ★3 to ★4 when the buyer says so).
struct Decision {
  bool confidential_info_on_supplier_it = false;  ///< 重要な機密情報を取引先のITで扱うか
  bool stop_causes_unacceptable_delay = false;  ///< 取引先の停止で許容できない遅延が生じるか
  bool supplier_reaches_internal_systems = false;  ///< 取引先が社内システムに接続できるか
  std::vector<std::string> additional_factors;
  bool raise_to_four = false;  ///< the buyer raises ★3 to ★4 for the additional factors
  std::string reason;
};
[[nodiscard]] int RequiredLevel(const Decision& d);
[[nodiscard]] nlohmann::json DecisionToJson(const Decision& d);
/// kInvalidArgument naming the field when a value has the wrong type or a text is too long.
[[nodiscard]] Result<Decision> DecisionFromJson(const nlohmann::json& j);

struct Relationship {
  std::string id;
  std::string buyer_organization_id;
  std::string supplier_organization_id;
  int required_level = 3;
  Decision decision;
  bool name_consent = false;  ///< the supplier lets its name be shown to its buyer's buyers
  std::string created_at;
};

enum class RequestState { kSent, kAccepted, kDeclined };
[[nodiscard]] std::string_view RequestStateName(RequestState s);  ///< "sent"/"accepted"/"declined"
[[nodiscard]] LocalizedText RequestStateLabel(RequestState s);

struct LevelRequest {
  std::string id;
  std::string relationship_id;
  std::string buyer_organization_id;
  std::string supplier_organization_id;
  int level = 3;
  Date due_on;
  std::string message;
  RequestState state = RequestState::kSent;
  std::string response_note;  ///< agreement (cost sharing, schedule) or the reason for declining
  std::optional<std::string> responded_at;
  std::string created_at;
};

/// Buyer-supplier relationships and level requests (requirement 2-1-3's supply-chain view).
/// Writes join an open transaction. Borrows connection and clock.
class ChainStore {
 public:
  ChainStore(storage::Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  /// kAlreadyExists when the pair exists; kInvalidArgument for a self-relationship.
  [[nodiscard]] Result<Relationship> AddSupplier(std::string_view buyer_org_id,
                                                 std::string_view supplier_org_id,
                                                 const Decision& decision);
  [[nodiscard]] Result<Relationship> GetRelationship(std::string_view id);  ///< kNotFound
  [[nodiscard]] Result<std::vector<Relationship>> SuppliersOf(std::string_view buyer_org_id);
  [[nodiscard]] Result<std::vector<Relationship>> BuyersOf(std::string_view supplier_org_id);
  [[nodiscard]] Status SetNameConsent(std::string_view relationship_id, bool consent);

  /// kInvalidArgument for a level other than 3/4 or a due date in the past.
  [[nodiscard]] Result<LevelRequest> SendRequest(const Relationship& rel, int level, Date due_on,
                                                 std::string_view message);
  [[nodiscard]] Result<LevelRequest> GetRequest(std::string_view id);  ///< kNotFound
  /// Accept (with an agreement note) or decline (with a reason, required). kFailedPrecondition
  /// when the request was already answered.
  [[nodiscard]] Result<LevelRequest> Respond(std::string_view id, bool accept,
                                             std::string_view note);
  [[nodiscard]] Result<std::vector<LevelRequest>> RequestsFromBuyer(std::string_view buyer_org_id);
  [[nodiscard]] Result<std::vector<LevelRequest>> RequestsToSupplier(
      std::string_view supplier_org_id);

 private:
  storage::Connection& conn_;
  const Clock& clock_;
};

[[nodiscard]] std::span<const MessageEntry> ChainMessages();

}  // namespace hoshi::chain
