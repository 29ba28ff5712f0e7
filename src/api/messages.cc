// SPDX-License-Identifier: Apache-2.0
#include <array>

#include "hoshi/api/platform.h"

namespace hoshi::api {
namespace {

constexpr std::array kMessages{
    MessageEntry{"api.no_route", "そのURLのAPIはありません。", "There is no API at that URL."},
    MessageEntry{"api.method_not_allowed", "このURLではそのメソッドは使えません。",
                 "That method is not allowed on this URL."},
    MessageEntry{"api.login_required", "ログインが必要です。ログインし直してください。",
                 "Please log in (again)."},
    MessageEntry{"api.bad_authorization",
                 "Authorization ヘッダーは「Bearer <APIトークン>」の形で指定してください。",
                 "The Authorization header must be 'Bearer <API token>'."},
    MessageEntry{"api.csrf",
                 "CSRFトークンが一致しません。画面を再読み込みしてからやり直してください。",
                 "The CSRF token does not match. Reload the page and try again."},
    MessageEntry{"api.denied", "この操作を行う権限がありません。",
                 "You are not allowed to do this."},
    MessageEntry{"api.not_found", "{0}「{1}」が見つかりません。", "{0} '{1}' not found."},
    MessageEntry{"api.bad_field", "「{0}」の値が正しくありません。", "'{0}' has an invalid value."},
    MessageEntry{"api.missing_field", "「{0}」を入力してください。", "'{0}' is required."},
    MessageEntry{"api.too_long", "「{0}」が長すぎます（{1}文字まで）。",
                 "'{0}' is too long (at most {1} characters)."},
    MessageEntry{"api.body_not_object", "リクエストの本文はJSONオブジェクトにしてください。",
                 "The request body must be a JSON object."},
    MessageEntry{"api.internal",
                 "サーバー内部でエラーが起きました。時間をおいてやり直し、続く場合はリクエストIDを"
                 "添えて連絡してください。",
                 "An internal error occurred. Try again later; if it persists, report the "
                 "request id."},
    MessageEntry{"api.data_dir", "データフォルダー「{0}」を作成できません。",
                 "Cannot create the data folder '{0}'."},
    MessageEntry{"api.catalog_missing", "カタログ「{0}」が読み込まれていません。",
                 "Catalog '{0}' is not loaded."},
    MessageEntry{"api.wrong_state", "現在の状態（{0}）ではこの操作はできません。",
                 "This is not possible in the current state ({1})."},
    MessageEntry{"api.unknown_evidence",
                 "基準 {0} の証跡 {1} はこの評価にアップロードされていません。",
                 "Evidence {1} of criterion {0} was not uploaded to this assessment."},
    MessageEntry{"api.empty_upload", "ファイルが空です。", "The file is empty."},
    MessageEntry{"api.upload_io", "アップロードされたファイルを読めません。",
                 "The uploaded file cannot be read."},
    MessageEntry{
        "api.unsupported_type",
        "このファイル形式は受け付けていません（PDF、画像、Office文書、テキストが使えます）。",
        "This file type is not accepted (use PDF, images, Office documents or text)."},
    MessageEntry{"api.only_star4", "この操作は★4の評価だけで行えます。",
                 "This is only for ★4 assessments."},
    MessageEntry{"api.only_star3", "自己適合宣誓は★3の評価で行います。",
                 "The self-declaration belongs to ★3 assessments."},
    MessageEntry{"api.not_a_reviewer",
                 "利用者「{0}」はこの評価の確認者（専門家・評価者）として登録されていません。",
                 "User '{0}' is not registered as a reviewer (expert/evaluator) for this."},
    MessageEntry{"api.sbom_product", "製品名（product）を1〜100文字で指定してください。",
                 "Give the product name (product), 1 to 100 characters."},
    MessageEntry{"api.report_format",
                 "形式（format）は json, sarif, cyclonedx のいずれかにしてください。",
                 "The format must be json, sarif or cyclonedx."},
    MessageEntry{"api.telemetry_too_large",
                 "テレメトリのバッチは{0}バイトまでです。分割して送ってください。",
                 "A telemetry batch may hold at most {0} bytes; split it."},
    MessageEntry{"api.undisclosed_supplier", "非開示の取引先", "an undisclosed supplier"},
    MessageEntry{"api.taxii_description", "匿名化した攻撃情報（指標と観測）",
                 "De-identified attack information (indicators and sightings)"},
    MessageEntry{"api.taxii_read_only", "読み取り専用", "Read only"},
    MessageEntry{"api.taxii_collection_title", "集団防御の共有情報", "Collective-defense sharing"},
    MessageEntry{"api.taxii_collection_description", "直近30日の匿名化済みの指標と観測（STIX 2.1）",
                 "De-identified indicators and sightings of the last 30 days (STIX 2.1)"},
    MessageEntry{"api.warning_self",
                 "貴社を含む{0}組織で、同じ攻撃側の宛先（{1}）への不審な通信が検知されました。",
                 "Suspicious traffic to the same attacker-side target ({1}) was detected at {0} "
                 "organisations, yours among them."},
    MessageEntry{
        "api.warning_supplier",
        "取引先（{0}）を含む{1}組織で、同じ攻撃側の宛先（{2}）への不審な通信が検知されました。",
        "Suspicious traffic to the same attacker-side target ({2}) was detected at {1} "
        "organisations, among them your supplier ({0})."},
    MessageEntry{"api.not_a_buyer", "組織「{0}」は自社の発注者として登録されていません。",
                 "Organisation '{0}' is not registered as one of your buyers."},
    MessageEntry{"api.review_missing", "{0}審査の合格結果がまだありません。",
                 "The {0} review has not passed yet."},
    MessageEntry{"api.report_missing", "技術検証報告書がまだアップロードされていません。",
                 "The technical verification report has not been uploaded yet."},
    MessageEntry{"api.declaration_statement",
                 "当社は、サプライチェーン強化に向けたセキュリティ対策評価制度の★3の要求事項を満た"
                 "していることを、経営者として自己適合宣誓します。",
                 "As management, we declare that our company meets the ★3 requirements of the "
                 "supply-chain security evaluation scheme."},
    MessageEntry{"api.not_operator_org", "法人番号 {0} の組織は運営者の組織ではありません。",
                 "The organisation with corporate number {0} is not an operator organisation."},
    MessageEntry{"api.no_certification", "法人番号 {0} の★の登録はありません。",
                 "There is no ★ registration for corporate number {0}."},
    MessageEntry{
        "api.supplier_not_registered",
        "法人番号 {0} の企業はまだ登録されていません。先に取引先に登録を依頼してください。",
        "No company with corporate number {0} is registered yet. Ask the supplier to "
        "sign up first."},
};

}  // namespace

std::span<const MessageEntry> ApiMessages() {
  return kMessages;
}

}  // namespace hoshi::api
