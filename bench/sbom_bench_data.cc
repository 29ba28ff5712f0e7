// SPDX-License-Identifier: Apache-2.0
// Data for the SBOM benchmarks (see sbom_bench_data.h).
#include "sbom_bench_data.h"

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hoshi/core/file.h"
#include "hoshi/sbom/purl.h"
#include "hoshi/sbom/version.h"

namespace hoshi::bench {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kMaxInputBytes = std::uint64_t{64} << 20;

/// OSV ecosystems of the shared data and the purl type a component of theirs carries.
struct EcosystemType {
  std::string_view ecosystem;
  std::string_view purl_type;
};
constexpr EcosystemType kEcosystemTypes[] = {
    {"Go", "golang"}, {"crates.io", "cargo"}, {"PyPI", "pypi"}};

std::optional<std::string_view> PurlTypeOf(std::string_view ecosystem) {
  for (const auto& row : kEcosystemTypes) {
    if (row.ecosystem == sbom::BaseEcosystem(ecosystem)) {
      return row.purl_type;
    }
  }
  return std::nullopt;
}

/// Go components carry the 'v' OSV leaves out ("1.2.3" in a record is "v1.2.3" in a go.mod).
std::string ComponentVersion(std::string_view purl_type, std::string_view osv_version) {
  if (purl_type == "golang" && !osv_version.starts_with('v')) {
    std::string version(1, 'v');
    return version.append(osv_version);
  }
  return std::string(osv_version);
}

/// Every regular file under `dir` (recursing) whose extension is one of `extensions`, sorted.
std::vector<fs::path> FilesUnder(const fs::path& dir,
                                 std::initializer_list<std::string_view> extensions) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if (it->is_regular_file(ec) &&
        std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) {
      out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Error IoError(const std::string& text) {
  return Error(ErrorCode::kIoError, LocalizedText{text, text});
}

/// A uniform double in [0, 1) from the generator's raw bits (the same on every platform, unlike
/// the standard distributions).
double Uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/// What the pool collects for one package before it becomes a PackageSample.
struct PackageVersions {
  std::string ecosystem;
  std::string name;
  std::set<std::string> versions;  ///< as OSV writes them
  std::vector<std::string> fixed;
};

void CollectVersions(const sbom::AdvisoryAffected& entry, PackageVersions& out) {
  const sbom::AffectedPackage& affected = entry.affected;
  out.versions.insert(affected.versions.begin(), affected.versions.end());
  for (const sbom::AffectedRange& range : affected.ranges) {
    if (range.type == sbom::AffectedRange::Type::kGit) {
      continue;  // commit hashes, not versions
    }
    for (const sbom::RangeEvent& event : range.events) {
      if (event.kind == sbom::RangeEvent::Kind::kLimit ||
          (event.kind == sbom::RangeEvent::Kind::kIntroduced && event.version == "0")) {
        continue;
      }
      out.versions.insert(event.version);
      if (event.kind == sbom::RangeEvent::Kind::kFixed) {
        out.fixed.push_back(event.version);
      }
    }
  }
}

/// The highest fixed version in the package's scheme ("" when no advisory names a fix).
std::string HighestFixed(const PackageVersions& package) {
  if (package.fixed.empty()) {
    return {};
  }
  const sbom::VersionScheme* scheme = sbom::SchemeFor(package.ecosystem);
  const sbom::VersionScheme& order = scheme != nullptr ? *scheme : sbom::GenericScheme();
  return *std::max_element(
      package.fixed.begin(), package.fixed.end(),
      [&](const std::string& a, const std::string& b) { return order.Compare(a, b) < 0; });
}

/// The purl of a component (Go module paths split into namespace and name).
std::optional<std::string> ComponentPurl(const PackageSample& package, std::string_view version) {
  sbom::Purl parts;
  parts.type = package.purl_type;
  parts.name = package.name;
  parts.version = std::string(version);
  if (package.purl_type == "golang") {
    if (const auto slash = package.name.rfind('/'); slash != std::string::npos) {
      parts.namespace_path = package.name.substr(0, slash);
      parts.name = package.name.substr(slash + 1);
    }
  }
  auto purl = sbom::MakePurl(std::move(parts));
  if (!purl.ok()) {
    return std::nullopt;
  }
  return sbom::ToString(*purl);
}

nlohmann::json ComponentJson(const PackageSample& package, std::string_view version) {
  const auto purl = ComponentPurl(package, version);
  if (!purl) {
    return nullptr;
  }
  return {{"type", "library"},
          {"bom-ref", *purl},
          {"name", package.name},
          {"version", version},
          {"purl", *purl}};
}

}  // namespace

void Die(std::string_view what, const Error& error) {
  std::fprintf(stderr, "sbom_bench: %.*s: %s %s\n", static_cast<int>(what.size()), what.data(),
               error.ToString(Lang::kEn).c_str(), error.detail().c_str());
  std::exit(1);  // NOLINT(concurrency-mt-unsafe): set-up failure, nothing to unwind
}

fs::path SharedDataDir() {
  const char* env = std::getenv("HOSHI_SHARED_DATA");  // NOLINT(concurrency-mt-unsafe)
  if (env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  return (fs::path(HOSHI_SOURCE_DIR) / ".." / "shared" / "data").lexically_normal();
}

const std::optional<AdvisorySources>& FindAdvisorySources() {
  static const std::optional<AdvisorySources> sources = []() -> std::optional<AdvisorySources> {
    const fs::path advisories = SharedDataDir() / "advisories";
    AdvisorySources found{
        {advisories / "osv" / "go", advisories / "osv" / "crates", advisories / "osv" / "pypi"},
        advisories / "kev" / "known_exploited_vulnerabilities.json"};
    std::vector<fs::path> needed = found.osv_dirs;
    needed.push_back(found.kev_file);
    for (const fs::path& path : needed) {
      std::error_code ec;
      if (!fs::exists(path, ec)) {
        std::fprintf(stderr,
                     "sbom_bench: %s is missing; benchmarks on the advisory data are skipped "
                     "(set HOSHI_SHARED_DATA to the shared data folder)\n",
                     path.c_str());
        return std::nullopt;
      }
    }
    return found;
  }();
  return sources;
}

const sbom::AdvisoryDb& FullAdvisoryDb() {
  static const sbom::AdvisoryDb db = [] {
    const auto& sources = FindAdvisorySources();
    sbom::AdvisoryDb out;
    if (!sources) {
      return out;
    }
    std::size_t loaded = 0;
    std::size_t failed = 0;
    for (const fs::path& dir : sources->osv_dirs) {
      const auto report = OrDie(sbom::LoadAdvisoryDirectory(dir, out), "loading " + dir.string());
      loaded += report.loaded;
      failed += report.failed;
    }
    out.SetKev(OrDie(sbom::ReadKevFile(sources->kev_file), "reading the KEV catalog"));
    std::fprintf(stderr, "sbom_bench: %zu advisories loaded (%zu records failed)\n", loaded,
                 failed);
    return out;
  }();
  return db;
}

std::vector<RealSbom> LoadRealSboms() {
  const fs::path dir = SharedDataDir() / "sbom";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::fprintf(stderr, "sbom_bench: %s is missing; the real-SBOM benchmarks are skipped\n",
                 dir.c_str());
    return {};
  }
  std::vector<RealSbom> out;
  for (const fs::path& path : FilesUnder(dir, {".json"})) {
    auto bytes = ReadFile(path.string(), kMaxInputBytes);
    if (!bytes.ok()) {
      continue;
    }
    auto document = sbom::ParseSbom(*bytes);
    if (document.ok()) {
      out.push_back({path.string(), std::move(*bytes), std::move(*document)});
    }
  }
  return out;
}

std::vector<PackageSample> PackagePool(const sbom::AdvisoryDb& db) {
  std::map<std::pair<std::string, std::string>, PackageVersions> by_key;
  db.ForEach([&](const sbom::Advisory& advisory) {
    for (const sbom::AdvisoryAffected& entry : advisory.affected) {
      const auto type = PurlTypeOf(entry.package.ecosystem);
      if (!type || entry.package.name.empty()) {
        continue;
      }
      auto key =
          std::make_pair(std::string(*type),
                         sbom::NormalizePackageName(entry.package.ecosystem, entry.package.name));
      auto [it, inserted] = by_key.try_emplace(std::move(key));
      if (inserted) {
        it->second.ecosystem = std::string(sbom::BaseEcosystem(entry.package.ecosystem));
        it->second.name = entry.package.name;
      }
      CollectVersions(entry, it->second);
    }
  });
  std::vector<PackageSample> pool;
  pool.reserve(by_key.size());
  for (const auto& [key, package] : by_key) {
    PackageSample sample{key.first, package.name, {}, {}};
    for (const std::string& version : package.versions) {
      sample.versions.push_back(ComponentVersion(sample.purl_type, version));
    }
    if (sample.versions.empty()) {
      sample.versions.push_back(ComponentVersion(sample.purl_type, "1.0.0"));
    }
    if (const std::string fixed = HighestFixed(package); !fixed.empty()) {
      sample.patched = ComponentVersion(sample.purl_type, fixed);
    }
    pool.push_back(std::move(sample));
  }
  return pool;
}

FleetGenerator::FleetGenerator(std::span<const PackageSample> pool, FleetSpec spec)
    : pool_(pool), spec_(spec), by_popularity_(pool.size()), cumulative_(pool.size()) {
  for (std::size_t i = 0; i < pool.size(); ++i) {
    by_popularity_[i] = i;
  }
  std::mt19937_64 rng(spec_.seed);
  for (std::size_t i = by_popularity_.size(); i > 1; --i) {  // Fisher-Yates
    std::swap(by_popularity_[i - 1], by_popularity_[rng() % i]);
  }
  double sum = 0;
  for (std::size_t rank = 0; rank < cumulative_.size(); ++rank) {
    sum += 1.0 / static_cast<double>(rank + 1);
    cumulative_[rank] = sum;
  }
  for (double& c : cumulative_) {
    c /= sum;
  }
}

std::string FleetGenerator::SbomJson(std::size_t index) const {
  std::mt19937_64 rng(spec_.seed ^ (0x9e3779b97f4a7c15ULL * (index + 1)));
  const std::size_t wanted = std::min(spec_.components, pool_.size());
  std::vector<bool> taken(pool_.size(), false);
  nlohmann::json components = nlohmann::json::array();
  std::size_t attempts = 0;
  while (components.size() < wanted && attempts++ < wanted * 100) {
    const auto rank = static_cast<std::size_t>(
        std::upper_bound(cumulative_.begin(), cumulative_.end(), Uniform01(rng)) -
        cumulative_.begin());
    const std::size_t pick = by_popularity_[std::min(rank, by_popularity_.size() - 1)];
    if (taken[pick]) {
      continue;
    }
    taken[pick] = true;
    const PackageSample& package = pool_[pick];
    const bool patched = !package.patched.empty() && Uniform01(rng) < spec_.patched_share;
    const std::string& version =
        patched ? package.patched : package.versions[rng() % package.versions.size()];
    if (auto component = ComponentJson(package, version); !component.is_null()) {
      components.push_back(std::move(component));
    }
  }
  const nlohmann::json bom{
      {"bomFormat", "CycloneDX"},
      {"specVersion", "1.5"},
      {"serialNumber", fmt::format("urn:uuid:00000000-0000-4000-8000-{:012x}", index)},
      {"version", 1},
      {"metadata",
       {{"component",
         {{"type", "application"},
          {"bom-ref", "fleet-app"},
          {"name", fmt::format("fleet-app-{:04}", index)},
          {"version", "1.0.0"}}}}},
      {"components", std::move(components)}};
  return bom.dump();
}

Status WriteFleet(const FleetGenerator& fleet, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (std::size_t i = 0; i < fleet.spec().sboms; ++i) {
    const fs::path path = dir / fmt::format("sbom-{:04}.json", i);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << fleet.SbomJson(i);
    if (!out.flush()) {
      return IoError("cannot write " + path.string());
    }
  }
  return Status::Ok();
}

std::vector<AdvisoryRecord> SampleAdvisoryRecords(std::size_t count) {
  const auto& sources = FindAdvisorySources();
  if (!sources || count == 0) {
    return {};
  }
  std::vector<fs::path> files;
  for (const fs::path& dir : sources->osv_dirs) {
    const auto found = FilesUnder(dir, {".json", ".yaml", ".yml"});
    files.insert(files.end(), found.begin(), found.end());
  }
  std::vector<AdvisoryRecord> out;
  const std::size_t stride = std::max<std::size_t>(1, files.size() / count);
  for (std::size_t i = 0; i < files.size() && out.size() < count; i += stride) {
    auto text = ReadFile(files[i].string(), kMaxInputBytes);
    if (!text.ok()) {
      continue;
    }
    const bool json = files[i].extension() == ".json";
    auto advisory =
        json ? sbom::ParseOsvJson(*text, files[i].string()) : sbom::ParseOsvYaml(*text, "");
    if (advisory.ok()) {
      out.push_back({std::move(*advisory), std::move(*text), json ? "json" : "yaml"});
    }
  }
  return out;
}

sbom::Advisory Reidentify(const sbom::Advisory& original, std::size_t serial) {
  sbom::Advisory advisory = original;
  advisory.id = fmt::format("HOSHI-BENCH-{:06}-{}", serial, original.id);
  advisory.content_hash = advisory.id;
  advisory.withdrawn.clear();  // a new advisory is not withdrawn
  return advisory;
}

TempDir::TempDir(std::string_view prefix) {
  std::string pattern = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    Die("mkdtemp", IoError("cannot create " + pattern));
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

double Percentile(std::span<const double> sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace hoshi::bench
