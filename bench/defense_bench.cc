// SPDX-License-Identifier: Apache-2.0
// Telemetry engine benchmarks (issue #6), on a deterministic synthetic Zeek conn.log and a
// deterministic list of 1,000,000 indicators (defense_bench_data.h):
//  - in process, on the log's first 1,000,000 events held in memory: a line/field split (the
//    floor: reading the bytes), ParseLog alone, ParseLog + IndicatorSet matching of src/dst,
//    and the full pipeline (ParseLog + DetectionEngine with the indicator lookup + Finish), each
//    interleaved with a ParseLog pass (the baseline) and reported in events per CPU second and as
//    a multiple of that baseline; matching alone and the detection engine alone on events parsed
//    beforehand (where the time goes); IndicatorSet build time and memory per million
//    indicators, for addresses, CIDRs, domains and the benchmark mix;
//  - whole-file runs over the 10M-event log, for bench/run-telemetry.sh to time next to
//    `grep -F -f`.
//
//   defense_bench [Google Benchmark flags]        runs the in-process benchmarks
//   defense_bench --write-data=DIR [--events=N]   writes DIR/conn.log (N events, default 10M),
//                                                 DIR/indicators.txt, DIR/patterns-tab.txt and
//                                                 DIR/manifest.json, then exits
//   defense_bench --run=parse|match|pipeline --log=FILE [--indicators=FILE]
//                                                 one whole-file run; prints one JSON line
//
// bench/run-telemetry.sh runs everything; docs/performance.md records the results.
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "hoshi/core/file.h"
#include "hoshi/defense/detections.h"
#include "hoshi/defense/event.h"
#include "hoshi/defense/indicators.h"
#include "hoshi/defense/logs.h"

#include "defense_bench_data.h"

namespace hoshi::bench::telemetry {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kMaxIndicatorFileBytes = std::uint64_t{1} << 30;

// ---------------------------------------------------------------------------------------------
// Passes over a log held in memory. Each returns what it found, so the work cannot be elided.

/// The floor: finds every line end and counts the tab separators (memchr), touching every byte
/// once, as any parser must.
std::size_t SplitPass(std::string_view bytes) {
  std::size_t fields = 0;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    const char* line_end = nl == nullptr ? end : static_cast<const char*>(nl);
    for (const char* q = p; q < line_end; ++q) {
      fields += static_cast<std::size_t>(*q == '\t');
    }
    p = line_end + 1;
  }
  return fields;
}

defense::ParseStats ParseBytes(std::string_view bytes, const defense::EventSink& sink) {
  MemoryStreamBuf buf(bytes);
  std::istream in(&buf);
  return OrDie(defense::ParseLog(in, "conn.log", {}, sink), "parsing the log");
}

std::size_t ParsePass(std::string_view bytes) {
  std::size_t events = 0;
  ParseBytes(bytes, [&](const defense::Event& e) {
    benchmark::DoNotOptimize(e.ts_us);
    ++events;
  });
  return events;
}

/// Counts of a matching pass.
struct MatchCounts {
  std::size_t events = 0;
  std::size_t hit_lines = 0;  ///< events with src, dst or name listed
  std::size_t hits = 0;       ///< fields listed (src, dst and name counted apiece)
};

/// What the engine does per event for indicators, without the engine: src and dst through
/// MatchIp, the name (none in a conn.log) through MatchDomain.
void MatchEvent(const defense::IndicatorSet& set, const defense::Event& e, MatchCounts& counts) {
  const std::size_t before = counts.hits;
  counts.hits += static_cast<std::size_t>(set.MatchIp(e.src, e.ts_us).has_value());
  counts.hits += static_cast<std::size_t>(set.MatchIp(e.dst, e.ts_us).has_value());
  if (!e.name.empty()) {
    counts.hits += static_cast<std::size_t>(set.MatchDomain(e.name, e.ts_us).has_value());
  }
  ++counts.events;
  counts.hit_lines += static_cast<std::size_t>(counts.hits != before);
}

MatchCounts MatchPass(std::string_view bytes, const defense::IndicatorSet& set) {
  MatchCounts counts;
  ParseBytes(bytes, [&](const defense::Event& e) { MatchEvent(set, e, counts); });
  return counts;
}

defense::DetectionEngine NewEngine() {
  return OrDie(defense::DetectionEngine::Create(), "creating the detection engine");
}

std::size_t PipelinePass(std::string_view bytes, const defense::IndicatorSet& set) {
  defense::DetectionEngine engine = NewEngine();
  const defense::IndicatorSetLookup lookup(set);
  engine.SetIndicatorLookup(&lookup);
  ParseBytes(bytes, [&](const defense::Event& e) { engine.Add(e); });
  return engine.Finish().size();
}

