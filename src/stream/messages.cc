// SPDX-License-Identifier: Apache-2.0
#include <array>

#include "hoshi/stream/stream.h"

namespace hoshi::stream {
namespace {

// {0}, {1}: see the MakeError call sites. URLs are always passed through RedactUrl first.
constexpr std::array kStreamMessages{
    // Messages and deliveries.
    MessageEntry{"stream.invalid_organization_id",
                 "組織 ID は 1〜{0} 文字の英数字・「_」・「-」で指定してください。",
                 "The organization ID must be 1 to {0} characters of letters, digits, '_' and "
                 "'-'."},
    MessageEntry{"stream.invalid_message_id",
                 "メッセージ ID は空白を含まない 1〜{0} 文字の ASCII 文字で指定してください。",
                 "The message ID must be 1 to {0} printable ASCII characters without spaces."},
    MessageEntry{"stream.invalid_kind",
                 "メッセージ種別は 1〜{0} 文字の英数字・「.」・「_」・「-」で指定してください。",
                 "The message kind must be 1 to {0} characters of letters, digits, '.', '_' and "
                 "'-'."},
    MessageEntry{"stream.invalid_partition",
                 "パーティション {0} は存在しません（0〜{1} を指定してください）。",
                 "Partition {0} does not exist (use 0 to {1})."},
    MessageEntry{"stream.invalid_option", "イベントストリームの設定「{0}」の値が正しくありません。",
                 "The event stream setting '{0}' has an invalid value."},
    MessageEntry{"stream.invalid_fetch_max", "一度に受け取る件数は 1 以上を指定してください。",
                 "The number of messages to fetch must be at least 1."},
    MessageEntry{
        "stream.message_too_large",
        "メッセージが大きすぎます（{0} バイト、上限 {1} バイト）。分割して送信してください。",
        "The message is too large ({0} bytes; the limit is {1} bytes). Please split it."},
    MessageEntry{"stream.already_settled", "この配信はすでに確認応答（ack / nak）済みです。",
                 "This delivery has already been acknowledged (ack / nak)."},
    MessageEntry{"stream.foreign_delivery",
                 "この配信は別のイベントストリームから受け取ったものです。",
                 "This delivery was received from a different event stream."},
    // The in-process queue.
    MessageEntry{
        "stream.queue_full",
        "処理待ちのイベントが上限（{0} 件または {1} バイト）に達しました。しばらくしてから再試行"
        "してください。",
        "The event queue is full (limit: {0} messages or {1} bytes). Please try again "
        "later."},
    MessageEntry{"stream.closed", "イベントストリームは停止しています。",
                 "The event stream has been shut down."},
    // NATS JetStream.
    MessageEntry{
        "stream.nats_unavailable",
        "NATS サーバー（{0}）に接続できません。サーバーが起動しているか、URL が正しいかを確認"
        "してください。",
        "Cannot connect to the NATS server ({0}). Check that it is running and that the "
        "URL is correct."},
    MessageEntry{"stream.nats_auth",
                 "NATS サーバー（{0}）での認証に失敗しました。認証情報を確認してください。",
                 "Authentication with the NATS server ({0}) failed. Check the credentials."},
    MessageEntry{"stream.invalid_url", "NATS サーバーの URL（{0}）が正しくありません。",
                 "The NATS server URL ({0}) is invalid."},
    MessageEntry{
        "stream.jetstream_disabled",
        "NATS サーバー（{0}）で JetStream が有効になっていません（nats-server -js で起動して"
        "ください）。",
        "JetStream is not enabled on the NATS server ({0}); start it with nats-server -js."},
    MessageEntry{"stream.stream_setup_failed",
                 "JetStream のストリーム「{0}」を作成または更新できませんでした。",
                 "Could not create or update the JetStream stream '{0}'."},
    MessageEntry{"stream.consumer_setup_failed",
                 "JetStream のコンシューマー「{0}」を作成または利用できませんでした。",
                 "Could not create or use the JetStream consumer '{0}'."},
    MessageEntry{"stream.server_failed",
                 "NATS サーバー（{0}）が応答しません。しばらくしてから再試行してください。",
                 "The NATS server ({0}) did not respond. Please try again later."},
    MessageEntry{
        "stream.publish_failed",
        "イベントを NATS サーバー（{0}）に保存できませんでした。しばらくしてから再試行してく"
        "ださい。",
        "The event could not be stored on the NATS server ({0}). Please try again later."},
    MessageEntry{
        "stream.stream_full",
        "NATS サーバー（{0}）の保存領域が不足しているため、イベントを保存できませんでした。",
        "The NATS server ({0}) has no room left to store the event."},
    MessageEntry{"stream.client_failed", "NATS クライアントライブラリでエラーが発生しました。",
                 "The NATS client library reported an error."},
};

}  // namespace

std::span<const MessageEntry> StreamMessages() {
  return kStreamMessages;
}

}  // namespace hoshi::stream
