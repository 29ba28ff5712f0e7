// SPDX-License-Identifier: Apache-2.0
// SBOM engine benchmarks (issue #5):
//  - the real SBOMs of the shared data: a simdjson DOM parse of the same bytes (the baseline),
//    ParseSbom alone, MatchDocument alone, and the full scan (ParseSbom + MatchDocument against
//    every OSV record), in components/s and bytes/s, the scan also as a multiple of the baseline;
//  - MatchComponents on a generated fleet of 1,000 SBOMs × 500 components of real packages;
//  - incremental import of new advisories into a fleet store of 1,000,000 component instances
//    (2,000 SBOMs × 500): p50/p99 of AdvisoryImport::elapsed, the time to the affected SBOMs.
//
//   sbom_bench [Google Benchmark flags]   runs the benchmarks
//   sbom_bench --write-fleet=DIR          writes the 1,000-SBOM fleet as CycloneDX files, exits
//
// The shared data comes from $HOSHI_SHARED_DATA (default <repo>/../shared/data); benchmarks whose
// data is missing are skipped with a message. PostgreSQL runs when HOSHI_TEST_PG_DSN is set.
// bench/run-sbom.sh runs everything; docs/performance.md records the results.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <simdjson.h>

#include "hoshi/core/clock.h"
#include "hoshi/sbom/fleet.h"
#include "hoshi/sbom/matcher.h"
#include "hoshi/storage/database.h"

#include "sbom_bench_data.h"

namespace hoshi::bench {
namespace {

using benchmark::Counter;
using Seconds = std::chrono::duration<double>;

constexpr FleetSpec kMatchFleet{.sboms = 1'000, .components = 500};
constexpr FleetSpec kStoreFleet{.sboms = 2'000, .components = 500};  // 1,000,000 instances
constexpr std::size_t kImportCount = 500;
constexpr std::size_t kOrganizations = 20;
constexpr std::size_t kSbomsPerTransaction = 100;
constexpr std::string_view kWriteFleetFlag = "--write-fleet=";

// ---------------------------------------------------------------------------------------------
// Shared data, loaded on first use.

/// The real SBOMs, the same bytes padded for simdjson, and their totals.
struct RealCorpus {
  std::vector<RealSbom> sboms;
  std::vector<simdjson::padded_string> padded;
  std::size_t bytes = 0;
  std::size_t components = 0;
};

const RealCorpus& Corpus() {
  static const RealCorpus corpus = [] {
    RealCorpus c;
    c.sboms = LoadRealSboms();
    for (const RealSbom& s : c.sboms) {
      c.padded.emplace_back(s.bytes);
      c.bytes += s.bytes.size();
      c.components += s.document.components.size();
    }
    return c;
  }();
  return corpus;
}

const std::vector<PackageSample>& Pool() {
  static const std::vector<PackageSample> pool = PackagePool(FullAdvisoryDb());
  return pool;
}

/// The parsed documents of the 1,000-SBOM fleet (the files --write-fleet writes).
const std::vector<sbom::SbomDocument>& MatchFleet() {
  static const std::vector<sbom::SbomDocument> documents = [] {
    const FleetGenerator fleet(Pool(), kMatchFleet);
    std::vector<sbom::SbomDocument> out;
    out.reserve(kMatchFleet.sboms);
    for (std::size_t i = 0; i < kMatchFleet.sboms; ++i) {
      out.push_back(OrDie(sbom::ParseSbom(fleet.SbomJson(i)), "parsing a generated SBOM"));
    }
    return out;
  }();
  return documents;
}

/// Skips the benchmark with a message when the advisory data is missing.
bool SkipWithoutAdvisories(benchmark::State& state) {
  if (FindAdvisorySources()) {
    return false;
  }
  state.SkipWithError("shared advisory data missing (set HOSHI_SHARED_DATA)");
  return true;
}

/// Skips the benchmark with a message when the real SBOMs are missing.
bool SkipWithoutRealSboms(benchmark::State& state) {
  if (!Corpus().sboms.empty()) {
    return false;
  }
  state.SkipWithError("no real SBOMs under the shared data's sbom/ (set HOSHI_SHARED_DATA)");
  return true;
}

// ---------------------------------------------------------------------------------------------
// Real SBOMs. Each benchmark times whole passes over the corpus; a pass returns its findings.

std::size_t SimdjsonPass(simdjson::dom::parser& parser) {
  for (const simdjson::padded_string& bytes : Corpus().padded) {
    auto element = parser.parse(bytes);
    benchmark::DoNotOptimize(element.error());
  }
  return 0;
}

std::size_t ParseSbomPass() {
  for (const RealSbom& s : Corpus().sboms) {
    auto document = sbom::ParseSbom(s.bytes);
    benchmark::DoNotOptimize(document);
  }
  return 0;
}

std::size_t MatchPass() {
  std::size_t findings = 0;
  for (const RealSbom& s : Corpus().sboms) {
    findings += sbom::MatchDocument(s.document, FullAdvisoryDb()).size();
  }
  return findings;
}

std::size_t ScanPass() {
  std::size_t findings = 0;
  for (const RealSbom& s : Corpus().sboms) {
    auto document = sbom::ParseSbom(s.bytes);
    if (document.ok()) {
      findings += sbom::MatchDocument(*document, FullAdvisoryDb()).size();
    }
  }
  return findings;
}

/// CPU time of the calling thread (the machine may be shared: CPU time is what a pass costs).
Seconds ThreadCpuTime() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return Seconds(static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9);
}

/// Runs `pass` once per iteration, each followed by a simdjson pass over the same bytes (the
/// baseline, interleaved so both see the same machine load). Times are the thread's CPU time;
/// reports bytes/s, components/s, findings per pass, and `x_parse_only`: pass ÷ baseline.
template <typename Pass>
void RunCorpusPasses(benchmark::State& state, Pass pass) {
  if (SkipWithoutRealSboms(state)) {
    return;
  }
  const RealCorpus& corpus = Corpus();
  static_cast<void>(FullAdvisoryDb());  // loaded before the timing (empty without the data)
  simdjson::dom::parser baseline_parser;
  Seconds pass_time{0};
  Seconds baseline_time{0};
  std::size_t findings = 0;
  for (auto _ : state) {
    const Seconds start = ThreadCpuTime();
    findings = pass();
    const Seconds passed = ThreadCpuTime();
    SimdjsonPass(baseline_parser);
    const Seconds end = ThreadCpuTime();
    state.SetIterationTime((passed - start).count());
    pass_time += passed - start;
    baseline_time += end - passed;
  }
  const auto passes = static_cast<double>(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(corpus.bytes));
  state.counters["components/s"] =
      Counter(passes * static_cast<double>(corpus.components), Counter::kIsRate);
  state.counters["sboms"] = static_cast<double>(corpus.sboms.size());
  state.counters["components"] = static_cast<double>(corpus.components);
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["x_parse_only"] = pass_time / baseline_time;
}

void BM_SimdjsonParseOnly(benchmark::State& state) {
  simdjson::dom::parser parser;
  RunCorpusPasses(state, [&] { return SimdjsonPass(parser); });
}

void BM_ParseSbom(benchmark::State& state) {
  RunCorpusPasses(state, ParseSbomPass);
}

void BM_MatchRealSboms(benchmark::State& state) {
  if (!SkipWithoutAdvisories(state)) {
    RunCorpusPasses(state, MatchPass);
  }
}

void BM_ScanRealSboms(benchmark::State& state) {
  if (!SkipWithoutAdvisories(state)) {
    RunCorpusPasses(state, ScanPass);
  }
}

// Manual time = the pass's CPU time; rates are per CPU second of the pass.
BENCHMARK(BM_SimdjsonParseOnly)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseSbom)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchRealSboms)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScanRealSboms)->UseManualTime()->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// Matching on the generated fleet: one SBOM (500 components) per iteration, the whole fleet once
// (a fixed number of iterations, so every run measures the same SBOMs).

