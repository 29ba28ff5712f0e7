// SPDX-License-Identifier: Apache-2.0
#include "hoshi/stream/jetstream.h"

#include <nats/nats.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "stream_internal.h"

namespace hoshi::stream {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* kMsgIdHeader = "Nats-Msg-Id";
constexpr const char* kKindHeader = "Hoshi-Kind";
constexpr const char* kExpectedStreamHeader = "Nats-Expected-Stream";  // set by cnats
constexpr std::int64_t kNanosPerMilli = 1'000'000;
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
// Fetch: how long a look at one partition lasts when other partitions still have to be looked at
// (the server gives up 10 ms earlier, so what it sends arrives in time), and how long one wait on
// an idle partition lasts before moving on to the next.
constexpr std::chrono::milliseconds kProbe{20};
constexpr std::chrono::milliseconds kWaitSlice{100};
// Largest batch asked of the server in one pull request.
constexpr std::size_t kMaxBatch = 1024;
// Reconnection: every 500 ms, forever (a worker outlives a NATS restart).
constexpr std::int64_t kReconnectWaitMs = 500;

std::int64_t Millis(std::chrono::milliseconds d) {
  return static_cast<std::int64_t>(d.count());
}

// The library's own description of the last failure on this thread, with any credentials from
// `url` masked (library texts may quote the URL).
std::string LibraryDetail(natsStatus status, std::string_view url, std::string_view what) {
  std::string text = fmt::format("{}: {}", what, natsStatus_GetText(status));
  natsStatus last = NATS_OK;
  const char* last_text = nats_GetLastError(&last);
  if (last_text != nullptr && *last_text != '\0') {
    text += fmt::format(" ({})", last_text);
  }
  std::string_view rest = url;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view server = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t scheme = server.find("://");
    const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
    const std::size_t at = server.rfind('@');
    if (at == std::string_view::npos || at < start) {
      continue;
    }
    const std::string userinfo(server.substr(start, at - start));
    for (std::size_t pos = text.find(userinfo); !userinfo.empty() && pos != std::string::npos;
         pos = text.find(userinfo, pos)) {
      text.replace(pos, userinfo.size(), "***");
    }
  }
  return text;
}

std::string ErrDetail(natsStatus status, jsErrCode code, std::string_view url,
                      std::string_view what) {
  std::string text = LibraryDetail(status, url, what);
  if (code != 0) {
    text += fmt::format(" [JetStream error {}]", static_cast<int>(code));
  }
  return text;
}

bool IsNameChar(char c) {
  return c > ' ' && c < 0x7f && c != '.' && c != '*' && c != '>';
}

bool IsValidName(std::string_view name) {
  return !name.empty() && name.size() <= 200 && std::all_of(name.begin(), name.end(), IsNameChar);
}

bool IsValidSubjectPrefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > 200) {
    return false;
  }
  std::size_t token_start = 0;
  while (true) {
    const std::size_t dot = prefix.find('.', token_start);
    const std::string_view token = prefix.substr(token_start, dot - token_start);
    if (!IsValidName(token)) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    token_start = dot + 1;
  }
}

// RAII holders for what cnats allocates.
struct OptionsDeleter {
  void operator()(natsOptions* p) const { natsOptions_Destroy(p); }
};
struct MsgDeleter {
  void operator()(natsMsg* p) const { natsMsg_Destroy(p); }
};
struct PubAckDeleter {
  void operator()(jsPubAck* p) const { jsPubAck_Destroy(p); }
};
struct StreamInfoDeleter {
  void operator()(jsStreamInfo* p) const { jsStreamInfo_Destroy(p); }
};
struct ConsumerInfoDeleter {
  void operator()(jsConsumerInfo* p) const { jsConsumerInfo_Destroy(p); }
};
struct MetaDeleter {
  void operator()(jsMsgMetaData* p) const { jsMsgMetaData_Destroy(p); }
};
using MsgPtr = std::unique_ptr<natsMsg, MsgDeleter>;

