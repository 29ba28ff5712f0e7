// SPDX-License-Identifier: Apache-2.0
// Detections over normalised events (issue #6): C2 beaconing scored the way RITA v5 scores it,
// strobes, long connections, DNS names with random-looking labels, C2 over DNS (many unique
// subdomains), and indicator hits through a lookup hook.
//
// Beacon scoring re-implements RITA v5 (activecm/rita, analysis/beacons.go and
// analysis/analysis.go; GPL-3.0, re-implemented from its description, no code copied) with the
// defaults of its default_config.hjson (reference notes: defense-anchors.md §1.7). Each config
// field below names the RITA setting it mirrors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/i18n.h"
#include "hoshi/core/json.h"
#include "hoshi/core/result.h"
#include "hoshi/defense/event.h"

namespace hoshi::defense {

// ---------------------------------------------------------------------------------------------
// Statistics (exactly as RITA v5 computes them; exposed for tests and for the UI's evidence).
// ---------------------------------------------------------------------------------------------
namespace stats {

/// The three quartile points.
struct Quartiles {
  double q1 = 0;
  double q2 = 0;
  double q3 = 0;
  bool operator==(const Quartiles&) const = default;
};

/// Median of an ascending range (mean of the two middle values when the size is even).
/// Precondition: !sorted.empty().
[[nodiscard]] double MedianOfSorted(std::span<const double> sorted);

/// Quartiles the way github.com/montanaflynn/stats Quartile() takes them (Tukey's hinges without
/// the median): Q2 is the median; for an even size n, Q1/Q3 are the medians of the first/last n/2
/// values; for an odd size the middle value is left out of both halves.
/// Precondition: sorted.size() >= 2, ascending.
[[nodiscard]] Quartiles QuartilesOfSorted(std::span<const double> sorted);

/// Median absolute deviation about the median: median(|x - median(x)|). Any order.
/// Precondition: !values.empty().
[[nodiscard]] double MedianAbsoluteDeviation(std::span<const double> values);

/// RITA v5's gate on Bowley skewness: the skew is only computed when the inter-quartile range is
/// at least this many units (seconds for intervals, bytes for sizes).
inline constexpr double kBowleyMinIqr = 10;

/// Bowley (quartile) skewness (Q1 + Q3 - 2·Q2) / (Q3 - Q1), set to 0 when Q3 - Q1 < kBowleyMinIqr,
/// Q2 == Q1 or Q2 == Q3 (RITA v5 calculateBowleySkewness).
[[nodiscard]] double BowleySkewness(const Quartiles& q);

/// Shannon entropy in bits per character of the bytes of `text` (0 for empty text).
[[nodiscard]] double ShannonEntropy(std::string_view text);

}  // namespace stats

// ---------------------------------------------------------------------------------------------
// Beacon scoring (RITA v5).
// ---------------------------------------------------------------------------------------------

/// Piecewise-linear threat buckets (RITA `score_thresholds`, `long_connection_score_thresholds`,
/// `c2_score_thresholds`): value < base → 0; base…low → 0.2…0.4; low…medium → 0.4…0.6;
/// medium…high → 0.6…0.8; ≥ high → 0.8. Requires base < low < medium < high.
struct ScoreThresholds {
  double base = 0;
  double low = 0;
  double medium = 0;
  double high = 0;
};

/// The threat categories RITA's buckets interpolate between (config/config.go:
/// NONE/LOW/MEDIUM/HIGH_CATEGORY_SCORE).
inline constexpr double kNoneCategoryScore = 0.2;
inline constexpr double kLowCategoryScore = 0.4;
inline constexpr double kMediumCategoryScore = 0.6;
inline constexpr double kHighCategoryScore = 0.8;

/// RITA's calculateBucketedScore: `value` mapped through `thresholds` to a 0…0.8 threat score.
[[nodiscard]] double BucketedScore(double value, const ScoreThresholds& thresholds);

/// Checks base < low < medium < high. Error: kInvalidArgument naming `name`.
[[nodiscard]] Status ValidateScoreThresholds(const ScoreThresholds& thresholds,
                                             std::string_view name);

/// RITA `scoring.beacon` defaults (default_config.hjson) plus the strobe limit.
struct BeaconConfig {
  /// `unique_connection_threshold`: fewer unique timestamps → not analysed (RITA requires ≥ 4).
  std::size_t unique_connection_threshold = 4;
  /// `timestamp_/datasize_/duration_/histogram_score_weight`; must be in [0, 1] and sum to 1.
  double timestamp_weight = 0.25;
  double datasize_weight = 0.25;
  double duration_weight = 0.25;
  double histogram_weight = 0.25;
  /// `duration_min_hours_seen`: non-empty hourly bins needed before a duration score is given.
  int duration_min_hours_seen = 6;
  /// `duration_consistency_ideal_hours_seen`: a run of this many consecutive non-empty hours
  /// scores 1.
  int duration_consistency_ideal_hours_seen = 12;
  /// `histogram_mode_sensitivity`: bucket width of the bar-height histogram, as a fraction of the
  /// tallest bar.
  double histogram_mode_sensitivity = 0.05;
  /// `histogram_bimodal_outlier_removal`: bars that may be ignored as outliers in the bimodal fit.
  int histogram_bimodal_outlier_removal = 1;
  /// `histogram_bimodal_min_hours_seen`: non-empty bins needed before the bimodal fit is used.
  int histogram_bimodal_min_hours_seen = 11;
  /// `score_thresholds` (beacon score × 100).
  ScoreThresholds score_thresholds{50, 70, 90, 100};
  /// Connections per pair at which it is a strobe instead (RITA: 86,400, one per second a day).
  std::size_t strobe_connection_threshold = 86'400;
  /// Length of the analysis window ending at the newest timestamp (RITA: the last 24 h).
  std::int64_t window_s = 86'400;
  /// Number of histogram bins over the window (RITA: 24, one per hour).
  static constexpr int kHistogramBins = 24;
};

/// The scores of one (source, destination) pair and the evidence behind them.
struct BeaconScore {
  // Scores, each in [0, 1], rounded to 3 decimals as RITA does.
  double ts_score = 0;                ///< (skew score + MAD score) / 2 over the intervals
  double ds_score = 0;                ///< (skew score + MAD score) / 2 over the data sizes
  double hist_score = 0;              ///< max(CV score, bimodal fit score) of the 24-bin histogram
  double dur_score = 0;               ///< max(coverage, consistency) when enough hours are seen
  double score = 0;                   ///< weighted sum; 0 for a strobe (not scored)
  std::size_t connections = 0;        ///< timestamps given (non-unique)
  std::size_t unique_timestamps = 0;  ///< distinct seconds
  bool strobe = false;  ///< connections ≥ strobe threshold: not scored, reported as a strobe