void BM_MatchComponents(benchmark::State& state) {
  if (SkipWithoutAdvisories(state)) {
    return;
  }
  const auto& fleet = MatchFleet();
  const sbom::AdvisoryDb& db = FullAdvisoryDb();
  std::size_t next = 0;
  std::size_t components = 0;
  std::size_t findings = 0;
  for (auto _ : state) {
    const sbom::SbomDocument& document = fleet[next++ % fleet.size()];
    const auto found = sbom::MatchComponents(document.components, db);
    components += document.components.size();
    findings += found.size();
  }
  state.counters["components/s"] = Counter(static_cast<double>(components), Counter::kIsRate);
  state.counters["findings_per_sbom"] =
      Counter(static_cast<double>(findings), Counter::kAvgIterations);
}

BENCHMARK(BM_MatchComponents)
    ->Iterations(static_cast<benchmark::IterationCount>(kMatchFleet.sboms))
    ->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------------
// Incremental import over a fleet store of 1,000,000 component instances.

enum class Backend { kSqlite, kPostgres };

const char* PostgresDsn() {
  const char* dsn = std::getenv("HOSHI_TEST_PG_DSN");  // NOLINT(concurrency-mt-unsafe)
  return dsn != nullptr && *dsn != '\0' ? dsn : nullptr;
}

/// A migrated database holding the kStoreFleet SBOMs; removed (file or schema) at exit.
struct FleetDatabase {
  std::unique_ptr<TempDir> dir;  ///< SQLite: the database file's folder
  std::unique_ptr<storage::Connection> conn;
  std::string schema;  ///< PostgreSQL: the schema created for this run
  std::size_t instances = 0;
  Seconds ingest{0};  ///< AddSbom calls and commits only (not generating or parsing)