// ---------------------------------------------------------------------------------------------
// Shared data, made on first use.

struct Slice {
  std::string bytes;
  ConnLogSummary summary;
};

/// The first kSliceEvents events of the benchmark log, as TSV bytes.
const Slice& LogSlice() {
  static const Slice kSlice = [] {
    std::ostringstream out;
    Slice s;
    s.summary = WriteConnLog(out, kSliceEvents);
    s.bytes = std::move(out).str();
    std::fprintf(stderr, "defense_bench: %zu-event slice, %.1f MiB, %zu hit lines\n",
                 s.summary.events, static_cast<double>(s.bytes.size()) / (1 << 20),
                 s.summary.hit_lines);
    return s;
  }();
  return kSlice;
}

/// The slice, parsed.
const std::vector<defense::Event>& SliceEvents() {
  static const std::vector<defense::Event> kEvents = [] {
    std::vector<defense::Event> out;
    out.reserve(kSliceEvents);
    ParseBytes(LogSlice().bytes, [&](const defense::Event& e) { out.push_back(e); });
    return out;
  }();
  return kEvents;
}

defense::IndicatorSet BuildSet(std::string_view list_text) {
  defense::IndicatorSet set;
  const auto report =
      OrDie(defense::ImportPlainList(list_text, "bench-indicators.txt", set), "importing");
  if (report.invalid != 0) {
    Die(fmt::format("{} invalid indicators in a generated list", report.invalid));
  }
  set.Freeze();
  return set;
}

/// The benchmark's 1,000,000 indicators, frozen.
const defense::IndicatorSet& BenchmarkSet() {
  static const defense::IndicatorSet kSet = BuildSet(IndicatorListText(BenchmarkIndicatorMix()));
  return kSet;
}

// ---------------------------------------------------------------------------------------------
// Whole passes over the slice, interleaved with a ParseLog pass.

/// Runs `pass` once per iteration, each followed by a ParseLog pass over the same bytes (the
/// baseline, interleaved so both see the same machine load). Times are the thread's CPU time;
/// reports events/s per CPU second, ns per event, and `x_parse_only`: pass ÷ baseline.
template <typename Pass>
void RunSlicePasses(benchmark::State& state, Pass pass) {
  const Slice& slice = LogSlice();
  double pass_s = 0;
  double baseline_s = 0;
  for (auto _ : state) {
    const double start = ThreadCpuSeconds();
    pass(slice.bytes);
    const double passed = ThreadCpuSeconds();
    benchmark::DoNotOptimize(ParsePass(slice.bytes));
    const double end = ThreadCpuSeconds();
    state.SetIterationTime(passed - start);
    pass_s += passed - start;
    baseline_s += end - passed;
  }
  const auto events = static_cast<double>(slice.summary.events);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(slice.summary.events));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(slice.bytes.size()));
  state.counters["events"] = events;
  state.counters["ns_per_event"] =
      pass_s * 1e9 / (events * static_cast<double>(state.iterations()));
  state.counters["x_parse_only"] = pass_s / baseline_s;
}

void BM_SplitLines(benchmark::State& state) {
  RunSlicePasses(state, [](std::string_view bytes) { benchmark::DoNotOptimize(SplitPass(bytes)); });
}

void BM_ParseOnly(benchmark::State& state) {
  std::size_t events = 0;
  RunSlicePasses(state, [&](std::string_view bytes) { events = ParsePass(bytes); });
  state.counters["parsed"] = static_cast<double>(events);
}

void BM_ParseAndMatch(benchmark::State& state) {
  const defense::IndicatorSet& set = BenchmarkSet();
  MatchCounts counts;
  RunSlicePasses(state, [&](std::string_view bytes) { counts = MatchPass(bytes, set); });
  state.counters["indicators"] = static_cast<double>(set.size());
  state.counters["hit_lines"] = static_cast<double>(counts.hit_lines);
  state.counters["expected_hit_lines"] = static_cast<double>(LogSlice().summary.hit_lines);
}

void BM_FullPipeline(benchmark::State& state) {
  const defense::IndicatorSet& set = BenchmarkSet();
  std::size_t detections = 0;
  RunSlicePasses(state, [&](std::string_view bytes) { detections = PipelinePass(bytes, set); });
  state.counters["indicators"] = static_cast<double>(set.size());
  state.counters["detections"] = static_cast<double>(detections);
}

