// SPDX-License-Identifier: Apache-2.0
// Telemetry commands (issue #6):
//  - telemetry analyze: offline analysis of Zeek / Suricata / syslog-CEF logs (files or folders,
//    gzip or plain) with optional indicator files (STIX 2.1 bundles or plain lists);
//  - telemetry publish: logs cut into batches (defense/batching.h) and published to NATS
//    JetStream under deterministic batch ids, so a re-run after a crash only sends duplicates;
//  - worker: a scale-out consumer of those batches (TelemetryWorker) until SIGTERM / SIGINT.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "hoshi/core/crypto.h"
#include "hoshi/core/file.h"
#include "hoshi/core/json.h"
#include "hoshi/core/text.h"
#include "hoshi/defense/batching.h"
#include "hoshi/defense/detections.h"
#include "hoshi/defense/indicators.h"
#include "hoshi/defense/logs.h"
#include "hoshi/defense/telemetry_store.h"
#include "hoshi/defense/telemetry_worker.h"
#include "hoshi/storage/pool.h"
#include "hoshi/stream/jetstream.h"
#include "hoshi/stream/stream.h"

#include "commands.h"
#include "progress.h"

namespace hoshi::cli {
namespace {

namespace fs = std::filesystem;

struct TelemetryOptions {
  std::vector<std::string> paths;
  std::vector<std::string> indicators;
  std::string format = "table";
  std::string output;
  std::string progress = "auto";
  // telemetry publish
  std::string organization;
  std::string nats_url;
  std::string source = "cli";
  std::uint32_t partition_count = 8;
  std::size_t batch_bytes = 0;  // 0: as large as the NATS server allows
  // worker
  std::string partitions;  // "0,1,2"; empty: all
  std::size_t min_orgs = 3;
  int window_days = 7;
  int ack_wait_s = 30;
};

/// Room left in a stream message for the NATS headers (Nats-Msg-Id, Nats-Expected-Stream,
/// Hoshi-Kind and the framing take about 150 bytes).
constexpr std::size_t kNatsHeaderAllowance = 512;
/// Longest name hint a batch envelope carries (DecodeBatchEnvelope's limit).
constexpr std::size_t kMaxNameHint = 255;
/// Longest source name a batch envelope carries.
constexpr std::size_t kMaxSource = 100;
/// Attempts per publish while the server is unreachable (cnats reconnects in between).
constexpr int kPublishAttempts = 3;
constexpr std::size_t kMaxPartitions = 1024;

std::string Count(std::uint64_t v) {
  return FormatNumber(static_cast<long long>(v));
}

bool HasIndicatorExtension(const fs::path& path) {
  return defense::IsIndicatorFileName(path.filename().string());
}

/// Files named directly, and the non-hidden files under folders that ParseLogPaths would read
/// (IsLogFileName), each folder's in sorted order; hidden folders are not entered.
Result<std::vector<fs::path>> ListFiles(const std::vector<std::string>& paths,
                                        bool (*wanted)(const fs::path&)) {
  std::vector<fs::path> files;
  for (const std::string& given : paths) {
    const fs::path path(given);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.empty() && name.front() == '.') {
          if (it->is_directory(ec)) {
            it.disable_recursion_pending();
          }
          continue;
        }
        if (it->is_regular_file(ec) && wanted(it->path())) {
          found.push_back(it->path());
        }
      }
      if (ec) {
        return MakeError(ErrorCode::kIoError, CliMessages(), "err.read_dir", given)
            .WithDetail(ec.message());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      return MakeError(ErrorCode::kNotFound, CliMessages(), "err.path_missing", given);
    }
  }
  return files;
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
    auto report = defense::ImportIndicatorFile(file, set);
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

/// The batch id: deterministic in the organisation, the file name and the piece's bytes, so that
/// publishing the same file again gives the same ids (dropped by JetStream within its duplicate
/// window, and recognised by the telemetry store after it).
std::string BatchId(std::string_view organization_id, std::string_view name,
                    std::string_view piece) {
  Sha256Hasher hasher;
  hasher.Update(organization_id);
  hasher.Update(std::string_view("\0", 1));
  hasher.Update(name);
  hasher.Update(std::string_view("\0", 1));
  hasher.Update(piece);
  return "b-" + ToHex(hasher.Finish()).substr(0, 32);
}

/// The file name as the batch's name hint (it names the Zeek log type when the log does not):
/// at most kMaxNameHint bytes, keeping the end ("…dns.log.gz") on a UTF-8 boundary.
std::string NameHint(const fs::path& path) {
  std::string name = path.filename().string();
  if (name.size() > kMaxNameHint) {
    std::size_t cut = name.size() - kMaxNameHint;
    while (cut < name.size() && (static_cast<unsigned char>(name[cut]) & 0xC0U) == 0x80U) {
      ++cut;
    }
    name.erase(0, cut);
  }
  return name;
}

Status PublishWithRetry(stream::Publisher& publisher, const stream::Message& message) {
  Status status;
  for (int attempt = 1; attempt <= kPublishAttempts; ++attempt) {
    status = publisher.Publish(message);
    if (status.ok() || status.error().code() != ErrorCode::kUnavailable) {
      return status;
    }
    if (attempt < kPublishAttempts) {
      std::this_thread::sleep_for(std::chrono::seconds(attempt));
    }
  }
  return status;
}

struct PublishTotals {
  std::uint64_t files = 0;
  std::uint64_t batches = 0;
  std::uint64_t bytes = 0;      // payload bytes published (envelopes included)
  std::uint64_t raw_bytes = 0;  // decompressed log bytes
  std::uint64_t lines = 0;
  Json failed = Json::array();  // files not (fully) published
  Json warnings = Json::array();
};

void PrintPublishSummary(const Context& ctx, const TelemetryOptions& o, const PublishTotals& t,
                         std::uint32_t partition) {
  if (o.format == "json") {
    ctx.out << DumpJson(Json{{"organization_id", o.organization},
                             {"partition", partition},
                             {"files", t.files},
                             {"batches", t.batches},
                             {"bytes", t.bytes},
                             {"raw_bytes", t.raw_bytes},
                             {"lines", t.lines},
                             {"failed", t.failed},
                             {"warnings", t.warnings}})
            << "\n";
    return;
  }
  ctx.out << Fmt(ctx, "out.published", Count(t.files), Count(t.batches), Count(t.bytes),
                 o.organization, partition)
          << "\n";
  if (!t.failed.empty()) {
    ctx.out << Fmt(ctx, "out.publish_failed_files", Count(t.failed.size())) << "\n";
  }
}

int TelemetryPublish(const Context& ctx, const TelemetryOptions& o) {
  if (!stream::IsValidOrganizationId(o.organization)) {
    return Report(ctx, MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.bad_org_id",
                                 o.organization, stream::kMaxOrganizationIdLength));
  }
  if (o.source.empty() || o.source.size() > kMaxSource) {
    return Report(
        ctx, MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.bad_source", kMaxSource));
  }
  auto files = ListFiles(
      o.paths, [](const fs::path& p) { return defense::IsLogFileName(p.filename().string()); });
  if (!files.ok()) {
    return Report(ctx, files.error());
  }
  stream::JetStreamOptions js_options;
  js_options.url = o.nats_url;
  js_options.partitions = o.partition_count;
  auto js = stream::JetStream::Connect(js_options);
  if (!js.ok()) {
    return Report(ctx, js.error());
  }
  stream::JetStream& broker = **js;
  const std::uint32_t partition = stream::PartitionOf(o.organization, o.partition_count);
  const auto max_payload =
      static_cast<std::size_t>(std::max<std::int64_t>(broker.max_payload(), 0));

  PublishTotals totals;
  int exit_code = kExitOk;
  ProgressBar bar(ctx.err, o.progress);
  const auto note_failure = [&](const fs::path& file, const Error& error) {
    bar.Finish();  // the message goes on its own line
    const int code = Report(ctx, error);
    if (exit_code == kExitOk) {
      exit_code = code;
    }
    totals.failed.push_back(Json{{"path", file.string()},
                                 {"reason", error.reason()},
                                 {"message", error.ToString(ctx.lang)}});
  };
  for (std::size_t i = 0; i < files->size(); ++i) {
    bar.Update(Msg(ctx, "out.progress_logs"), i, files->size());
    const fs::path& file = (*files)[i];
    const std::string name = NameHint(file);
    defense::BatchEnvelope envelope{o.source, name, FormatTimestamp(ctx.clock.Now()), ""};
    const std::size_t overhead =
        defense::EncodeBatchEnvelope(envelope).size() + kNatsHeaderAllowance;
    std::size_t budget = max_payload > overhead ? max_payload - overhead : 0;
    if (o.batch_bytes > 0) {
      budget = std::min(budget, o.batch_bytes);
    }
    if (budget < defense::kMinBatchBytes) {
      bar.Finish();
      return Report(ctx, MakeError(ErrorCode::kFailedPrecondition, CliMessages(),
                                   "err.payload_too_small", Count(max_payload)));
    }
    auto bytes = ReadFile(file.string(), defense::kMaxPackedLogBytes);
    if (!bytes.ok()) {
      note_failure(file, bytes.error());
      continue;
    }
    auto packed = defense::PackLogBatches(*bytes, budget, file.string());
    if (!packed.ok()) {
      note_failure(file, packed.error());
      continue;
    }
    if (!packed->problem.empty()) {
      bar.Finish();
      ctx.err << Fmt(ctx, "out.publish_gzip_problem", file.string(), packed->problem) << "\n";
      totals.warnings.push_back(Json{{"path", file.string()}, {"problem", packed->problem}});
    }
    for (std::string& piece : packed->pieces) {
      stream::Message message;
      message.organization_id = o.organization;
      message.id = BatchId(o.organization, name, piece);
      message.kind = std::string(defense::kTelemetryBatchKind);
      envelope.payload = std::move(piece);
      message.payload = defense::EncodeBatchEnvelope(envelope);
      if (const Status published = PublishWithRetry(broker, message); !published.ok()) {
        bar.Finish();
        const int code = Report(ctx, published.error());
        // What went out is on the stream; publishing again sends only duplicates.
        ctx.err << Fmt(ctx, "out.publish_interrupted", Count(totals.batches)) << "\n";
        return code;
      }
      ++totals.batches;
      totals.bytes += message.payload.size();
    }
    ++totals.files;
    totals.raw_bytes += packed->raw_bytes;
    totals.lines += packed->lines;
  }
  bar.Update(Msg(ctx, "out.progress_logs"), files->size(), files->size());
  bar.Finish();
  PrintPublishSummary(ctx, o, totals, partition);
  return exit_code;
}

// ---- worker ----

/// Set by SIGTERM / SIGINT; TelemetryWorker::Run polls it (at least once a second).
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "used from a signal handler");

