// SPDX-License-Identifier: Apache-2.0
// Suricata EVE JSON, one object per line. event_type alert, flow, dns, tls and http become
// events; other types (stats, fileinfo, anomaly, netflow, …) are counted as skipped.
//
// The application-layer objects are read whatever the event type, so an alert on an HTTP, TLS or
// DNS flow carries the host name too. For flows the event starts at flow.start and lasts until
// flow.end; bytes_toserver/bytes_toclient count whole packets. DNS: "dns.rrname" (EVE v1/v2)
// or the first of "dns.queries" (v3) / "dns.query" (in alerts); query and answer records both
// become events.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "log_internal.h"

namespace hoshi::defense::detail {
namespace {

enum class EveSlot : std::size_t {
  kTimestamp,
  kFlowId,
  kEventType,
  kSrcIp,
  kSrcPort,
  kDestIp,
  kDestPort,
  kProto,
  kSignature,
  kSeverity,
  kAction,
  kBytesToServer,
  kBytesToClient,
  kPktsToServer,
  kPktsToClient,
  kFlowStart,
  kFlowEnd,
  kDnsRrname,
  kDnsQueryRrname,
  kTlsSni,
  kHttpHostname,
  kHttpUrl,
  kHttpUserAgent,
  kCount,
};

constexpr JsonField Field(std::string_view key, EveSlot slot) {
  return JsonField{key, static_cast<std::size_t>(slot)};
}

constexpr std::array kEveFields{
    Field("timestamp", EveSlot::kTimestamp),
    Field("flow_id", EveSlot::kFlowId),
    Field("event_type", EveSlot::kEventType),
    Field("src_ip", EveSlot::kSrcIp),
    Field("src_port", EveSlot::kSrcPort),
    Field("dest_ip", EveSlot::kDestIp),
    Field("dest_port", EveSlot::kDestPort),
    Field("proto", EveSlot::kProto),
    Field("alert.signature", EveSlot::kSignature),
    Field("alert.severity", EveSlot::kSeverity),
    Field("alert.action", EveSlot::kAction),
    Field("flow.bytes_toserver", EveSlot::kBytesToServer),
    Field("flow.bytes_toclient", EveSlot::kBytesToClient),
    Field("flow.pkts_toserver", EveSlot::kPktsToServer),
    Field("flow.pkts_toclient", EveSlot::kPktsToClient),
    Field("flow.start", EveSlot::kFlowStart),
    Field("flow.end", EveSlot::kFlowEnd),
    Field("dns.rrname", EveSlot::kDnsRrname),
    Field("dns.queries.rrname", EveSlot::kDnsQueryRrname),
    Field("dns.query.rrname", EveSlot::kDnsQueryRrname),
    Field("tls.sni", EveSlot::kTlsSni),
    Field("http.hostname", EveSlot::kHttpHostname),
    Field("http.url", EveSlot::kHttpUrl),
    Field("http.http_user_agent", EveSlot::kHttpUserAgent),
};

struct EveType {
  std::string_view name;
  EventKind kind;
};

constexpr std::array kEveTypes{
    EveType{"alert", EventKind::kAlert}, EveType{"flow", EventKind::kFlow},
    EveType{"dns", EventKind::kDns},     EveType{"tls", EventKind::kTls},
    EveType{"http", EventKind::kHttp},
};

const EveType* FindType(std::string_view name) {
  const auto it = std::find_if(kEveTypes.begin(), kEveTypes.end(),
                               [&](const EveType& t) { return t.name == name; });
  return it == kEveTypes.end() ? nullptr : &*it;
}

using EveValues =
    std::array<std::optional<std::string_view>, static_cast<std::size_t>(EveSlot::kCount)>;

class SuricataParser final : public LineParser {
 public:
  SuricataParser()
      : reader_(kEveFields,
                JsonStop{static_cast<std::size_t>(EveSlot::kEventType),
                         [](std::string_view type) { return FindType(type) != nullptr; }}) {}

  void Parse(std::string_view line, RecordContext& context) override {
    if (!reader_.Read(line, values_, context)) {
      return;
    }
    const auto type = Get(EveSlot::kEventType);
    if (!type) {
      context.Malformed("no_event_type");
      return;
    }
    Event event;
    event.kind = FindType(*type)->kind;
    context.EmitOrMalformed(Build(event), event);
  }

 private:
  [[nodiscard]] std::optional<std::string_view> Get(EveSlot slot) const {
    return values_[static_cast<std::size_t>(slot)];
  }

  // Fills `event` from the values; returns the malformed reason, or "" when the event is good.
  std::string_view Build(Event& event) const {
    // A flow starts at flow.start; other records at their timestamp.
    const auto start = Get(EveSlot::kFlowStart);
    const FlowTexts flow{start ? start : Get(EveSlot::kTimestamp),
                         Get(EveSlot::kSrcIp),
                         Get(EveSlot::kDestIp),
                         Get(EveSlot::kSrcPort),
                         Get(EveSlot::kDestPort),
                         Get(EveSlot::kProto)};
    if (const std::string_view reason = ReadFlowTexts(flow, event); !reason.empty()) {
      return reason;
    }
    if (const auto end = Get(EveSlot::kFlowEnd); end && start) {
      const auto end_us = ParseTimeMicros(*end);
      if (!end_us) {
        return "bad_ts";
      }
      event.duration_s =
          *end_us > event.ts_us ? static_cast<double>(*end_us - event.ts_us) / 1e6 : 0.0;
    }
    std::uint64_t severity = 0;
    std::uint64_t pkts_toserver = 0;
    std::uint64_t pkts_toclient = 0;
    if (const std::string_view reason =
            ReadCounts({{Get(EveSlot::kBytesToServer), &event.orig_bytes},
                        {Get(EveSlot::kBytesToClient), &event.resp_bytes},
                        {Get(EveSlot::kPktsToServer), &pkts_toserver},
                        {Get(EveSlot::kPktsToClient), &pkts_toclient},
                        {Get(EveSlot::kSeverity), &severity}});
        !reason.empty()) {
      return reason;
    }
    if (severity > 255) {
      return "bad_number";
    }
    event.severity = static_cast<std::uint8_t>(severity);
    event.orig_ip_bytes = event.orig_bytes;
    event.orig_pkts = ClampCount(pkts_toserver);
    event.resp_pkts = ClampCount(pkts_toclient);
    for (const EveSlot slot : {EveSlot::kHttpHostname, EveSlot::kTlsSni, EveSlot::kDnsRrname,
                               EveSlot::kDnsQueryRrname}) {
      if (const auto name = Get(slot)) {
        event.name = NormaliseHost(*name);
        break;
      }
    }
    event.uri = Get(EveSlot::kHttpUrl).value_or("");
    event.user_agent = Get(EveSlot::kHttpUserAgent).value_or("");
    event.signature = Get(EveSlot::kSignature).value_or("");
    event.action = Get(EveSlot::kAction).value_or("");
    event.uid = Get(EveSlot::kFlowId).value_or("");
    return "";
  }

  JsonLineReader reader_;
  EveValues values_;
};

}  // namespace

std::unique_ptr<LineParser> MakeSuricataParser() {
  return std::make_unique<SuricataParser>();
}

}  // namespace hoshi::defense::detail