// Manual time = the pass's CPU time of this thread: rates are per CPU second, i.e. per core.
BENCHMARK(BM_SplitLines)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_ParseOnly)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ParseAndMatch)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_FullPipeline)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(2);

// ---------------------------------------------------------------------------------------------
// The parts on their own, on events parsed beforehand.

/// IndicatorSet lookups of src and dst for every event of the slice.
void BM_MatchOnly(benchmark::State& state) {
  const defense::IndicatorSet& set = BenchmarkSet();
  const auto& events = SliceEvents();
  MatchCounts counts;
  for (auto _ : state) {
    const double start = ThreadCpuSeconds();
    counts = {};
    for (const defense::Event& e : events) {
      MatchEvent(set, e, counts);
    }
    state.SetIterationTime(ThreadCpuSeconds() - start);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
  state.counters["hit_lines"] = static_cast<double>(counts.hit_lines);
  state.counters["lookups_per_event"] = 2;
}

/// DetectionEngine::Add for every event (with the indicator lookup), then Finish; the two are
/// reported apart: add_ns_per_event and finish_ms (per iteration), and the engine's heap after
/// the Add calls per event (engine_heap_B_per_event).
void BM_DetectOnly(benchmark::State& state) {
  const defense::IndicatorSet& set = BenchmarkSet();
  const auto& events = SliceEvents();
  const defense::IndicatorSetLookup lookup(set);
  double add_s = 0;
  double finish_s = 0;
  std::size_t detections = 0;
  std::size_t engine_heap = 0;
  std::map<std::string_view, std::size_t> kinds;
  for (auto _ : state) {
    const std::size_t heap_before = HeapInUse();
    defense::DetectionEngine engine = NewEngine();
    engine.SetIndicatorLookup(&lookup);
    const double start = ThreadCpuSeconds();
    engine.Add(events);
    const double added = ThreadCpuSeconds();
    engine_heap = HeapInUse() - heap_before;
    const std::vector<defense::Detection> found = engine.Finish();
    const double end = ThreadCpuSeconds();
    state.SetIterationTime(end - start);
    add_s += added - start;
    finish_s += end - added;
    detections = found.size();
    kinds.clear();
    for (const auto& d : found) {
      ++kinds[defense::DetectionKindName(d.kind)];
    }
  }
  const auto n = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
  state.counters["add_ns_per_event"] = add_s * 1e9 / (n * static_cast<double>(events.size()));
  state.counters["finish_ms"] = finish_s * 1e3 / n;
  state.counters["engine_heap_B_per_event"] =
      static_cast<double>(engine_heap) / static_cast<double>(events.size());
  state.counters["detections"] = static_cast<double>(detections);
  for (const auto& [kind, count] : kinds) {
    state.counters[fmt::format("d_{}", kind)] = static_cast<double>(count);
  }
}

BENCHMARK(BM_MatchOnly)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_DetectOnly)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(2);

// ---------------------------------------------------------------------------------------------
// IndicatorSet build time and memory per million indicators.

IndicatorMix MixFor(std::int64_t kind) {
  IndicatorMix mix;
  switch (kind) {
    case 0:
      mix.ipv4 = 1'000'000;
      break;
    case 1:
      mix.cidrs = 1'000'000;
      break;
    case 2:
      mix.domains = 1'000'000;
      break;
    default:
      mix = BenchmarkIndicatorMix();
      break;
  }
  return mix;
}