  // Evidence: intervals (seconds, zero intervals dropped).
  double ts_median_s = 0;
  double ts_mad_s = 0;
  double ts_skew = 0;
  std::int64_t ts_mode_s = 0;  ///< most frequent interval (smallest on ties)
  std::size_t ts_mode_count = 0;
  // Evidence: data sizes (originator IP bytes).
  double ds_median_bytes = 0;
  double ds_mad_bytes = 0;
  double ds_skew = 0;
  std::int64_t ds_mode_bytes = 0;
  std::size_t ds_mode_count = 0;
  // Evidence: histogram and duration.
  std::array<std::uint32_t, BeaconConfig::kHistogramBins> histogram{};
  double hist_cv_score = 0;
  double hist_bimodal_score = 0;
  int hist_bars = 0;    ///< non-empty bins
  int longest_run = 0;  ///< longest run of non-empty bins, wrapping around
  double dur_coverage = 0;
  double dur_consistency = 0;
  std::int64_t first_ts_s = 0;
  std::int64_t last_ts_s = 0;
};

/// Scores one pair. `ts_s` are connection start times in Unix seconds (any order, repeats
/// allowed) and `bytes` the originator IP bytes per connection (Zeek orig_ip_bytes; any order, its
/// own length). The window is [window_start_s, window_end_s] (RITA: the last 24 h of the dataset,
/// whose newest timestamp is window_end_s); timestamps before the window start fall in the first
/// bin, as in RITA.
/// Returns nullopt when the gates say "not analysed": window_end_s <= window_start_s, fewer than
/// config.unique_connection_threshold unique timestamps, or bytes.size() < 3. Returns a score with
/// `strobe` set (and no sub-scores) when ts_s.size() ≥ config.strobe_connection_threshold.
/// The weights are used as given: check them with ValidateBeaconConfig first. Thread-safe.
[[nodiscard]] std::optional<BeaconScore> ScoreBeacon(std::span<const std::int64_t> ts_s,
                                                     std::span<const std::int64_t> bytes,
                                                     std::int64_t window_start_s,
                                                     std::int64_t window_end_s,
                                                     const BeaconConfig& config = {});

/// RITA's beacon threat: BucketedScore(beacon_score × 100, config.score_thresholds); with the
/// defaults 0.5 → 0.2, 0.7 → 0.4, 0.9 → 0.6, 1.0 → 0.8, below 0.5 → 0.
[[nodiscard]] double BucketedThreat(double beacon_score, const BeaconConfig& config = {});

/// Checks the weights (each in [0, 1], sum 1 within 1e-9), the thresholds (increasing) and the
/// counts (unique threshold ≥ 4, hours ≥ 1, window > 0). Error: kInvalidArgument.
[[nodiscard]] Status ValidateBeaconConfig(const BeaconConfig& config);

// ---------------------------------------------------------------------------------------------
// DNS names.
// ---------------------------------------------------------------------------------------------

/// Settings for "random-looking" DNS labels (our own rule; RITA has no entropy test).
///
/// A name is split into its registered domain (approximated by RegisteredDomain) and the
/// subdomain part in front of it. The subdomain is cut into tokens at '.', '-' and '_'; IDN
/// A-labels ("xn--…", common under .jp) are skipped because Punycode is legitimately
/// random-looking. A token is random-looking when it is at least `min_token_length` long, mixes
/// letters and digits, and its Shannon entropy is at least `min_entropy_bits` per character.
///
/// Why these numbers: measured over 2,000 random strings each, the median entropy of a 16-char
/// token is 3.20 bits (hex), 3.63 (base32) and 3.63 (base36); at 32 chars 3.62 / 4.19 / 4.29.
/// The 3.5 bits often suggested would miss most hex tokens (dnscat2 uses hex), so the entropy bar
/// is 3.0 and the false positives are kept out by the other two conditions instead: tokens are cut
/// at hyphens ("my-load-balancer-1234567890" as a whole label has 4.33 bits), and long tokens
/// without digits are words ("googleusercontent": 17 chars, 3.18 bits).
struct DnsEntropyConfig {
  std::size_t min_token_length = 16;
  double min_entropy_bits = 3.0;
};

/// What one DNS name looks like.
struct DnsNameInfo {
  std::string registered_domain;  ///< "example.co.jp"; empty for single-label names
  std::string subdomain;          ///< the part in front of it, without the joining dot
  std::string token;              ///< the highest-entropy random-looking token, else ""
  double entropy = 0;             ///< of `token`
  bool high_entropy = false;      ///< a random-looking token was found
};

/// The registered domain ("eTLD+1"), approximated without the Public Suffix List: the last two
/// labels, or the last three when the last two are a known two-level public suffix (co.jp, ne.jp,
/// or.jp, ac.jp, go.jp, ad.jp, ed.jp, gr.jp, lg.jp; co.uk, org.uk, ac.uk, gov.uk; com.au, net.au,
/// org.au; co.nz; co.kr; com.cn; com.tw; com.hk; com.sg; co.in; com.br). A name with one label
/// is returned whole. Japanese geographic names (city.shibuya.tokyo.jp) count as "tokyo.jp".
[[nodiscard]] std::string_view RegisteredDomain(std::string_view name);

/// Splits and scores `name` (lower case, no trailing dot) by the rule of DnsEntropyConfig.
[[nodiscard]] DnsNameInfo AnalyseDnsName(std::string_view name,
                                         const DnsEntropyConfig& config = {});

// ---------------------------------------------------------------------------------------------
// Indicator hook.
// ---------------------------------------------------------------------------------------------

/// One indicator that matched.
struct IndicatorHit {
  std::string indicator;  ///< the matched value as listed ("198.51.100.7", "evil.example")
  std::string type;       ///< "ip", "cidr", "domain", …
  std::string source;     ///< feed or list name
  int score = -1;         ///< list score or STIX confidence (0–100); -1 unknown
  std::string stix_id;    ///< "indicator--…" or ""
  std::string tlp;        ///< TLP marking or ""
};

/// How the engine asks about indicators, without depending on how they are stored. The
/// indicators module's IndicatorSet plugs in through a small adapter: LookupIp calls
/// IndicatorSet::MatchIp(ip, ts_us) and LookupDomain calls MatchDomain(name, ts_us), each
/// turning the IndicatorView into an IndicatorHit. Implementations must be safe to call from the
/// thread that runs the engine.
class IndicatorLookup {
 public:
  virtual ~IndicatorLookup() = default;
  /// An indicator covering `ip` that is valid at `ts_us`.
  [[nodiscard]] virtual std::optional<IndicatorHit> LookupIp(const IpAddress& ip,
                                                             std::int64_t ts_us) const = 0;
  /// An indicator for `name` (a DNS query, TLS SNI or HTTP host, lower case) or a parent domain,
  /// valid at `ts_us`.
  [[nodiscard]] virtual std::optional<IndicatorHit> LookupDomain(std::string_view name,
                                                                 std::int64_t ts_us) const = 0;
};

// ---------------------------------------------------------------------------------------------
// Detections and the engine.
// ---------------------------------------------------------------------------------------------

/// One finding, with its threat score (0…1, RITA's scale: 0.2 none/low … 0.8 high) and the
/// evidence behind it.
// clang-tidy 14 cannot see that nlohmann::json's noexcept move constructor does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct Detection {
  enum class Kind : std::uint8_t {
    kBeacon,          ///< regular connections from src to dst (IP pair) or to `name` (SNI/Host)
    kStrobe,          ///< ≥ 86,400 connections in the window: too many to score
    kLongConnection,  ///< total connection time of the pair over the window
    kDnsEntropy,      ///< src asked for random-looking names under `name`
    kC2OverDns,       ///< many unique subdomains of `name` (all sources together)
    kIndicatorHit,    ///< src, dst or name matched an indicator
  };
  Kind kind = Kind::kBeacon;
  IpAddress src;
  IpAddress dst;     ///< unspecified when the finding is about a name
  std::string name;  ///< SNI/Host (SNI beacons), registered domain (DNS), or the indicator
  double score = 0;  ///< threat score in [0, 1]
  std::int64_t first_ts_us = 0;
  std::int64_t last_ts_us = 0;
  std::size_t events = 0;  ///< events behind the finding
  Json evidence;           ///< kind-specific fields (snake_case keys), see DetectionEngine
};

