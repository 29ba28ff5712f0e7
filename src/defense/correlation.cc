// SPDX-License-Identifier: Apache-2.0
// Correlation keys, the correlation config, and the analysis of one telemetry batch.
#include <algorithm>
#include <array>
#include <istream>
#include <streambuf>

#include "hoshi/defense/telemetry_store.h"

#include "messages_parts.h"

namespace hoshi::defense {

namespace {

constexpr std::array kMessages{
    MessageEntry{"defense.telemetry_config", "相関分析の設定が不正です（{0}）。",
                 "The correlation setting is invalid ({0})."},
    MessageEntry{"defense.telemetry_batch_field", "テレメトリのバッチに「{0}」がありません。",
                 "The telemetry batch has no '{0}'."},
    MessageEntry{"defense.feed_missing", "指標のファイルまたはフォルダ「{0}」が見つかりません。",
                 "The indicator file or folder '{0}' was not found."},
    MessageEntry{"defense.misp_header",
                 "MISP CSV「{0}」の見出し行に type 列と value 列がありません。",
                 "The MISP CSV '{0}' has no type and value columns in its header."},
    MessageEntry{"defense.misp_columns", "MISP CSV の{0}行目の列が足りません。",
                 "Line {0} of the MISP CSV has too few columns."},
    MessageEntry{"defense.envelope", "ストリーム上のテレメトリのバッチを読み込めません（{0}）。",
                 "A telemetry batch on the stream cannot be read ({0})."},
    MessageEntry{"defense.telemetry_batch_not_found", "テレメトリのバッチ「{0}」が見つかりません。",
                 "The telemetry batch '{0}' was not found."},
    MessageEntry{"defense.telemetry_stored",
                 "保存されたテレメトリのデータを読み込めません（{0}）。",
                 "Stored telemetry data cannot be read ({0})."},
    MessageEntry{"defense.campaign_not_found", "キャンペーン「{0}」が見つかりません。",
                 "The campaign '{0}' was not found."},
    MessageEntry{"defense.warning_not_found", "早期警戒「{0}」が見つかりません。",
                 "The early warning '{0}' was not found."},
    MessageEntry{"defense.consent_not_found",
                 "取引関係「{0}」が見つからないか、この組織が取引先（供給側）ではありません。",
                 "The relationship '{0}' was not found, or this organisation is not its supplier."},
};

/// A read-only stream over bytes already in memory (no copy of the payload).
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view bytes) {
    // std::streambuf's get area takes char*; it is only read from.
    char* begin = const_cast<char*>(bytes.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    setg(begin, begin, begin + bytes.size());
  }
};

}  // namespace

std::span<const MessageEntry> CorrelationMessages() {
  return kMessages;
}

Status ValidateCorrelationConfig(const CorrelationConfig& config) {
  if (config.min_organizations < 2) {
    return MakeError(ErrorCode::kInvalidArgument, kMessages, "defense.telemetry_config",
                     "min_organizations < 2");
  }
  if (config.window_us <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, kMessages, "defense.telemetry_config",
                     "window <= 0");
  }
  if (!(config.min_score >= 0 && config.min_score <= 1)) {
    return MakeError(ErrorCode::kInvalidArgument, kMessages, "defense.telemetry_config",
                     "min_score");
  }
  return Status::Ok();
}

std::string TargetKey(const Observable& observable) {
  return std::string(ObservableTypeName(observable.type)) + ":" + observable.value;
}

std::optional<Observable> ParseTargetKey(std::string_view key) {
  const auto colon = key.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  for (const auto type :
       {ObservableType::kIpv4, ObservableType::kIpv6, ObservableType::kDomain, ObservableType::kUrl,
        ObservableType::kMd5, ObservableType::kSha1, ObservableType::kSha256}) {
    if (ObservableTypeName(type) == key.substr(0, colon)) {
      return Observable{type, std::string(key.substr(colon + 1))};
    }
  }
  return std::nullopt;
}

std::vector<std::string> TargetKeys(const Detection& detection) {
  std::vector<std::string> keys;
  auto observables = AttackerObservables(detection, VictimContext{});
  if (!observables.ok()) {
    return keys;  // only an invalid victim context fails, and this one is empty
  }
  for (const auto& o : *observables) {
    auto key = TargetKey(o);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(std::move(key));
    }
  }
  return keys;
}

Result<BatchAnalysis> AnalyseBatch(std::string_view payload, std::string_view name_hint,
                                   const IndicatorLookup* indicators, const DetectionConfig& config,
                                   const Clock* clock) {
  HOSHI_ASSIGN_OR_RETURN(auto engine, DetectionEngine::Create(config));
  engine.SetIndicatorLookup(indicators);
  BatchAnalysis out;
  MemoryBuffer buffer(payload);
  std::istream in(&buffer);
  ParseOptions options;
  options.clock = clock;
  HOSHI_ASSIGN_OR_RETURN(out.stats, ParseLog(in, name_hint.empty() ? "batch" : name_hint, options,
                                             [&](const Event& e) {
                                               engine.Add(e);
                                               if (!out.first_ts_us || e.ts_us < *out.first_ts_us) {
                                                 out.first_ts_us = e.ts_us;
                                               }
                                               if (!out.last_ts_us || e.ts_us > *out.last_ts_us) {
                                                 out.last_ts_us = e.ts_us;
                                               }
                                             }));
  out.detections = engine.Finish();
  return out;
}

}  // namespace hoshi::defense