/// One build per iteration from the plain-list text (made beforehand): ImportPlainList, then
/// Freeze. Heap in use (mallinfo2) is read before, after the import and after Freeze; the text
/// stays alive throughout, so the differences are the set's own. Reports bytes per indicator of
/// heap (`heap_B_per_ind`, after Freeze; `import_heap_B_per_ind`, before it) and as the set
/// counts them (`set_B_per_ind`, IndicatorSet::MemoryBytes), MiB per million, and the CPU time
/// of both steps.
void BM_BuildIndicators(benchmark::State& state) {
  const IndicatorMix mix = MixFor(state.range(0));
  const std::string text = IndicatorListText(mix);
  double import_s = 0;
  double freeze_s = 0;
  std::size_t heap_after_import = 0;
  std::size_t heap_after_freeze = 0;
  std::size_t set_bytes = 0;
  std::size_t indicators = 0;
  for (auto _ : state) {
    const std::size_t heap_before = HeapInUse();
    const double start = ThreadCpuSeconds();
    auto set = std::make_unique<defense::IndicatorSet>();
    const auto report = OrDie(defense::ImportPlainList(text, "bench.txt", *set), "importing");
    const double imported = ThreadCpuSeconds();
    heap_after_import = HeapInUse() - heap_before;
    set->Freeze();
    const double frozen = ThreadCpuSeconds();
    heap_after_freeze = HeapInUse() - heap_before;
    state.SetIterationTime(frozen - start);
    import_s += imported - start;
    freeze_s += frozen - imported;
    set_bytes = set->MemoryBytes();
    indicators = set->size();
    if (report.invalid != 0 || indicators != mix.total()) {
      state.SkipWithError("the generated list did not import whole");
      return;
    }
  }
  const auto n = static_cast<double>(state.iterations());
  const auto count = static_cast<double>(indicators);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(indicators));
  state.counters["indicators"] = count;
  state.counters["import_s"] = import_s / n;
  state.counters["freeze_s"] = freeze_s / n;
  state.counters["heap_B_per_ind"] = static_cast<double>(heap_after_freeze) / count;
  state.counters["import_heap_B_per_ind"] = static_cast<double>(heap_after_import) / count;
  state.counters["set_B_per_ind"] = static_cast<double>(set_bytes) / count;
  state.counters["heap_MiB_per_million"] =
      static_cast<double>(heap_after_freeze) / count * 1e6 / (1 << 20);
  state.counters["list_B_per_ind"] = static_cast<double>(text.size()) / count;
}

BENCHMARK(BM_BuildIndicators)
    ->ArgName("kind")  // 0 IPv4 addresses, 1 IPv4 CIDRs, 2 domains, 3 the benchmark mix
    ->DenseRange(0, 3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// ---------------------------------------------------------------------------------------------
// --write-data: the whole-file inputs.

void WriteText(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    Die("cannot write " + path.string());
  }
}

int WriteData(const fs::path& dir, std::size_t events) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    Die("cannot create " + dir.string());
  }
  const double start = WallSeconds();
  const IndicatorMix mix = BenchmarkIndicatorMix();
  WriteText(dir / "indicators.txt", IndicatorListText(mix));
  WriteText(dir / "patterns-tab.txt", IndicatorListText(mix, /*tab_delimited=*/true));

  ConnLogSummary summary;
  {
    std::ofstream out(dir / "conn.log.tmp", std::ios::binary | std::ios::trunc);
    std::vector<char> buffer(std::size_t{1} << 20);
    out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    summary = WriteConnLog(out, events);
    out.close();
    if (!out) {
      Die("cannot write the conn.log");
    }
  }
  fs::rename(dir / "conn.log.tmp", dir / "conn.log", ec);
  if (ec) {
    Die("cannot rename the conn.log");
  }
  // Written last: run-telemetry.sh takes a manifest as "the data is complete".
  WriteText(
      dir / "manifest.json",
      fmt::format("{{\"events\": {}, \"hit_lines\": {}, \"log_bytes\": {}, "
                  "\"first_ts_us\": {}, \"last_ts_us\": {}, \"indicators\": {}, "
                  "\"indicator_log_hits\": {}, \"indicator_ipv4\": {}, "
                  "\"indicator_cidrs\": {}, \"indicator_domains\": {}}}\n",
                  summary.events, summary.hit_lines, summary.bytes, summary.first_ts_us,
                  summary.last_ts_us, mix.total(), mix.log_hits, mix.ipv4, mix.cidrs, mix.domains));
  std::fprintf(stderr, "defense_bench: wrote %zu events (%zu hit lines, %.0f MiB) in %.1f s\n",
               summary.events, summary.hit_lines, static_cast<double>(summary.bytes) / (1 << 20),
               WallSeconds() - start);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// --run: one whole-file run.

struct RunOptions {
  std::string mode;
  std::string log;
  std::string indicators;
};

double PeakRssMiB() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024;  // kilobytes on Linux
}