void OnStopSignal(int /*signal*/) {
  stop_requested.store(true);
}

Status InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  for (const int sig : {SIGTERM, SIGINT}) {
    if (sigaction(sig, &action, nullptr) != 0) {
      return Error(ErrorCode::kInternal, Lookup(CliMessages(), "err.internal"));
    }
  }
  return Status::Ok();
}

Result<std::vector<std::uint32_t>> ParsePartitionList(std::string_view text,
                                                      std::uint32_t partition_count) {
  std::vector<std::uint32_t> out;
  const auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.bad_partitions", text,
                     partition_count - 1);
  };
  std::size_t at = 0;
  while (at <= text.size() && !text.empty()) {
    std::size_t comma = text.find(',', at);
    if (comma == std::string_view::npos) {
      comma = text.size();
    }
    std::string_view item = text.substr(at, comma - at);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() ||
        value >= partition_count) {
      return bad();
    }
    out.push_back(value);
    at = comma + 1;
  }
  return out;
}

Result<std::shared_ptr<const defense::IndicatorSet>> LoadIndicators(
    const Context& ctx, const std::vector<std::string>& paths) {
  if (paths.empty()) {
    return std::shared_ptr<const defense::IndicatorSet>();
  }
  HOSHI_ASSIGN_OR_RETURN(auto files, ListFiles(paths, HasIndicatorExtension));
  auto set = std::make_shared<defense::IndicatorSet>();
  for (const fs::path& file : files) {
    HOSHI_ASSIGN_OR_RETURN(auto report, defense::ImportIndicatorFile(file, *set));
    ctx.err << Fmt(ctx, "out.indicators_loaded", file.string(), Count(report.added),
                   Count(report.skipped), Count(report.invalid))
            << "\n";
  }
  set->Freeze();
  return std::shared_ptr<const defense::IndicatorSet>(std::move(set));
}