// Takes ownership of the messages of a natsMsgList and frees the list's array.
class MsgList {
 public:
  MsgList() { std::memset(&list_, 0, sizeof(list_)); }
  ~MsgList() { natsMsgList_Destroy(&list_); }
  MsgList(const MsgList&) = delete;
  MsgList& operator=(const MsgList&) = delete;
  MsgList(MsgList&&) = delete;
  MsgList& operator=(MsgList&&) = delete;

  natsMsgList* get() { return &list_; }
  [[nodiscard]] int size() const { return list_.Count; }
  // Takes message `i` out of the list (the list will not free it).
  MsgPtr Take(int i) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-bounds-pointer-arithmetic): cnats' C array
    natsMsg*& slot = list_.Msgs[i];
    MsgPtr msg(slot);
    slot = nullptr;
    return msg;
  }

 private:
  natsMsgList list_{};
};

}  // namespace

std::string RedactUrl(std::string_view url) {
  std::string out;
  std::string_view rest = url;
  bool first = true;
  while (true) {
    const std::size_t comma = rest.find(',');
    std::string_view server = rest.substr(0, comma);
    const std::size_t scheme = server.find("://");
    const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
    // User information ends at the last '@' before the path.
    const std::size_t path = server.find('/', start);
    const std::string_view authority = server.substr(start, path - start);
    const std::size_t at = authority.rfind('@');
    if (!first) {
      out += ',';
    }
    first = false;
    if (at == std::string_view::npos) {
      out += server;
    } else {
      out += server.substr(0, start);
      out += server.substr(start + at + 1);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest = rest.substr(comma + 1);
  }
  return out;
}

struct JetStream::State {
  explicit State(const JetStreamOptions& opts) : options(opts), redacted_url(RedactUrl(opts.url)) {}
  ~State() {
    // The context first: it refers to the connection.
    if (js != nullptr) {
      jsCtx_Destroy(js);
    }
    if (nc != nullptr) {
      natsConnection_Destroy(nc);
    }
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  State(State&&) = delete;
  State& operator=(State&&) = delete;

  [[nodiscard]] jsOptions JsOptions() const {
    jsOptions o;
    jsOptions_Init(&o);
    o.Wait = Millis(options.request_timeout);
    return o;
  }
  [[nodiscard]] std::string Subject(std::uint32_t partition, std::string_view org) const {
    return fmt::format("{}.{}.{}", options.subject_prefix, partition, org);
  }
  [[nodiscard]] std::string Filter(std::uint32_t partition) const {
    return fmt::format("{}.{}.>", options.subject_prefix, partition);
  }
  [[nodiscard]] std::string Durable(std::uint32_t partition) const {
    return fmt::format("{}-p{}", options.durable_prefix, partition);
  }
  [[nodiscard]] std::string Detail(natsStatus status, jsErrCode code, std::string_view what) const {
    return ErrDetail(status, code, options.url, what);
  }

  // Creates the durable consumer of `partition`, or updates it to the options.
  [[nodiscard]] Status EnsureConsumer(std::uint32_t partition) const;

  const JetStreamOptions options;
  const std::string redacted_url;
  // Set once in Connect, then only read: cnats connections and contexts are thread-safe.
  natsConnection* nc = nullptr;
  jsCtx* js = nullptr;
};

namespace {

using JsState = JetStream::State;

Error Unavailable(const JsState& state, std::string_view key, std::string detail) {
  return MakeError(ErrorCode::kUnavailable, StreamMessages(), key, state.redacted_url)
      .WithDetail(std::move(detail));
}

// Errors of calls that only reach the server (fetch, ack, info): all "unavailable".
Error ServerError(const JsState& state, natsStatus status, jsErrCode code, std::string_view what) {
  return Unavailable(state, "stream.server_failed", state.Detail(status, code, what));
}

Status EnsureStream(const JsState& state) {
  const JetStreamOptions& o = state.options;
  const std::string all_subjects = o.subject_prefix + ".>";
  const char* subjects[] = {all_subjects.c_str()};
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = o.stream.c_str();
  cfg.Subjects = static_cast<const char**>(subjects);
  cfg.SubjectsLen = 1;
  cfg.Storage = js_FileStorage;
  cfg.Retention = js_WorkQueuePolicy;
  cfg.Duplicates = static_cast<std::int64_t>(o.duplicate_window.count()) * kNanosPerSecond;
  jsOptions jo = state.JsOptions();
  jsErrCode code = static_cast<jsErrCode>(0);
  jsStreamInfo* raw = nullptr;
  natsStatus s = js_AddStream(&raw, state.js, &cfg, &jo, &code);
  std::unique_ptr<jsStreamInfo, StreamInfoDeleter> info(raw);
  if (s != NATS_OK && code == JSStreamNameExistErr) {
    // The stream exists with another configuration (e.g. another duplicate window): update it.
    raw = nullptr;
    code = static_cast<jsErrCode>(0);
    s = js_UpdateStream(&raw, state.js, &cfg, &jo, &code);
    info.reset(raw);
  }
  if (s == NATS_OK) {
    return Status::Ok();
  }
  const std::string detail = state.Detail(s, code, "stream setup");
  if (s == NATS_NO_RESPONDERS || code == JSNotEnabledErr || code == JSNotEnabledForAccountErr) {
    return MakeError(ErrorCode::kFailedPrecondition, StreamMessages(), "stream.jetstream_disabled",
                     state.redacted_url)
        .WithDetail(detail);
  }
  if (s == NATS_TIMEOUT || s == NATS_CONNECTION_CLOSED || s == NATS_CONNECTION_DISCONNECTED) {
    return Unavailable(state, "stream.server_failed", detail);
  }
  return MakeError(ErrorCode::kFailedPrecondition, StreamMessages(), "stream.stream_setup_failed",
                   o.stream)
      .WithDetail(detail);
}

}  // namespace

Status JetStream::State::EnsureConsumer(std::uint32_t partition) const {
  const std::string durable = Durable(partition);
  const std::string filter = Filter(partition);
  jsConsumerConfig cc;
  jsConsumerConfig_Init(&cc);
  cc.Durable = durable.c_str();
  cc.AckPolicy = js_AckExplicit;
  cc.DeliverPolicy = js_DeliverAll;
  cc.AckWait = Millis(options.ack_wait) * kNanosPerMilli;
  cc.MaxDeliver = options.max_deliver;
  cc.FilterSubject = filter.c_str();
  jsOptions jo = JsOptions();
  jsErrCode code = static_cast<jsErrCode>(0);
  jsConsumerInfo* raw = nullptr;
  natsStatus s = js_AddConsumer(&raw, js, options.stream.c_str(), &cc, &jo, &code);
  std::unique_ptr<jsConsumerInfo, ConsumerInfoDeleter> info(raw);
  if (s != NATS_OK && code == JSConsumerNameExistErr) {
    raw = nullptr;
    code = static_cast<jsErrCode>(0);
    s = js_UpdateConsumer(&raw, js, options.stream.c_str(), &cc, &jo, &code);
    info.reset(raw);
  }
  if (s == NATS_OK) {
    return Status::Ok();
  }
  const std::string detail = Detail(s, code, "consumer " + durable);
  if (s == NATS_TIMEOUT || s == NATS_CONNECTION_CLOSED || s == NATS_CONNECTION_DISCONNECTED ||
      s == NATS_NO_RESPONDERS) {
    return Unavailable(*this, "stream.server_failed", detail);
  }
  return MakeError(ErrorCode::kFailedPrecondition, StreamMessages(), "stream.consumer_setup_failed",
                   durable)
      .WithDetail(detail);
}

namespace {

// One bound pull subscription. Shared by the consumer and by every delivery it produced: a
// received natsMsg points at its subscription, so the subscription must outlive the message.
class Subscription {
 public:
  Subscription(std::shared_ptr<JsState> state, natsSubscription* sub, std::uint32_t partition)
      : state_(std::move(state)), sub_(sub), partition_(partition) {}
  ~Subscription() {
    // Unsubscribe first (the documented order): the connection's reader thread stops routing
    // messages to it before it is freed. Neither deletes the durable consumer (it was bound, not
    // created, by this subscription).
    natsSubscription_Unsubscribe(sub_);
    natsSubscription_Destroy(sub_);
  }
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  Subscription(Subscription&&) = delete;
  Subscription& operator=(Subscription&&) = delete;

  [[nodiscard]] natsSubscription* get() const { return sub_; }
  [[nodiscard]] std::uint32_t partition() const { return partition_; }
  [[nodiscard]] const JsState& state() const { return *state_; }

 private:
  std::shared_ptr<JsState> state_;
  natsSubscription* sub_;
  std::uint32_t partition_;
};

class JsHandle final : public DeliveryHandle {
 public:
  JsHandle(std::shared_ptr<Subscription> subscription, MsgPtr msg)
      : subscription_(std::move(subscription)), msg_(std::move(msg)) {}

  [[nodiscard]] natsMsg* msg() const { return msg_.get(); }
  [[nodiscard]] const JsState& state() const { return subscription_->state(); }

 private:
  // Declared first, destroyed last: the message refers to the subscription.
  std::shared_ptr<Subscription> subscription_;
  MsgPtr msg_;
};

class JsConsumer final : public Consumer {
 public:
  JsConsumer(std::shared_ptr<JsState> state, std::vector<std::shared_ptr<Subscription>> subs)
      : state_(std::move(state)), subs_(std::move(subs)) {}

  Result<std::vector<Delivery>> Fetch(std::size_t max, std::chrono::milliseconds wait) override {
    if (max == 0) {
      return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.invalid_fetch_max");
    }
    const auto until = SteadyClock::now() + std::max(wait, std::chrono::milliseconds(0));
    const std::size_t count = subs_.size();
    const std::size_t start = cursor_;
    cursor_ = (cursor_ + 1) % count;
    std::vector<Delivery> out;

    // 1. What is ready: a fair share from each partition, starting one partition further on each
    //    call; then top up from the partitions that had more.
    const std::size_t share = std::max<std::size_t>(1, (max + count - 1) / count);
    std::vector<std::size_t> full;
    for (std::size_t k = 0; k < count && out.size() < max; ++k) {
      const std::size_t index = (start + k) % count;
      const std::size_t want = std::min(share, max - out.size());
      HOSHI_ASSIGN_OR_RETURN(const std::size_t got, Pull(subs_[index], want, kProbe, out));
      if (got == want) {
        full.push_back(index);
      }
    }
    for (const std::size_t index : full) {
      if (out.size() >= max) {
        break;
      }
      HOSHI_RETURN_IF_ERROR(Pull(subs_[index], max - out.size(), kProbe, out).status());
    }
    // 2. Nothing ready: wait on one partition at a time, in short slices, until `wait` is over.
    for (std::size_t k = 0; out.empty(); ++k) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now());
      if (left.count() <= 0) {
        break;
      }
      const auto slice = count == 1 ? left : std::min(left, kWaitSlice);
      HOSHI_RETURN_IF_ERROR(Pull(subs_[(start + k) % count], max, slice, out).status());
    }
    return out;
  }

  Status Ack(Delivery& delivery) override {
    HOSHI_ASSIGN_OR_RETURN(const JsHandle* handle, HandleOf(delivery));
    jsOptions jo = handle->state().JsOptions();
    jsErrCode code = static_cast<jsErrCode>(0);
    const natsStatus s = natsMsg_AckSync(handle->msg(), &jo, &code);
    if (s != NATS_OK) {
      return ServerError(handle->state(), s, code, "ack");
    }
    delivery.handle.reset();
    return Status::Ok();
  }

  Status Nak(Delivery& delivery) override {
    HOSHI_ASSIGN_OR_RETURN(const JsHandle* handle, HandleOf(delivery));
    jsOptions jo = handle->state().JsOptions();
    const natsStatus s = natsMsg_Nak(handle->msg(), &jo);
    if (s != NATS_OK) {
      return ServerError(handle->state(), s, static_cast<jsErrCode>(0), "nak");
    }
    delivery.handle.reset();
    return Status::Ok();
  }

  Status InProgress(Delivery& delivery) override {
    HOSHI_ASSIGN_OR_RETURN(const JsHandle* handle, HandleOf(delivery));
    jsOptions jo = handle->state().JsOptions();
    const natsStatus s = natsMsg_InProgress(handle->msg(), &jo);
    if (s != NATS_OK) {
      return ServerError(handle->state(), s, static_cast<jsErrCode>(0), "in progress");
    }
    return Status::Ok();
  }

 private:
  static Result<const JsHandle*> HandleOf(const Delivery& delivery) {
    if (delivery.handle == nullptr) {
      return MakeError(ErrorCode::kFailedPrecondition, StreamMessages(), "stream.already_settled");
    }
    const auto* handle = dynamic_cast<const JsHandle*>(delivery.handle.get());
    if (handle == nullptr) {
      return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.foreign_delivery");
    }
    return handle;
  }

  // Pulls up to `want` messages from one partition, waiting up to `timeout`, appending them to
  // `out`. Returns how many were appended. No messages in time is not an error.
  Result<std::size_t> Pull(const std::shared_ptr<Subscription>& sub, std::size_t want,
                           std::chrono::milliseconds timeout, std::vector<Delivery>& out) {
    MsgList list;
    jsErrCode code = static_cast<jsErrCode>(0);
    const int batch = static_cast<int>(std::min(want, kMaxBatch));
    const natsStatus s = natsSubscription_Fetch(list.get(), sub->get(), batch,
                                                std::max<std::int64_t>(1, Millis(timeout)), &code);
    if (s == NATS_TIMEOUT || s == NATS_NOT_FOUND) {
      return std::size_t{0};
    }
    if (s != NATS_OK) {
      return ServerError(*state_, s, code, "fetch");
    }
    std::size_t appended = 0;
    for (int i = 0; i < list.size(); ++i) {
      MsgPtr msg = list.Take(i);
      if (msg == nullptr) {
        continue;
      }
      if (auto delivery = ToDelivery(sub, std::move(msg)); delivery.has_value()) {
        out.push_back(std::move(*delivery));
        ++appended;
      }
    }
    return appended;
  }

  // Builds a Delivery; a message that this module did not publish (its subject does not parse) is
  // terminated (never redelivered) and skipped.
  std::optional<Delivery> ToDelivery(const std::shared_ptr<Subscription>& sub, MsgPtr msg) {
    Delivery delivery;
    delivery.partition = sub->partition();
    const std::string_view subject = natsMsg_GetSubject(msg.get());
    const std::string expected_prefix =
        fmt::format("{}.{}.", state_->options.subject_prefix, sub->partition());
    if (!subject.starts_with(expected_prefix) ||
        !IsValidOrganizationId(subject.substr(expected_prefix.size()))) {
      jsOptions jo = state_->JsOptions();
      natsMsg_Term(msg.get(), &jo);  // best effort; it is redelivered otherwise
      return std::nullopt;
    }
    delivery.message.organization_id = std::string(subject.substr(expected_prefix.size()));
    jsMsgMetaData* raw_meta = nullptr;
    if (natsMsg_GetMetaData(&raw_meta, msg.get()) == NATS_OK) {
      const std::unique_ptr<jsMsgMetaData, MetaDeleter> meta(raw_meta);
      delivery.delivery_count = meta->NumDelivered;
      delivery.stream_sequence = meta->Sequence.Stream;
    }
    const char* value = nullptr;
    if (natsMsgHeader_Get(msg.get(), kMsgIdHeader, &value) == NATS_OK && value != nullptr) {
      delivery.message.id = value;
    } else {
      delivery.message.id = fmt::format("nats-seq-{}", delivery.stream_sequence);
    }
    value = nullptr;
    if (natsMsgHeader_Get(msg.get(), kKindHeader, &value) == NATS_OK && value != nullptr) {
      delivery.message.kind = value;
    }
    const int length = natsMsg_GetDataLength(msg.get());
    if (length > 0) {
      delivery.message.payload.assign(natsMsg_GetData(msg.get()), static_cast<std::size_t>(length));
    }
    delivery.handle = std::make_unique<JsHandle>(sub, std::move(msg));
    return delivery;
  }

  std::shared_ptr<JsState> state_;
  std::vector<std::shared_ptr<Subscription>> subs_;
  std::size_t cursor_ = 0;  // only touched by Fetch, which is not called concurrently
};

}  // namespace