int RunWholeFile(const RunOptions& o) {
  if (o.mode != "parse" && o.mode != "match" && o.mode != "pipeline") {
    Die("--run takes parse, match or pipeline");
  }
  const double wall_start = WallSeconds();
  const double cpu_start = ProcessCpuSeconds();
  defense::IndicatorSet set;
  std::size_t set_heap = 0;
  if (!o.indicators.empty()) {
    const std::size_t heap_before = HeapInUse();
    {
      const std::string text =
          OrDie(ReadFile(o.indicators, kMaxIndicatorFileBytes), "reading indicators");
      const auto report =
          OrDie(defense::ImportPlainList(text, fs::path(o.indicators).filename().string(), set),
                "importing indicators");
      if (report.invalid != 0) {
        Die(fmt::format("{} invalid indicators in {}", report.invalid, o.indicators));
      }
    }  // the list's text is freed here, before the set's heap is read
    set.Freeze();
    set_heap = HeapInUse() - heap_before;
  } else if (o.mode != "parse") {
    Die("--run=match and --run=pipeline need --indicators");
  }
  const double load_s = ProcessCpuSeconds() - cpu_start;

  MatchCounts counts;
  std::size_t events = 0;
  std::optional<defense::DetectionEngine> engine;
  const defense::IndicatorSetLookup lookup(set);
  defense::EventSink sink;
  if (o.mode == "parse") {
    sink = [&](const defense::Event& e) {
      benchmark::DoNotOptimize(e.ts_us);
      ++events;
    };
  } else if (o.mode == "match") {
    sink = [&](const defense::Event& e) { MatchEvent(set, e, counts); };
  } else {
    engine.emplace(NewEngine());
    engine->SetIndicatorLookup(&lookup);
    sink = [&](const defense::Event& e) {
      engine->Add(e);
      ++events;
    };
  }
  const double scan_start = ProcessCpuSeconds();
  const defense::ParseStats stats = OrDie(defense::ParseLogFile(o.log, {}, sink), "parsing");
  const double scan_s = ProcessCpuSeconds() - scan_start;
  std::map<std::string_view, std::size_t> kinds;
  double finish_s = 0;
  std::size_t detections = 0;
  if (engine) {
    const double finish_start = ProcessCpuSeconds();
    const std::vector<defense::Detection> found = engine->Finish();
    finish_s = ProcessCpuSeconds() - finish_start;
    detections = found.size();
    for (const auto& d : found) {
      ++kinds[defense::DetectionKindName(d.kind)];
    }
  }
  const double destroy_start = ProcessCpuSeconds();
  engine.reset();
  const double destroy_s = ProcessCpuSeconds() - destroy_start;
  std::string kind_json;
  for (const auto& [kind, count] : kinds) {
    kind_json += fmt::format("{}\"{}\": {}", kind_json.empty() ? "" : ", ", kind, count);
  }
  const double cpu_s = ProcessCpuSeconds() - cpu_start;
  std::printf(
      "%s\n",
      fmt::format("{{\"mode\": \"{}\", \"events\": {}, \"lines\": {}, \"malformed\": {}, "
                  "\"indicators\": {}, \"set_heap_bytes\": {}, \"hit_lines\": {}, \"hits\": {}, "
                  "\"detections\": {}, \"detection_kinds\": {{{}}}, \"load_cpu_s\": {:.3f}, "
                  "\"scan_cpu_s\": {:.3f}, \"finish_cpu_s\": {:.3f}, \"destroy_cpu_s\": {:.3f}, "
                  "\"cpu_s\": {:.3f}, "
                  "\"wall_s\": {:.3f}, \"peak_rss_mib\": {:.1f}}}",
                  o.mode, stats.events, stats.lines, stats.MalformedTotal(), set.size(), set_heap,
                  counts.hit_lines, counts.hits, detections, kind_json, load_s, scan_s, finish_s,
                  destroy_s, cpu_s, WallSeconds() - wall_start, PeakRssMiB())
          .c_str());
  return stats.events == 0 ? 1 : 0;
}

std::optional<std::string_view> FlagValue(std::string_view arg, std::string_view flag) {
  if (arg.starts_with(flag)) {
    return arg.substr(flag.size());
  }
  return std::nullopt;
}

}  // namespace
}  // namespace hoshi::bench::telemetry

int main(int argc, char** argv) {
  using namespace hoshi::bench::telemetry;  // NOLINT(google-build-using-namespace): main only
  std::optional<std::string> write_dir;
  std::size_t events = kLogEvents;
  RunOptions run;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (auto v = FlagValue(arg, "--write-data=")) {
      write_dir = std::string(*v);
    } else if (auto n = FlagValue(arg, "--events=")) {
      events = std::stoull(std::string(*n));
    } else if (auto m = FlagValue(arg, "--run=")) {
      run.mode = std::string(*m);
    } else if (auto l = FlagValue(arg, "--log=")) {
      run.log = std::string(*l);
    } else if (auto f = FlagValue(arg, "--indicators=")) {
      run.indicators = std::string(*f);
    }
  }
  if (write_dir) {
    return WriteData(*write_dir, events);
  }
  if (!run.mode.empty()) {
    if (run.log.empty()) {
      Die("--run needs --log=FILE");
    }
    return RunWholeFile(run);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