  FleetDatabase() = default;
  FleetDatabase(const FleetDatabase&) = delete;
  FleetDatabase& operator=(const FleetDatabase&) = delete;
  ~FleetDatabase() {
    if (conn && !schema.empty()) {
      conn->ExecuteScript("DROP SCHEMA " + schema + " CASCADE").IgnoreError();
    }
  }
};

void Connect(Backend backend, FleetDatabase& fleet) {
  if (backend == Backend::kSqlite) {
    fleet.dir = std::make_unique<TempDir>("hoshi-bench-fleet");
    fleet.conn = OrDie(storage::Open("sqlite:" + (fleet.dir->path() / "fleet.db").string()),
                       "opening the SQLite fleet database");
  } else {
    fleet.conn = OrDie(storage::Open(PostgresDsn()), "connecting to HOSHI_TEST_PG_DSN");
    fleet.schema =
        fmt::format("bench_fleet_{}", std::chrono::steady_clock::now().time_since_epoch().count());
    OrDie(fleet.conn->ExecuteScript("CREATE SCHEMA " + fleet.schema + "; SET search_path TO " +
                                    fleet.schema),
          "creating the benchmark schema");
  }
  OrDie(storage::Migrate(*fleet.conn), "migrating");
}

std::string OrganizationId(std::size_t i) {
  return fmt::format("bench-org-{:02}", i);
}

void InsertOrganizations(storage::Connection& conn) {
  for (std::size_t i = 0; i < kOrganizations; ++i) {
    const std::vector<storage::Value> row{OrganizationId(i), fmt::format("{:013}", i + 1),
                                          fmt::format("Benchmark supplier {}", i),
                                          std::string("2026-01-01T00:00:00Z")};
    OrDie(conn.Query("INSERT INTO organizations (id, corporate_number, name, created_at) VALUES "
                     "(?, ?, ?, ?)",
                     row),
          "inserting an organisation");
  }
}

/// Adds SBOM `index` of the fleet (matched against no advisories: the store starts clean).
std::size_t AddFleetSbom(sbom::FleetStore& store, const FleetGenerator& fleet, std::size_t index,
                         Seconds& ingest) {
  static const sbom::AdvisoryDb kNoAdvisories;
  const std::string json = fleet.SbomJson(index);
  const auto document = OrDie(sbom::ParseSbom(json), "parsing a generated SBOM");
  const auto start = std::chrono::steady_clock::now();
  OrDie(store.AddSbom(OrganizationId(index % kOrganizations), fmt::format("product-{:04}", index),
                      "1.0.0", document, fmt::format("{:064x}", index),
                      static_cast<std::int64_t>(json.size()), "sbom_bench", kNoAdvisories),
        "AddSbom");
  ingest += std::chrono::steady_clock::now() - start;
  return document.components.size();
}

std::unique_ptr<FleetDatabase> BuildFleetDatabase(Backend backend) {
  auto fleet = std::make_unique<FleetDatabase>();
  Connect(backend, *fleet);
  InsertOrganizations(*fleet->conn);
  const FleetGenerator generator(Pool(), kStoreFleet);
  sbom::FleetStore store(*fleet->conn, SystemClock::Instance());
  for (std::size_t first = 0; first < kStoreFleet.sboms; first += kSbomsPerTransaction) {
    auto tx = OrDie(storage::Transaction::Begin(*fleet->conn), "beginning a transaction");
    const std::size_t last = std::min(kStoreFleet.sboms, first + kSbomsPerTransaction);
    for (std::size_t i = first; i < last; ++i) {
      fleet->instances += AddFleetSbom(store, generator, i, fleet->ingest);
    }
    const auto start = std::chrono::steady_clock::now();
    OrDie(tx.Commit(), "committing");
    fleet->ingest += std::chrono::steady_clock::now() - start;
  }
  std::fprintf(stderr, "sbom_bench: fleet store with %zu component instances built in %.1f s\n",
               fleet->instances, fleet->ingest.count());
  return fleet;
}

FleetDatabase& FleetDatabaseFor(Backend backend) {
  static std::map<Backend, std::unique_ptr<FleetDatabase>> databases;
  auto& database = databases[backend];
  if (!database) {
    database = BuildFleetDatabase(backend);
  }
  return *database;
}