Result<std::unique_ptr<JetStream>> JetStream::Connect(const JetStreamOptions& options) {
  const auto invalid = [](std::string_view name) {
    return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.invalid_option", name);
  };
  if (options.url.empty()) {
    return invalid("url");
  }
  if (!IsValidName(options.stream)) {
    return invalid("stream");
  }
  if (!IsValidSubjectPrefix(options.subject_prefix)) {
    return invalid("subject_prefix");
  }
  if (options.partitions == 0 || options.partitions > detail::kMaxPartitions) {
    return invalid("partitions");
  }
  if (!IsValidName(options.durable_prefix)) {
    return invalid("durable_prefix");
  }
  if (options.ack_wait.count() <= 0) {
    return invalid("ack_wait");
  }
  if (options.max_deliver == 0 || options.max_deliver < -1) {
    return invalid("max_deliver");
  }
  if (options.connect_timeout.count() <= 0) {
    return invalid("connect_timeout");
  }
  if (options.duplicate_window.count() <= 0) {
    return invalid("duplicate_window");
  }
  if (options.request_timeout.count() <= 0) {
    return invalid("request_timeout");
  }

  auto state = std::make_shared<State>(options);
  natsOptions* raw_opts = nullptr;
  if (natsOptions_Create(&raw_opts) != NATS_OK) {
    return MakeError(ErrorCode::kInternal, StreamMessages(), "stream.client_failed");
  }
  const std::unique_ptr<natsOptions, OptionsDeleter> opts(raw_opts);
  natsStatus s = natsOptions_SetURL(opts.get(), options.url.c_str());
  if (s != NATS_OK) {
    return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.invalid_url",
                     state->redacted_url)
        .WithDetail(state->Detail(s, static_cast<jsErrCode>(0), "url"));
  }
  s = natsOptions_SetTimeout(opts.get(), Millis(options.connect_timeout));
  if (s == NATS_OK) {
    s = natsOptions_SetName(opts.get(), "hoshitori");
  }
  if (s == NATS_OK) {
    s = natsOptions_SetAllowReconnect(opts.get(), true);
  }
  if (s == NATS_OK) {
    s = natsOptions_SetMaxReconnect(opts.get(), -1);
  }
  if (s == NATS_OK) {
    s = natsOptions_SetReconnectWait(opts.get(), kReconnectWaitMs);
  }
  if (s != NATS_OK) {
    return MakeError(ErrorCode::kInternal, StreamMessages(), "stream.client_failed")
        .WithDetail(state->Detail(s, static_cast<jsErrCode>(0), "options"));
  }
  s = natsConnection_Connect(&state->nc, opts.get());
  if (s != NATS_OK) {
    const std::string detail = state->Detail(s, static_cast<jsErrCode>(0), "connect");
    if (s == NATS_CONNECTION_AUTH_FAILED || s == NATS_NOT_PERMITTED) {
      return MakeError(ErrorCode::kFailedPrecondition, StreamMessages(), "stream.nats_auth",
                       state->redacted_url)
          .WithDetail(detail);
    }
    if (s == NATS_ADDRESS_MISSING || s == NATS_INVALID_ARG) {
      return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.invalid_url",
                       state->redacted_url)
          .WithDetail(detail);
    }
    return Unavailable(*state, "stream.nats_unavailable", detail);
  }
  jsOptions jo = state->JsOptions();
  s = natsConnection_JetStream(&state->js, state->nc, &jo);
  if (s != NATS_OK) {
    return MakeError(ErrorCode::kInternal, StreamMessages(), "stream.client_failed")
        .WithDetail(state->Detail(s, static_cast<jsErrCode>(0), "jetstream context"));
  }
  HOSHI_RETURN_IF_ERROR(EnsureStream(*state));
  return std::unique_ptr<JetStream>(new JetStream(std::move(state)));
}

