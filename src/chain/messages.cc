// SPDX-License-Identifier: Apache-2.0
#include <array>

#include "hoshi/chain/chain.h"

namespace hoshi::chain {
namespace {

constexpr std::array kMessages{
    MessageEntry{"chain.self", "自社を取引先として登録することはできません。",
                 "An organisation cannot be its own supplier."},
    MessageEntry{"chain.relationship_not_found", "取引関係「{0}」が見つかりません。",
                 "Supplier relationship '{0}' not found."},
    MessageEntry{"chain.request_not_found", "依頼「{0}」が見つかりません。",
                 "Request '{0}' not found."},
    MessageEntry{"chain.bad_level", "依頼できるレベルは★3または★4です（指定: {0}）。",
                 "The level requested must be ★3 or ★4 (given: {0})."},
    MessageEntry{"chain.due_in_past", "期限（{0}）が過去の日付です。",
                 "The due date ({0}) is in the past."},
    MessageEntry{"chain.already_answered", "依頼「{0}」はすでに回答済みです。",
                 "Request '{0}' has already been answered."},
    MessageEntry{"chain.reason_required", "辞退する場合は理由を入力してください。",
                 "Please give a reason for declining."},
    MessageEntry{"chain.field_too_long", "「{0}」が長すぎます（{1}文字まで）。",
                 "'{0}' is too long (at most {1} characters)."},
    MessageEntry{"chain.field_type", "「{0}」の値の型が正しくありません。",
                 "'{0}' has the wrong type."},
    MessageEntry{"request.sent", "依頼中", "sent"},
    MessageEntry{"request.accepted", "受諾", "accepted"},
    MessageEntry{"request.declined", "辞退", "declined"},
};

}  // namespace

std::span<const MessageEntry> ChainMessages() {
  return kMessages;
}

}  // namespace hoshi::chain