/// Per-import figures, reported as counters: percentiles of AdvisoryImport::elapsed (wall time,
/// the quantity of issue #5) and of the calling thread's CPU time over the same call (less
/// sensitive to a shared machine's load; for SQLite it includes the database work, for
/// PostgreSQL only the client's).
class ImportStats {
 public:
  void Add(const sbom::AdvisoryImport& import, Seconds cpu) {
    elapsed_ms_.push_back(std::chrono::duration<double, std::milli>(import.elapsed).count());
    cpu_ms_.push_back(std::chrono::duration<double, std::milli>(cpu).count());
    instances_ += import.instances_checked;
    affected_ += import.affected_sboms.size();
    max_affected_ = std::max(max_affected_, import.affected_sboms.size());
    new_findings_ += import.new_findings;
  }

  void Report(benchmark::State& state) {
    ReportPercentiles(state, "", elapsed_ms_);
    ReportPercentiles(state, "cpu_", cpu_ms_);
    const auto n = static_cast<double>(std::max<std::size_t>(1, elapsed_ms_.size()));
    state.counters["instances_checked_mean"] = static_cast<double>(instances_) / n;
    state.counters["affected_sboms_mean"] = static_cast<double>(affected_) / n;
    state.counters["affected_sboms_max"] = static_cast<double>(max_affected_);
    state.counters["new_findings_mean"] = static_cast<double>(new_findings_) / n;
  }

 private:
  static void ReportPercentiles(benchmark::State& state, const std::string& prefix,
                                std::vector<double>& ms) {
    std::sort(ms.begin(), ms.end());
    state.counters[prefix + "p50_ms"] = Percentile(ms, 50);
    state.counters[prefix + "p90_ms"] = Percentile(ms, 90);
    state.counters[prefix + "p99_ms"] = Percentile(ms, 99);
    state.counters[prefix + "max_ms"] = Percentile(ms, 100);
  }

  std::vector<double> elapsed_ms_;
  std::vector<double> cpu_ms_;
  std::size_t instances_ = 0;
  std::size_t affected_ = 0;
  std::size_t max_affected_ = 0;
  std::size_t new_findings_ = 0;
};

/// One new advisory per iteration (real records, re-identified), timed by AdvisoryImport::elapsed.
void BM_IncrementalImport(benchmark::State& state, Backend backend) {
  if (SkipWithoutAdvisories(state)) {
    return;
  }
  FleetDatabase& fleet = FleetDatabaseFor(backend);
  static const std::vector<AdvisoryRecord> records = SampleAdvisoryRecords(kImportCount);
  static std::size_t serial = 0;  // ids stay new across repetitions and backends
  sbom::FleetStore store(*fleet.conn, SystemClock::Instance());
  sbom::AdvisoryDb db;
  ImportStats stats;
  for (auto _ : state) {
    const AdvisoryRecord& record = records[serial % records.size()];
    sbom::Advisory advisory = Reidentify(record.advisory, serial++);
    const Seconds cpu_start = ThreadCpuTime();
    const auto import =
        OrDie(store.ImportAdvisory(std::move(advisory), record.record, record.format, db),
              "ImportAdvisory");
    const Seconds cpu = ThreadCpuTime() - cpu_start;
    state.SetIterationTime(Seconds(import.elapsed).count());
    stats.Add(import, cpu);
  }
  stats.Report(state);
  state.counters["fleet_instances"] = static_cast<double>(fleet.instances);
  state.counters["fleet_ingest_s"] = fleet.ingest.count();
}

void RegisterIncrementalImport() {
  const auto add = [](const char* name, Backend backend) {
    benchmark::RegisterBenchmark(name, BM_IncrementalImport, backend)
        ->Iterations(kImportCount)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  };
  add("BM_IncrementalImport/sqlite", Backend::kSqlite);
  if (PostgresDsn() != nullptr) {
    add("BM_IncrementalImport/postgres", Backend::kPostgres);
  } else {
    std::fprintf(stderr,
                 "sbom_bench: HOSHI_TEST_PG_DSN not set; the PostgreSQL import "
                 "benchmark is skipped\n");
  }
}

/// --write-fleet=DIR: the 1,000-SBOM fleet for the whole-binary run of bench/run-sbom.sh.
int WriteMatchFleet(const std::string& dir) {
  if (!FindAdvisorySources()) {
    return 2;
  }
  OrDie(WriteFleet(FleetGenerator(Pool(), kMatchFleet), dir), "writing the fleet");
  std::fprintf(stderr, "sbom_bench: wrote %zu SBOMs of %zu components (from %zu packages) to %s\n",
               kMatchFleet.sboms, kMatchFleet.components, Pool().size(), dir.c_str());
  return 0;
}

}  // namespace
}  // namespace hoshi::bench

int main(int argc, char** argv) {
  using hoshi::bench::kWriteFleetFlag;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg.starts_with(kWriteFleetFlag)) {
      return hoshi::bench::WriteMatchFleet(std::string(arg.substr(kWriteFleetFlag.size())));
    }
  }
  hoshi::bench::RegisterIncrementalImport();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
