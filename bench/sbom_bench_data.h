// SPDX-License-Identifier: Apache-2.0
// Data for the SBOM benchmarks: the shared real data (SBOMs, OSV advisories, KEV), a fleet of
// CycloneDX SBOMs generated from real package names and versions, and small helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/sbom/advisory.h"
#include "hoshi/sbom/document.h"

namespace hoshi::bench {

/// Prints the error (English text and detail) and exits: benchmark set-up must not go on half
/// initialised.
[[noreturn]] void Die(std::string_view what, const Error& error);

/// Unwraps a result or dies naming `what`.
template <typename T>
T OrDie(Result<T> result, std::string_view what) {
  if (!result.ok()) {
    Die(what, result.error());
  }
  return std::move(result).value();
}
inline void OrDie(const Status& status, std::string_view what) {
  if (!status.ok()) {
    Die(what, status.error());
  }
}

/// The shared real data: $HOSHI_SHARED_DATA, else <repo>/../shared/data.
[[nodiscard]] std::filesystem::path SharedDataDir();

/// The shared data's OSV folders (go, crates, pypi) and KEV file, or nullopt (with the reason
/// printed once) when any is missing.
struct AdvisorySources {
  std::vector<std::filesystem::path> osv_dirs;
  std::filesystem::path kev_file;
};
[[nodiscard]] const std::optional<AdvisorySources>& FindAdvisorySources();

/// Every OSV record, the KEV catalog applied (loaded once per process).
[[nodiscard]] const sbom::AdvisoryDb& FullAdvisoryDb();

/// A real SBOM from the shared data: its bytes and what ParseSbom made of them.
struct RealSbom {
  std::string path;
  std::string bytes;
  sbom::SbomDocument document;
};

/// Every .json under <shared>/sbom that ParseSbom accepts, sorted by path (VEX-only CycloneDX
/// documents included: they are SBOMs with few components). Empty when the folder is missing.
[[nodiscard]] std::vector<RealSbom> LoadRealSboms();

/// A package named in the advisory data, with versions to draw from: the advisories' listed
/// versions and range events (introduced, fixed, last_affected), i.e. affected and unaffected
/// versions, written as a component would carry them (Go versions with their 'v').
struct PackageSample {
  std::string purl_type;  ///< "golang", "cargo", "pypi"
  std::string name;       ///< the OSV name (Go module path, crate, PyPI project)
  std::vector<std::string> versions;
  std::string patched;  ///< the highest fixed version ("" when no advisory names a fix)
};

/// The packages of every advisory in `db` whose ecosystem has a purl type, sorted by
/// (type, name) so the pool is the same on every run.
[[nodiscard]] std::vector<PackageSample> PackagePool(const sbom::AdvisoryDb& db);

/// A generated fleet: `sboms` CycloneDX documents of `components` distinct packages each. Package
/// popularity follows a Zipf law (exponent 1) over a seeded shuffle of the pool, so a few
/// packages are in nearly every SBOM and most in a few. A component is at its package's patched
/// version with probability `patched_share`, else at a version drawn uniformly from `versions`.
struct FleetSpec {
  std::size_t sboms = 1'000;
  std::size_t components = 500;
  double patched_share = 0.8;
  std::uint64_t seed = 0x5b0f1ee7;
};

/// Draws the fleet's SBOMs one at a time; SBOM i is the same whatever was drawn before.
class FleetGenerator {
 public:
  FleetGenerator(std::span<const PackageSample> pool, FleetSpec spec);
  [[nodiscard]] const FleetSpec& spec() const { return spec_; }
  /// CycloneDX 1.5 JSON of SBOM `index` (< spec().sboms).
  [[nodiscard]] std::string SbomJson(std::size_t index) const;

 private:
  std::span<const PackageSample> pool_;
  FleetSpec spec_;
  std::vector<std::size_t> by_popularity_;  ///< pool indexes, most popular first
  std::vector<double> cumulative_;          ///< Zipf CDF over by_popularity_
};

/// Writes every SBOM of the fleet to `dir` as sbom-NNNN.json (the folder is created).
[[nodiscard]] Status WriteFleet(const FleetGenerator& fleet, const std::filesystem::path& dir);

/// A real OSV record and its source text, as FleetStore::ImportAdvisory takes them.
struct AdvisoryRecord {
  sbom::Advisory advisory;
  std::string record;
  std::string format;  ///< "json" or "yaml"
};

/// `count` records spread evenly over the sorted OSV files of every folder.
[[nodiscard]] std::vector<AdvisoryRecord> SampleAdvisoryRecords(std::size_t count);

/// A copy of `original` that the store has never seen: id "HOSHI-BENCH-<serial>-<id>", a fresh
/// content hash, not withdrawn.
[[nodiscard]] sbom::Advisory Reidentify(const sbom::Advisory& original, std::size_t serial);

/// A folder under the system temp directory, removed with its contents on destruction.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The nearest-rank percentile (0 < p ≤ 100) of ascending `sorted` values (0 when empty).
[[nodiscard]] double Percentile(std::span<const double> sorted, double p);

}  // namespace hoshi::bench