JetStream::JetStream(std::shared_ptr<State> state) : state_(std::move(state)) {}

JetStream::~JetStream() = default;

Status JetStream::Publish(const Message& message) {
  HOSHI_RETURN_IF_ERROR(ValidateMessage(message));
  const State& st = *state_;
  // What the server counts against max_payload: the header block ("NATS/1.0", one "Key: value"
  // line per header, a blank line) and the payload.
  const auto line = [](std::string_view key, std::string_view value) {
    return key.size() + 2 + value.size() + 2;
  };
  const std::size_t header_bytes = std::strlen("NATS/1.0\r\n") + line(kMsgIdHeader, message.id) +
                                   line(kExpectedStreamHeader, st.options.stream) +
                                   line(kKindHeader, message.kind) + 2;
  const std::size_t size = header_bytes + message.payload.size();
  const std::int64_t limit = natsConnection_GetMaxPayload(st.nc);
  if ((limit > 0 && size > static_cast<std::uint64_t>(limit)) ||
      message.payload.size() > static_cast<std::size_t>(INT_MAX)) {
    return MakeError(ErrorCode::kTooLarge, StreamMessages(), "stream.message_too_large",
                     FormatNumber(static_cast<long long>(size)), FormatNumber(limit));
  }
  const std::string subject = st.Subject(
      PartitionOf(message.organization_id, st.options.partitions), message.organization_id);
  natsMsg* raw = nullptr;
  natsStatus s = natsMsg_Create(&raw, subject.c_str(), nullptr, message.payload.data(),
                                static_cast<int>(message.payload.size()));
  const MsgPtr msg(raw);
  if (s == NATS_OK) {
    s = natsMsgHeader_Set(msg.get(), kKindHeader, message.kind.c_str());
  }
  if (s != NATS_OK) {
    return MakeError(ErrorCode::kInternal, StreamMessages(), "stream.client_failed")
        .WithDetail(st.Detail(s, static_cast<jsErrCode>(0), "message"));
  }
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MsgId = message.id.c_str();
  po.ExpectStream = st.options.stream.c_str();
  po.MaxWait = Millis(st.options.request_timeout);
  jsPubAck* raw_ack = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  s = js_PublishMsg(&raw_ack, st.js, msg.get(), &po, &code);
  const std::unique_ptr<jsPubAck, PubAckDeleter> ack(raw_ack);
  if (s == NATS_OK) {
    return Status::Ok();  // stored, or a duplicate within the window (ack->Duplicate)
  }
  const std::string detail = st.Detail(s, code, "publish");
  if (s == NATS_MAX_PAYLOAD || code == JSStreamMessageExceedsMaximumErr) {
    return MakeError(ErrorCode::kTooLarge, StreamMessages(), "stream.message_too_large",
                     FormatNumber(static_cast<long long>(size)), FormatNumber(limit))
        .WithDetail(detail);
  }
  if (code == JSStreamStoreFailedErr || code == JSStorageResourcesExceededErr ||
      code == JSStreamLimitsErr || code == JSAccountResourcesExceededErr ||
      code == JSMemoryResourcesExceededErr || code == JSInsufficientResourcesErr) {
    return Unavailable(st, "stream.stream_full", detail);
  }
  return Unavailable(st, "stream.publish_failed", detail);
}

