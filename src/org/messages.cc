// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/messages.h"

#include <array>

namespace hoshi::org {
namespace {

constexpr std::array kOrgMessages{
    // 法人番号.
    MessageEntry{"org.corporate_number_format", "法人番号は13桁の半角数字で入力してください。",
                 "A corporate number (法人番号) must be exactly 13 digits."},
    MessageEntry{"org.corporate_number_check_digit",
                 "法人番号の検査用数字（先頭の1桁）が一致しません。番号を確認してください。",
                 "The check digit (the first digit) of the corporate number does not match. "
                 "Please check the number."},
    // Organisations.
    MessageEntry{"org.organization_name_invalid",
                 "組織名を入力してください（{0}バイト以内、制御文字は使えません）。",
                 "Please enter the organisation's name (at most {0} bytes, no control "
                 "characters)."},
    MessageEntry{"org.organization_kind_invalid",
                 "組織の種別「{0}」は使えません。company / expert_firm / evaluation_body / "
                 "operator のいずれかを指定してください。",
                 "Organisation kind '{0}' is not allowed. Use company, expert_firm, "
                 "evaluation_body or operator."},
    MessageEntry{"org.organization_exists", "法人番号 {0} の組織はすでに登録されています。",
                 "An organisation with corporate number {0} is already registered."},
    MessageEntry{"org.organization_not_found", "組織が見つかりません。",
                 "The organisation was not found."},
    MessageEntry{"org.kind.company", "事業者", "Company"},
    MessageEntry{"org.kind.expert_firm", "専門家の所属組織", "Expert firm"},
    MessageEntry{"org.kind.evaluation_body", "評価機関", "Evaluation body"},
    MessageEntry{"org.kind.operator", "制度運営者", "Scheme operator"},
    // Roles.
    MessageEntry{"org.role.org_admin", "組織管理者", "Organisation administrator"},
    MessageEntry{"org.role.member", "メンバー", "Member"},
    MessageEntry{"org.role.expert", "専門家", "Expert"},
    MessageEntry{"org.role.evaluator", "評価者", "Evaluator"},
    MessageEntry{"org.role.operator", "運営担当者", "Operator"},
    // Users.
    MessageEntry{"org.email_invalid", "メールアドレスの形式が正しくありません。",
                 "The email address is not valid."},
    MessageEntry{"org.display_name_invalid",
                 "表示名を入力してください（{0}バイト以内、制御文字は使えません）。",
                 "Please enter a display name (at most {0} bytes, no control characters)."},
    MessageEntry{"org.lang_invalid", "言語は ja か en を指定してください。",
                 "The language must be ja or en."},
    MessageEntry{"org.password_too_short", "パスワードは{0}文字以上にしてください。",
                 "The password must have at least {0} characters."},
    MessageEntry{"org.password_too_long", "パスワードは{0}バイト以内にしてください。",
                 "The password must not exceed {0} bytes."},
    MessageEntry{"org.password_hash_failed",
                 "パスワードを処理できませんでした。しばらくしてから再試行してください。",
                 "The password could not be processed. Please try again later."},
    MessageEntry{"org.user_exists", "このメールアドレスはすでに登録されています。",
                 "This email address is already registered."},
    MessageEntry{"org.user_not_found", "ユーザーが見つかりません。", "The user was not found."},
    // Login and sessions.
    MessageEntry{"org.login_failed", "メールアドレスまたはパスワードが正しくありません。",
                 "The email address or password is incorrect."},
    MessageEntry{"org.login_rate_limited",
                 "ログインの失敗が続いたため、一時的にログインできません。{0} 以降にもう一度お試し"
                 "ください。",
                 "Too many failed logins. Please try again after {0}."},
    MessageEntry{"org.account_disabled",
                 "このアカウントは無効になっています。組織の管理者に連絡してください。",
                 "This account is disabled. Please contact your organisation's administrator."},
    MessageEntry{"org.session_invalid", "ログインしてください。", "Please log in."},
    MessageEntry{"org.session_expired",
                 "ログインの有効期限が切れました。もう一度ログインしてください。",
                 "Your session has expired. Please log in again."},
    MessageEntry{"org.session_lifetime_invalid", "セッションの有効期間は正の値にしてください。",
                 "The session lifetime must be positive."},
    // API tokens.
    MessageEntry{"org.token_invalid", "APIトークンが無効です（不明、失効済み、または期限切れ）。",
                 "The API token is not valid (unknown, revoked or expired)."},
    MessageEntry{"org.token_name_invalid",
                 "APIトークンの名前を入力してください（{0}バイト以内、制御文字は使えません）。",
                 "Please name the API token (at most {0} bytes, no control characters)."},
    MessageEntry{"org.token_expiry_invalid",
                 "APIトークンの有効期限は、未来の日時を RFC 3339 形式"
                 "（例: 2027-03-31T23:59:59+09:00）で指定してください。",
                 "The API token's expiry must be a future time in RFC 3339 form (e.g. "
                 "2027-03-31T23:59:59+09:00)."},
    MessageEntry{"org.token_not_found", "APIトークンが見つかりません。",
                 "The API token was not found."},
    // Stored data.
    MessageEntry{"org.corrupt", "保存されているデータが壊れています（{0}）。",
                 "Stored data is damaged ({0})."},
    // Audit log.
    MessageEntry{"org.audit_field_invalid", "監査ログの項目「{0}」を指定してください。",
                 "The audit log field '{0}' is required."},
    MessageEntry{"org.audit_corrupt", "監査ログ（組織 {0}、連番 {1}）の内容を読み取れません。",
                 "Audit event {1} of organisation {0} cannot be read."},
    MessageEntry{"org.audit_modified",
                 "監査ログ（組織 {0}）の連番 {1} のイベントが記録後に変更されています。",
                 "Audit event {1} of organisation {0} was changed after it was recorded."},
    MessageEntry{"org.audit_link_broken",
                 "監査ログ（組織 {0}）の連番 {1} のイベントが、次のイベントに記録されたハッシュと"
                 "一致しません（このイベントが差し替えられた可能性があります）。",
                 "Audit event {1} of organisation {0} does not match the hash recorded by the "
                 "next event (it may have been replaced)."},
    MessageEntry{"org.audit_deleted",
                 "監査ログ（組織 {0}）の連番 {1}〜{2} のイベントが削除されています。",
                 "Audit events {1} to {2} of organisation {0} have been deleted."},
    MessageEntry{"org.audit_head_mismatch",
                 "監査ログ（組織 {0}）の最新イベントの記録（連番 {1}）と実際のイベントが一致"
                 "しません。",
                 "The recorded newest event (seq {1}) of organisation {0}'s audit log does not "
                 "match the stored events."},
    MessageEntry{"org.audit_head_missing", "監査ログ（組織 {0}）の最新イベントの記録がありません。",
                 "The record of the newest audit event of organisation {0} is missing."},
};

}  // namespace

std::span<const MessageEntry> OrgMessages() {
  return kOrgMessages;
}

}  // namespace hoshi::org