int Worker(const Context& ctx, const TelemetryOptions& o) {
  auto partitions = ParsePartitionList(o.partitions, o.partition_count);
  if (!partitions.ok()) {
    return Report(ctx, partitions.error());
  }
  defense::CorrelationConfig correlation;
  correlation.min_organizations = o.min_orgs;
  correlation.window_us = std::int64_t{o.window_days} * 24 * 3600 * 1'000'000;
  if (const Status valid = defense::ValidateCorrelationConfig(correlation); !valid.ok()) {
    return Report(ctx, valid.error());
  }
  if (const Status installed = InstallStopHandlers(); !installed.ok()) {
    return Report(ctx, installed.error());
  }
  auto indicators = LoadIndicators(ctx, o.indicators);
  if (!indicators.ok()) {
    return Report(ctx, indicators.error());
  }
  // Brings the schema up to date (and creates the default data directory) like other commands.
  if (auto migrated = OpenDatabase(ctx); !migrated.ok()) {
    return Report(ctx, migrated.error());
  }
  auto pool = storage::ConnectionPool::Create(ctx.db_url, 2);
  if (!pool.ok()) {
    return Report(ctx, pool.error());
  }
  stream::JetStreamOptions js_options;
  js_options.url = o.nats_url;
  js_options.partitions = o.partition_count;
  js_options.ack_wait = std::chrono::seconds(o.ack_wait_s);
  auto js = stream::JetStream::Connect(js_options);
  if (!js.ok()) {
    return Report(ctx, js.error());
  }
  auto consumer = (*js)->OpenConsumer(*partitions);
  if (!consumer.ok()) {
    return Report(ctx, consumer.error());
  }
  // Diagnostics go to stderr; stdout carries only the final counters.
  spdlog::set_default_logger(spdlog::stderr_color_mt("hoshitori-worker"));
  std::string which = o.partitions.empty() ? std::string("*") : o.partitions;
  ctx.err << Fmt(ctx, "out.worker_started", stream::RedactUrl(o.nats_url), which) << "\n";
  ctx.err.flush();

  std::shared_ptr<const defense::IndicatorSet> set = *indicators;
  defense::WorkerOptions options;
  options.fetch_wait = std::chrono::milliseconds(1'000);
  options.correlation = correlation;
  defense::TelemetryWorker worker(
      **consumer, **pool, ctx.clock, [set] { return set; }, options);
  worker.Run(stop_requested);

  const defense::WorkerCounters& c = worker.counters();
  if (o.format == "json") {
    ctx.out << DumpJson(Json{{"processed", c.processed.load()},
                             {"duplicates", c.duplicates.load()},
                             {"retried", c.retried.load()},
                             {"dropped", c.dropped.load()},
                             {"events", c.events.load()}})
            << "\n";
  } else {
    ctx.out << Fmt(ctx, "out.worker_stopped", Count(c.processed.load()), Count(c.duplicates.load()),
                   Count(c.retried.load()), Count(c.dropped.load()), Count(c.events.load()))
            << "\n";
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

  auto* publish = telemetry->add_subcommand("publish", Msg(ctx, "cmd.telemetry.publish"));
  publish->add_option("paths", o->paths, Msg(ctx, "opt.log_paths"))->required();
  publish->add_option("--org", o->organization, Msg(ctx, "opt.publish_org"))->required();
  publish->add_option("--nats", o->nats_url, Msg(ctx, "opt.nats"))->required();
  publish->add_option("--source", o->source, Msg(ctx, "opt.source"));
  publish->add_option("--partitions", o->partition_count, Msg(ctx, "opt.partition_count"))
      ->check(CLI::Range(std::uint32_t{1}, static_cast<std::uint32_t>(kMaxPartitions)));
  publish->add_option("--batch-bytes", o->batch_bytes, Msg(ctx, "opt.batch_bytes"))
      ->check(CLI::Range(defense::kMinBatchBytes, std::size_t{1} << 30U));
  publish->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"table", "json"}));
  publish->add_option("--progress", o->progress, Msg(ctx, "opt.progress"))
      ->check(CLI::IsMember({"auto", "always", "never"}));
  publish->callback(
      [&action, &ctx, o] { action = [&ctx, o] { return TelemetryPublish(ctx, *o); }; });

  auto* worker = app.add_subcommand("worker", Msg(ctx, "cmd.worker"));
  worker->add_option("--nats", o->nats_url, Msg(ctx, "opt.nats"))->required();
  worker->add_option("--partitions", o->partitions, Msg(ctx, "opt.worker_partitions"));
  worker->add_option("--partition-count", o->partition_count, Msg(ctx, "opt.partition_count"))
      ->check(CLI::Range(std::uint32_t{1}, static_cast<std::uint32_t>(kMaxPartitions)));
  worker->add_option("--indicators", o->indicators, Msg(ctx, "opt.indicator_paths"));
  worker->add_option("--min-orgs", o->min_orgs, Msg(ctx, "opt.min_orgs"))
      ->check(CLI::Range(std::size_t{2}, std::size_t{1000}));
  worker->add_option("--window-days", o->window_days, Msg(ctx, "opt.window_days"))
      ->check(CLI::Range(1, 3650));
  worker->add_option("--ack-wait-s", o->ack_wait_s, Msg(ctx, "opt.ack_wait"))
      ->check(CLI::Range(1, 3600));
  worker->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"table", "json"}));
  worker->callback([&action, &ctx, o] { action = [&ctx, o] { return Worker(ctx, *o); }; });
}

}  // namespace hoshi::cli