/// "beacon", "strobe", "long_connection", "dns_entropy", "c2_over_dns", "indicator_hit".
[[nodiscard]] std::string_view DetectionKindName(Detection::Kind kind);

/// The user-facing one-line description, Japanese and English ("defense.detect_*" messages).
[[nodiscard]] LocalizedText Describe(const Detection& detection);

/// Everything the engine can be told. Defaults are RITA v5's where RITA has the setting.
struct DetectionConfig {
  BeaconConfig beacon;
  /// Pairs whose beacon score is below this are not reported (default: RITA's base threshold,
  /// 50 → 0.5, below which the beacon threat is 0). Set 0 to see every analysed pair.
  double beacon_report_min_score = 0.5;
  /// `long_connection_minimum_duration` (seconds of connection time per pair in the window).
  double long_connection_minimum_duration_s = 3'600;
  /// `long_connection_score_thresholds`: 1 h / 4 h / 8 h / 12 h.
  ScoreThresholds long_connection_score_thresholds{3'600, 14'400, 28'800, 43'200};
  /// `c2_subdomain_threshold` and `c2_score_thresholds` (unique subdomains per registered domain).
  std::size_t c2_subdomain_threshold = 100;
  ScoreThresholds c2_score_thresholds{100, 500, 800, 1'000};
  /// `strobe_impact` and `threat_intel_impact`: category "high".
  double strobe_score = kHighCategoryScore;
  double indicator_score = kHighCategoryScore;
  /// DNS random-looking names (ours): the token rule, and the buckets over the number of distinct
  /// such names one source asked for under one registered domain — fewer than 5 is not reported
  /// (CDN and load-balancer names are occasionally random-looking; tunnels send hundreds).
  DnsEntropyConfig dns_entropy;
  ScoreThresholds dns_entropy_score_thresholds{5, 20, 50, 100};
  /// RITA's import filters (`filtering`): "internal" means IpAddress::IsPrivate(). Apply to
  /// connection-based detections (beacons, strobes, long connections), not to DNS or indicators.
  bool filter_internal_to_internal = true;
  bool filter_external_to_internal = true;
  /// At most this many example names/ports in an evidence list.
  std::size_t max_evidence_items = 10;
};

/// Accumulates events and reports detections.
///
/// * Beacons and strobes: per (src, dst) IP pair from kConn/kFlow events, and per (src, name)
///   from kTls/kHttp events (RITA's "sni" beacon type). A TLS/HTTP event takes its timestamp and
///   bytes from the connection with the same uid when there is one (else its own). As in RITA,
///   an IP pair with any connection that belongs to an SNI pair that passed the gates is not
///   analysed for beaconing (its long connections still are).
///   The window is the last `beacon.window_s` seconds up to the newest connection timestamp, and
///   connections from the start of that window's first hour on count (RITA filters by hour).
///   Evidence: beacon_type ("ip"/"sni"), beacon_score, the four sub-scores, the interval and size
///   statistics, histogram (24 counts), window, dst_ports.
/// * Long connections: per IP pair, the summed duration of connections that end inside the
///   window; evidence total_duration_s, longest_s, connections, dst_ports.
/// * DNS (kDns events): per (src, registered domain) the distinct random-looking names
///   (evidence: distinct_names, examples, max_entropy); per registered domain the number of
///   unique subdomains from all sources (RITA's C2 over DNS; evidence: unique_subdomains,
///   queriers). Reverse lookups (*.arpa) are ignored.
/// * Indicator hits: when a lookup is set, every event's src, dst and name are asked about; hits
///   are grouped per (src, dst, indicator).
///
/// Memory: about 32 bytes per connection event until Finish(). Not thread-safe.
class DetectionEngine {
 public:
  /// Error: kInvalidArgument when the config fails ValidateBeaconConfig, a threshold set is not
  /// increasing, a score is outside [0, 1] or min_token_length is 0.
  [[nodiscard]] static Result<DetectionEngine> Create(DetectionConfig config = {});

  DetectionEngine(DetectionEngine&&) noexcept;
  DetectionEngine& operator=(DetectionEngine&&) noexcept;
  DetectionEngine(const DetectionEngine&) = delete;
  DetectionEngine& operator=(const DetectionEngine&) = delete;
  ~DetectionEngine();

  /// Indicator hits are reported when a lookup is set. Not owned: it must outlive the engine (or
  /// be reset with nullptr). Hook for the indicators module: wrap IndicatorSet in an
  /// IndicatorLookup adapter and pass it here.
  void SetIndicatorLookup(const IndicatorLookup* lookup);

  void Add(const Event& event);
  void Add(std::span<const Event> events);

  /// Runs the analyses and returns the detections, highest score first (ties: kind, src, dst,
  /// name). The accumulated state is kept, so Finish can be called again after more Add calls.
  [[nodiscard]] std::vector<Detection> Finish() const;

  [[nodiscard]] const DetectionConfig& config() const;

 private:
  struct State;
  explicit DetectionEngine(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace hoshi::defense