std::uint32_t JetStream::partitions() const {
  return state_->options.partitions;
}

Result<std::unique_ptr<Consumer>> JetStream::OpenConsumer(std::vector<std::uint32_t> partitions) {
  HOSHI_ASSIGN_OR_RETURN(
      std::vector<std::uint32_t> chosen,
      detail::NormalizePartitions(std::move(partitions), state_->options.partitions));
  std::vector<std::shared_ptr<Subscription>> subs;
  subs.reserve(chosen.size());
  for (const std::uint32_t partition : chosen) {
    HOSHI_RETURN_IF_ERROR(state_->EnsureConsumer(partition));
    const std::string durable = state_->Durable(partition);
    const std::string filter = state_->Filter(partition);
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = state_->options.stream.c_str();
    so.Consumer = durable.c_str();  // bind to the consumer made above; never create or delete it
    jsOptions jo = state_->JsOptions();
    jsErrCode code = static_cast<jsErrCode>(0);
    natsSubscription* raw = nullptr;
    const natsStatus s =
        js_PullSubscribe(&raw, state_->js, filter.c_str(), durable.c_str(), &jo, &so, &code);
    if (s != NATS_OK) {
      natsSubscription_Destroy(raw);
      const std::string detail = state_->Detail(s, code, "subscribe " + durable);
      if (s == NATS_TIMEOUT || s == NATS_CONNECTION_CLOSED || s == NATS_CONNECTION_DISCONNECTED ||
          s == NATS_NO_RESPONDERS) {
        return Unavailable(*state_, "stream.server_failed", detail);
      }
      return MakeError(ErrorCode::kFailedPrecondition, StreamMessages(),
                       "stream.consumer_setup_failed", durable)
          .WithDetail(detail);
    }
    subs.push_back(std::make_shared<Subscription>(state_, raw, partition));
  }
  return std::unique_ptr<Consumer>(std::make_unique<JsConsumer>(state_, std::move(subs)));
}

