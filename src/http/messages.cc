// SPDX-License-Identifier: Apache-2.0
#include <array>

#include "hoshi/http/server.h"

namespace hoshi::http {
namespace {

constexpr std::array kHttpMessages{
    // Server: errors sent to clients.
    MessageEntry{"http.malformed", "リクエストの形式が正しくありません。",
                 "The request is malformed."},
    MessageEntry{"http.bad_target", "リクエストのパスまたはクエリ文字列が正しくありません。",
                 "The request path or query string is invalid."},
    MessageEntry{"http.header_too_large", "リクエストヘッダーが大きすぎます（上限 {0} バイト）。",
                 "The request headers are too large (limit {0} bytes)."},
    MessageEntry{"http.body_too_large", "リクエスト本文が大きすぎます（上限 {0} バイト）。",
                 "The request body is too large (limit {0} bytes)."},
    MessageEntry{"http.request_timeout", "リクエストの受信が制限時間内に完了しませんでした。",
                 "The request was not received within the time limit."},
    MessageEntry{"http.internal", "内部エラーが発生しました。", "An internal error occurred."},
    MessageEntry{"http.upload_failed", "アップロードされたデータを保存できません。",
                 "Cannot store the uploaded data."},
    MessageEntry{"http.overloaded",
                 "サーバーが混み合っています。しばらくしてから再試行してください。",
                 "The server is busy. Please try again later."},
    // Server: start-up.
    MessageEntry{"http.listen_failed", "{0} のポート {1} で接続の待ち受けを開始できません。",
                 "Cannot listen for connections on {0} port {1}."},
    MessageEntry{"http.bad_threads", "スレッド数は 1 以上を指定してください。",
                 "The number of threads must be at least 1."},
    MessageEntry{"http.bad_upload_dir",
                 "アップロード用ディレクトリ「{0}」が存在しないか、ディレクトリではありません。",
                 "The upload directory '{0}' does not exist or is not a directory."},
    MessageEntry{"http.no_handler", "リクエストを処理するハンドラーが指定されていません。",
                 "No request handler was given."},
    // Client.
    MessageEntry{"http.client_connect", "{0} のポート {1} に接続できません。",
                 "Cannot connect to {0} port {1}."},
    MessageEntry{"http.client_io", "{0} のポート {1} との通信に失敗しました。",
                 "Communication with {0} port {1} failed."},
    MessageEntry{"http.client_timeout", "{0} のポート {1} から制限時間内に応答がありませんでした。",
                 "{0} port {1} did not respond within the time limit."},
    MessageEntry{"http.client_bad_response",
                 "{0} のポート {1} からの応答の形式が正しくありません。",
                 "The response from {0} port {1} is malformed."},
    MessageEntry{"http.client_too_large", "応答が大きすぎます（上限 {0} バイト）。",
                 "The response is too large (limit {0} bytes)."},
    MessageEntry{"http.client_file", "ファイル「{0}」を読み込めません。",
                 "Cannot read file '{0}'."},
};

}  // namespace

std::span<const MessageEntry> HttpMessages() {
  return kHttpMessages;
}

}  // namespace hoshi::http
