// SPDX-License-Identifier: Apache-2.0
#include <array>

#include "hoshi/assess/answers.h"

namespace hoshi::assess {
namespace {

constexpr std::array kMessages{
    // Answer statuses.
    MessageEntry{"status.unanswered", "未回答", "Unanswered"},
    MessageEntry{"status.implemented", "実施", "Implemented"},
    MessageEntry{"status.partial", "一部実施", "Partially implemented"},
    MessageEntry{"status.not_implemented", "未実施", "Not implemented"},
    MessageEntry{"status.not_applicable", "該当なし", "Not applicable"},
    MessageEntry{"status.unknown", "わからない", "Don't know"},
    // Answer file problems.
    MessageEntry{"answers.yaml_syntax", "ファイルの書式が正しくありません（YAML/JSON）: {0}",
                 "The file is not valid YAML/JSON: {0}"},
    MessageEntry{"answers.not_a_map",
                 "ファイルの最上位は「answers:」などの項目を持つ形式にしてください。",
                 "The top level of the file must be a mapping with an 'answers:' entry."},
    MessageEntry{
        "answers.no_answers",
        "「answers:」の項目がありません。テンプレートは `hoshitori assess template` "
        "で作成できます。",
        "There is no 'answers:' entry. Create a template with `hoshitori assess template`."},
    MessageEntry{"answers.answers_not_map", "「answers:」は「基準ID: 回答」の形で書いてください。",
                 "'answers:' must map criterion ids to answers."},
    MessageEntry{"answers.unknown_field", "不明な項目「{0}」です。使える項目: {1}",
                 "Unknown field '{0}'. Allowed fields: {1}"},
    MessageEntry{"answers.unknown_criterion",
                 "評価基準「{0}」は {1} にありません。IDを確認してください。",
                 "Criterion '{0}' does not exist in {1}. Check the id."},
    MessageEntry{"answers.duplicate_criterion",
                 "評価基準「{0}」の回答が重複しています（最初は {1} 行目）。",
                 "Criterion '{0}' is answered twice (first on line {1})."},
    MessageEntry{"answers.unknown_status",
                 "回答「{0}」は使えません。implemented（実施）/ partial（一部実施）/ "
                 "not_implemented（未実施）/ not_applicable（該当なし）/ "
                 "unanswered（未回答）のいずれかを指定してください。",
                 "Unknown status '{0}'. Use implemented, partial, not_implemented, not_applicable "
                 "or unanswered."},
    MessageEntry{"answers.unknown_not_allowed",
                 "「わからない」は採点式の自己診断項目でのみ使えます（{0}）。",
                 "'unknown' is only allowed for scored self-check items ({0})."},
    MessageEntry{
        "answers.na_without_reason",
        "評価基準「{0}"
        "」は「該当なし」ですが理由（reason）がありません。該当しない理由を書いてください。",
        "Criterion '{0}' is marked not applicable without a reason. Say why it does not apply."},
    MessageEntry{"answers.bad_date",
                 "「{0}」の日付「{1}」が不正です。YYYY-MM-DD 形式で書いてください。",
                 "Invalid date '{1}' for '{0}'. Use YYYY-MM-DD."},
    MessageEntry{"answers.future_date", "「{0}」の最終点検日 {1} が評価日より後です。",
                 "The last check date {1} of '{0}' is after the evaluation date."},
    MessageEntry{"answers.bad_evidence",
                 "「{0}」の証跡「{1}」は SHA-256（16進64文字）ではありません。",
                 "Evidence '{1}' of '{0}' is not a SHA-256 hash (64 hex characters)."},
    MessageEntry{"answers.too_much_evidence", "「{0}」の証跡が多すぎます（上限 {1} 件）。",
                 "Too many evidence references for '{0}' (limit {1})."},
    MessageEntry{"answers.field_too_long", "「{0}」の「{1}」が長すぎます（上限 {2} バイト）。",
                 "Field '{1}' of '{0}' is too long (limit {2} bytes)."},
    MessageEntry{"answers.wrong_type", "「{0}」は{1}で書いてください。", "'{0}' must be {1}."},
    MessageEntry{"answers.type_text", "文字列", "a text"},
    MessageEntry{"answers.type_list", "リスト", "a list"},
    MessageEntry{"answers.type_map", "「項目: 値」の形式", "a mapping"},
    MessageEntry{"answers.type_int", "整数", "an integer"},
    MessageEntry{"answers.catalog_mismatch",
                 "このファイルはカタログ「{0}」用ですが、「{1}」で評価しようとしています。",
                 "This file is for catalog '{0}' but is being evaluated against '{1}'."},
    MessageEntry{"answers.level_mismatch",
                 "このファイルは ★{0} 用ですが、★{1} で評価しようとしています。",
                 "This file is for ★{0} but is being evaluated at ★{1}."},
    MessageEntry{"answers.level_unknown", "カタログ「{0}」に ★{1} はありません。",
                 "Catalog '{0}' has no level ★{1}."},
    MessageEntry{"answers.level_missing",
                 "評価レベルが指定されていません（--level またはファイルの level:）。",
                 "No level given (--level or 'level:' in the file)."},
    MessageEntry{"answers.bad_corporate_number", "法人番号「{0}」は13桁の数字ではありません。",
                 "Corporate number '{0}' is not 13 digits."},
    MessageEntry{"answers.file_too_large", "回答ファイルが大きすぎます（上限 {0} バイト）。",
                 "The answer file is too large (limit {0} bytes)."},
    // Template texts.
    MessageEntry{"template.header", "hoshitori 回答ファイル", "hoshitori answer file"},
    MessageEntry{"template.statuses",
                 "status: implemented（実施）| partial（一部実施）| not_implemented（未実施）| "
                 "not_applicable（該当なし・reason 必須）| unanswered（未回答）",
                 "status: implemented | partial | not_implemented | not_applicable (reason "
                 "required) | unanswered"},
    MessageEntry{"template.unknown_status", "採点式の項目では unknown（わからない）も使えます。",
                 "Scored items also accept unknown (don't know)."},
    MessageEntry{"template.evidence",
                 "evidence: 証跡ファイルの SHA-256（hoshitori にアップロードした証跡）",
                 "evidence: SHA-256 hashes of evidence files uploaded to hoshitori"},
    MessageEntry{"template.last_checked", "last_checked: 定期点検の最終実施日（YYYY-MM-DD）",
                 "last_checked: date of the last recurring check (YYYY-MM-DD)"},
    MessageEntry{"template.criteria_count", "対象の評価基準: {0} 件", "Criteria to answer: {0}"},
    MessageEntry{"template.guidance", "ガイダンス（言い換え）", "Guidance (paraphrase)"},
    MessageEntry{"template.evidence_hint", "証跡の例", "Evidence examples"},
    MessageEntry{"template.recurring", "定期点検", "Recurring check"},
    MessageEntry{"recurrence.yearly", "年1回以上", "at least yearly"},
    MessageEntry{"recurrence.monthly", "月1回以上", "at least monthly"},
    // Evaluation and workflow.
    MessageEntry{"state.draft", "下書き", "Draft"},
    MessageEntry{"state.submitted", "提出済み", "Submitted"},
    MessageEntry{"state.in_review", "確認中", "In review"},
    MessageEntry{"state.returned", "差し戻し", "Returned"},
    MessageEntry{"state.confirmed", "確認済み", "Confirmed"},
    MessageEntry{"state.certified", "認定済み", "Certified"},
    MessageEntry{"state.expired", "期限切れ", "Expired"},
    MessageEntry{"workflow.not_allowed", "「{0}」の状態では「{1}」はできません。",
                 "'{1}' is not possible in state '{0}'."},
    MessageEntry{"workflow.unanswered",
                 "未回答の評価基準が {0} 件あります。すべて回答してから提出してください。",
                 "{0} criteria are unanswered. Answer all of them before submitting."},
    MessageEntry{"workflow.not_met",
                 "★{0} の要件を満たしていないため確認できません（不足 {1} 件）。",
                 "Cannot confirm: the ★{0} requirements are not met ({1} gaps)."},
    MessageEntry{"workflow.no_declaration", "経営者による自己適合宣誓がまだありません。",
                 "The management self-declaration of conformity has not been made yet."},
    MessageEntry{"workflow.not_expired", "有効期限（{0}）はまだ過ぎていません。",
                 "The validity period (until {0}) has not ended yet."},
    MessageEntry{"workflow.no_expiry", "有効期限が設定されていません。", "No expiry date is set."},
    MessageEntry{"event.submit", "提出", "submit"},
    MessageEntry{"event.start_review", "確認開始", "start review"},
    MessageEntry{"event.return", "差し戻し", "return"},
    MessageEntry{"event.confirm", "確認", "confirm"},
    MessageEntry{"event.certify", "認定", "certify"},
    MessageEntry{"event.expire", "失効", "expire"},
    MessageEntry{"event.reopen", "編集再開", "reopen"},
    MessageEntry{"conformance.conformant", "適合", "Conformant"},
    MessageEntry{"conformance.partial", "一部適合", "Partly conformant"},
    MessageEntry{"conformance.non_conformant", "不適合", "Not conformant"},
    MessageEntry{"conformance.not_applicable", "該当なし", "Not applicable"},
    MessageEntry{"overdue.never_checked", "点検日の記録がありません", "no check date recorded"},
    MessageEntry{"prepare.prepared", "準備済み", "Prepared"},
    MessageEntry{"prepare.partly", "一部準備", "Partly prepared"},
    MessageEntry{"prepare.not_prepared", "未準備", "Not prepared"},
    MessageEntry{"prepare.no_coverage", "★2では扱わない項目", "Not covered by ★2"},
    MessageEntry{"prepare.wrong_catalogs",
                 "対応表「{0}」は「{1}」と「{2}」の組み合わせには使えません。",
                 "Mapping '{0}' does not connect '{1}' and '{2}'."},
    MessageEntry{"store.not_found", "評価「{0}」が見つかりません。", "Assessment '{0}' not found."},
    MessageEntry{
        "store.state_changed",
        "評価「{0}」の状態が別の操作で変わりました。最新の状態を確認してからやり直してください。",
        "The state of assessment '{0}' was changed by another action. Check its current state and "
        "try again."},
    MessageEntry{"store.corrupt", "保存された評価「{0}」のデータが壊れています。",
                 "The stored data of assessment '{0}' is damaged."},
    MessageEntry{"cert.not_found", "認定「{0}」が見つかりません。",
                 "Certification '{0}' not found."},
    MessageEntry{"cert.already_revoked", "認定「{0}」はすでに失効しています。",
                 "Certification '{0}' is already revoked."},
    MessageEntry{"cert.no_annual_due", "認定「{0}」には提出待ちの年次自己評価がありません。",
                 "Certification '{0}' has no yearly self-assessment waiting to be submitted."},
    MessageEntry{"standing.valid", "有効", "valid"},
    MessageEntry{"standing.expired", "期限切れ", "expired"},
    MessageEntry{"standing.revoked", "失効", "revoked"},
};

}  // namespace

std::span<const MessageEntry> AssessMessages() {
  return kMessages;
}

}  // namespace hoshi::assess