Result<PartitionBacklog> JetStream::Backlog(std::uint32_t partition) {
  if (partition >= state_->options.partitions) {
    return detail::InvalidPartition(partition, state_->options.partitions);
  }
  const std::string durable = state_->Durable(partition);
  jsOptions jo = state_->JsOptions();
  for (int attempt = 0; attempt < 2; ++attempt) {
    jsConsumerInfo* raw = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    const natsStatus s = js_GetConsumerInfo(&raw, state_->js, state_->options.stream.c_str(),
                                            durable.c_str(), &jo, &code);
    const std::unique_ptr<jsConsumerInfo, ConsumerInfoDeleter> info(raw);
    if (s == NATS_OK) {
      return PartitionBacklog{
          partition, info->NumPending,
          static_cast<std::uint64_t>(std::max<std::int64_t>(0, info->NumAckPending))};
    }
    if (attempt == 0 && (s == NATS_NOT_FOUND || code == JSConsumerNotFoundErr)) {
      HOSHI_RETURN_IF_ERROR(state_->EnsureConsumer(partition));
      continue;
    }
    return ServerError(*state_, s, code, "consumer info " + durable);
  }
  return ServerError(*state_, NATS_NOT_FOUND, JSConsumerNotFoundErr, "consumer info " + durable);
}

std::int64_t JetStream::max_payload() const {
  return natsConnection_GetMaxPayload(state_->nc);
}

const JetStreamOptions& JetStream::options() const {
  return state_->options;
}

}  // namespace hoshi::stream
