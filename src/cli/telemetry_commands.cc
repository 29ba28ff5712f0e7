// SPDX-License-Identifier: Apache-2.0
// telemetry analyze: offline analysis of Zeek / Suricata / syslog-CEF logs (files or folders,
// gzip or plain) with optional indicator files (STIX 2.1 bundles or plain lists).
#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hoshi/core/file.h"
#include "hoshi/core/json.h"
#include "hoshi/core/text.h"
#include "hoshi/defense/detections.h"
#include "hoshi/defense/indicators.h"
#include "hoshi/defense/logs.h"

#include "commands.h"
#include "progress.h"

namespace hoshi::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxIndicatorFileBytes = std::size_t{1} << 30;

struct TelemetryOptions {
  std::vector<std::string> paths;
  std::vector<std::string> indicators;
  std::string format = "table";
  std::string output;
  std::string progress = "auto";
};

/// STIX when the file is a JSON document, a plain list otherwise.
Result<defense::ImportReport> ImportIndicatorFile(const std::string& path,
                                                  defense::IndicatorSet& set) {
  HOSHI_ASSIGN_OR_RETURN(std::string text, ReadFile(path, kMaxIndicatorFileBytes));
  const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const std::string source = fs::path(path).filename().string();
  if (first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
    return defense::ImportStixBundle(text, source, set);
  }
  return defense::ImportPlainList(text, source, set);
}

Json StatsJson(const defense::ParseStats& stats) {
  Json samples = Json::array();
  for (const auto& s : stats.samples) {
    samples.push_back(
        Json{{"source", s.source}, {"line", s.line}, {"reason", s.reason}, {"text", s.text}});
  }
  return Json{{"lines", stats.lines},
              {"events", stats.events},
              {"skipped", stats.skipped},
              {"malformed", stats.malformed},
              {"samples", std::move(samples)}};
}

Json DetectionJson(const defense::Detection& d, Lang lang) {
  return Json{
      {"kind", defense::DetectionKindName(d.kind)},
      {"score", d.score},
      {"src", d.src.IsUnspecified() ? "" : defense::ToString(d.src)},
      {"dst", d.dst.IsUnspecified() ? "" : defense::ToString(d.dst)},
      {"name", d.name},
      {"events", d.events},
      {"first_ts", FormatTimestampMillis(TimePoint(std::chrono::microseconds(d.first_ts_us)))},
      {"last_ts", FormatTimestampMillis(TimePoint(std::chrono::microseconds(d.last_ts_us)))},
      {"description", defense::Describe(d).In(lang)},
      {"evidence", d.evidence}};
}

std::string RenderTable(const Context& ctx, const defense::ParseStats& stats,
                        const std::vector<defense::Detection>& detections) {
  const bool ja = ctx.lang == Lang::kJa;
  std::string out;
  for (const auto& d : detections) {
    out += fmt::format("{:.2f}  {:<16}  {}\n", d.score, defense::DetectionKindName(d.kind),
                       defense::Describe(d).In(ctx.lang));
  }
  const auto n = [](std::size_t v) { return FormatNumber(static_cast<long long>(v)); };
  out += ja ? fmt::format("検知 {} 件。記録 {} 行（イベント {} 件、対象外 {} 件、不正 {} 件）\n",
                          n(detections.size()), n(stats.lines), n(stats.events), n(stats.skipped),
                          n(stats.MalformedTotal()))
            : fmt::format("Detections: {}. Records: {} ({} events, {} skipped, {} malformed)\n",
                          n(detections.size()), n(stats.lines), n(stats.events), n(stats.skipped),
                          n(stats.MalformedTotal()));
  for (const auto& [reason, count] : stats.malformed) {
    out += fmt::format("  {}: {}\n", reason, n(count));
  }
  return out;
}

int TelemetryAnalyze(const Context& ctx, const TelemetryOptions& o) {
  defense::IndicatorSet set;
  for (const auto& file : o.indicators) {
    auto report = ImportIndicatorFile(file, set);
    if (!report.ok()) {
      return Report(ctx, report.error());
    }
    ctx.err << Fmt(ctx, "out.indicators_loaded", file,
                   FormatNumber(static_cast<long long>(report->added)),
                   FormatNumber(static_cast<long long>(report->skipped)),
                   FormatNumber(static_cast<long long>(report->invalid)))
            << "\n";
  }
  set.Freeze();
  auto engine = defense::DetectionEngine::Create();
  if (!engine.ok()) {
    return Report(ctx, engine.error());
  }
  const defense::IndicatorSetLookup lookup(set);
  if (set.size() > 0) {
    engine->SetIndicatorLookup(&lookup);
  }
  std::vector<fs::path> paths(o.paths.begin(), o.paths.end());
  ProgressBar bar(ctx.err, o.progress);
  defense::ParseOptions options;
  options.clock = &ctx.clock;
  auto stats = defense::ParseLogPaths(
      paths, options, [&](const defense::Event& e) { engine->Add(e); },
      [&](std::size_t done, std::size_t total) {
        bar.Update(Msg(ctx, "out.progress_logs"), done, total);
      });
  bar.Finish();
  if (!stats.ok()) {
    return Report(ctx, stats.error());
  }
  const std::vector<defense::Detection> detections = engine->Finish();
  std::string text;
  if (o.format == "json") {
    Json list = Json::array();
    for (const auto& d : detections) {
      list.push_back(DetectionJson(d, ctx.lang));
    }
    text = DumpJson(Json{{"stats", StatsJson(*stats)},
                         {"indicators", set.size()},
                         {"detections", std::move(list)}}) +
           "\n";
  } else {
    text = RenderTable(ctx, *stats, detections);
  }
  if (o.output.empty()) {
    ctx.out << text;
  } else if (auto written = WriteFileAtomic(o.output, text); !written.ok()) {
    return Report(ctx, written.error());
  }
  return kExitOk;
}

}  // namespace

void RegisterTelemetryCommands(CLI::App& app, Context& ctx, std::function<int()>& action) {
  auto o = std::make_shared<TelemetryOptions>();
  auto* telemetry = app.add_subcommand("telemetry", Msg(ctx, "cmd.telemetry"));
  telemetry->require_subcommand(1);
  auto* analyze = telemetry->add_subcommand("analyze", Msg(ctx, "cmd.telemetry.analyze"));
  analyze->add_option("paths", o->paths, Msg(ctx, "opt.log_paths"))->required();
  analyze->add_option("--indicators", o->indicators, Msg(ctx, "opt.indicators"));
  analyze->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"table", "json"}));
  analyze->add_option("-o,--output", o->output, Msg(ctx, "opt.output"));
  analyze->add_option("--progress", o->progress, Msg(ctx, "opt.progress"))
      ->check(CLI::IsMember({"auto", "always", "never"}));
  analyze->callback(
      [&action, &ctx, o] { action = [&ctx, o] { return TelemetryAnalyze(ctx, *o); }; });
}

}  // namespace hoshi::cli
