// SPDX-License-Identifier: Apache-2.0
// RITA v5 beacon scoring, re-implemented from its description (activecm/rita analysis/beacons.go
// and analysis/analysis.go are GPL-3.0; no code is copied). Statistics follow
// github.com/montanaflynn/stats, which RITA uses.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hoshi/defense/detections.h"

#include "messages_parts.h"

namespace hoshi::defense {

namespace stats {

double MedianOfSorted(std::span<const double> sorted) {
  HOSHI_DCHECK(!sorted.empty());  // callers gate on size
  const std::size_t n = sorted.size();
  if (n % 2 == 1) {
    return sorted[n / 2];
  }
  return (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

Quartiles QuartilesOfSorted(std::span<const double> sorted) {
  HOSHI_DCHECK(sorted.size() >= 2);  // both halves must be non-empty
  const std::size_t n = sorted.size();
  // Even: halves [0, n/2) and [n/2, n). Odd: the middle value belongs to neither half.
  const std::size_t lower_end = n / 2;
  const std::size_t upper_begin = n % 2 == 0 ? n / 2 : n / 2 + 1;
  return Quartiles{MedianOfSorted(sorted.first(lower_end)), MedianOfSorted(sorted),
                   MedianOfSorted(sorted.subspan(upper_begin))};
}

double MedianAbsoluteDeviation(std::span<const double> values) {
  HOSHI_DCHECK(!values.empty());  // callers gate on size
  std::vector<double> work(values.begin(), values.end());
  std::sort(work.begin(), work.end());
  const double median = MedianOfSorted(work);
  for (double& v : work) {
    v = std::abs(v - median);
  }
  std::sort(work.begin(), work.end());
  return MedianOfSorted(work);
}

double BowleySkewness(const Quartiles& q) {
  const double iqr = q.q3 - q.q1;
  if (iqr >= kBowleyMinIqr && q.q2 != q.q1 && q.q2 != q.q3) {
    return (q.q1 + q.q3 - 2 * q.q2) / iqr;
  }
  return 0;
}

double ShannonEntropy(std::string_view text) {
  if (text.empty()) {
    return 0;
  }
  std::array<std::size_t, 256> counts{};
  for (const char c : text) {
    ++counts[static_cast<unsigned char>(c)];
  }
  const auto n = static_cast<double>(text.size());
  double entropy = 0;
  for (const std::size_t count : counts) {
    if (count > 0) {
      const double p = static_cast<double>(count) / n;
      entropy -= p * std::log2(p);
    }
  }
  return entropy;
}

}  // namespace stats

namespace {

// Go's math.Round(x*1000)/1000 and math.Ceil(x*1000)/1000, which RITA applies to each score.
double Round3(double x) {
  return std::round(x * 1000) / 1000;
}
double Ceil3(double x) {
  return std::ceil(x * 1000) / 1000;
}

// The MAD score RITA uses when the median is below 1: intervals score 1 (every connection in the
// same second is perfectly regular), sizes score 0 (empty payloads say nothing).
constexpr double kIntervalDefaultMadScore = 1;
constexpr double kSizeDefaultMadScore = 0;
// Fewer values than this cannot give a skew (RITA: "at least 3 elements").
constexpr std::size_t kMinStatValues = 3;
// RITA falls back to this bimodal minimum when the configured one is below a quarter day.
constexpr int kBimodalMinHoursFloor = 6;
constexpr int kBimodalMinHoursFallback = 11;

struct StatResult {
  double score = 0;
  double median = 0;
  double mad = 0;
  double skew = 0;
  std::int64_t mode = 0;
  std::size_t mode_count = 0;
};

// (skew score + MAD score) / 2 over ascending, non-empty `sorted`, with the most frequent value
// (the smallest one on ties) as evidence.
StatResult StatisticalScore(std::span<const double> sorted, double default_mad_score) {
  StatResult r;
  r.skew = sorted.size() >= 2 ? stats::BowleySkewness(stats::QuartilesOfSorted(sorted)) : 0;
  const double skew_score = 1 - std::abs(r.skew);
  r.median = stats::MedianOfSorted(sorted);
  r.mad = stats::MedianAbsoluteDeviation(sorted);
  double mad_score = default_mad_score;
  if (r.median >= 1) {
    mad_score = (r.median - r.mad) / r.median;
  }
  if (mad_score < 0 || std::isnan(mad_score)) {
    mad_score = 0;
  }
  r.score = Round3((skew_score + mad_score) / 2);
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) {
      ++j;
    }
    if (j - i > r.mode_count) {
      r.mode_count = j - i;
      r.mode = static_cast<std::int64_t>(sorted[i]);
    }
    i = j;
  }
  return r;
}

struct HistogramResult {
  std::array<std::uint32_t, BeaconConfig::kHistogramBins> bins{};
  int bars = 0;
  int longest_run = 0;
  double cv_score = 0;
  double bimodal_score = 0;
};

HistogramResult Histogram(std::span<const double> sorted_ts, std::int64_t start_s,
                          std::int64_t end_s, const BeaconConfig& config) {
  constexpr int kBins = BeaconConfig::kHistogramBins;
  HistogramResult h;
  // Evenly spaced edges; the first and last are the window ends exactly.
  std::array<double, kBins + 1> edges{};
  const double step = static_cast<double>(end_s - start_s) / kBins;
  for (int i = 0; i <= kBins; ++i) {
    edges[i] = static_cast<double>(start_s) + i * step;
  }
  edges[0] = static_cast<double>(start_s);
  edges[kBins] = static_cast<double>(end_s);
  // A timestamp goes to the bin whose upper edge is the first one above it; anything before the
  // window lands in the first bin and anything at or after the end in the last.
  for (const double ts : sorted_ts) {
    const auto* upper = std::upper_bound(edges.begin() + 1, edges.end(), ts);
    const auto bin = std::min<std::ptrdiff_t>(upper - (edges.begin() + 1), kBins - 1);
    ++h.bins[static_cast<std::size_t>(bin)];
  }

  std::uint32_t tallest = 0;
  std::uint64_t total = 0;
  for (const std::uint32_t c : h.bins) {
    h.bars += c > 0 ? 1 : 0;
    tallest = std::max(tallest, c);
    total += c;
  }
  // Longest run of non-empty bins, wrapping from the end of the window to its start.
  int run = 0;
  for (int i = 0; i < 2 * kBins; ++i) {
    if (h.bins[static_cast<std::size_t>(i % kBins)] > 0) {
      ++run;
      h.longest_run = std::max(h.longest_run, run);
    } else {
      run = 0;
    }
  }
  h.longest_run = std::min(h.longest_run, kBins);

  // Coefficient of variation over all bins (population standard deviation).
  const double mean = static_cast<double>(total) / kBins;
  double sum_sq = 0;
  for (const std::uint32_t c : h.bins) {
    sum_sq += (c - mean) * (c - mean);
  }
  const double cv = mean > 0 ? std::sqrt(sum_sq / kBins) / mean : 0;
  h.cv_score = (total == 0 || cv > 1) ? 0 : std::min(1.0, Round3(1 - cv));

  // Bimodal fit: bar heights are put into buckets `sensitivity × tallest` wide; the two fullest
  // buckets, over the bars less the allowed outliers, measure how well 1–2 levels explain the day.
  int min_hours = config.histogram_bimodal_min_hours_seen;
  if (min_hours < kBimodalMinHoursFloor) {
    min_hours = kBimodalMinHoursFallback;
  }
  if (h.bars >= min_hours && tallest > 0) {
    const double width = std::ceil(tallest * config.histogram_mode_sensitivity);
    std::map<std::int64_t, int> buckets;
    for (const std::uint32_t c : h.bins) {
      if (c > 0) {
        ++buckets[static_cast<std::int64_t>(std::floor(c / width) * width)];
      }
    }
    int first = 0;
    int second = 0;
    for (const auto& [height, count] : buckets) {
      if (count > first) {
        second = first;
        first = count;
      } else if (count > second) {
        second = count;
      }
    }
    const double denominator =
        std::max(static_cast<double>(h.bars - config.histogram_bimodal_outlier_removal), 1.0);
    h.bimodal_score = std::min(1.0, Round3((first + second) / denominator));
  }
  return h;
}

}  // namespace

double BucketedScore(double value, const ScoreThresholds& t) {
  if (value < t.base) {
    return 0;
  }
  if (value < t.low) {
    return kNoneCategoryScore +
           (value - t.base) / (t.low - t.base) * (kLowCategoryScore - kNoneCategoryScore);
  }
  if (value < t.medium) {
    return kLowCategoryScore +
           (value - t.low) / (t.medium - t.low) * (kMediumCategoryScore - kLowCategoryScore);
  }
  const double capped = std::min(value, t.high);
  return kMediumCategoryScore +
         (capped - t.medium) / (t.high - t.medium) * (kHighCategoryScore - kMediumCategoryScore);
}

Status ValidateScoreThresholds(const ScoreThresholds& t, std::string_view name) {
  if (t.base < t.low && t.low < t.medium && t.medium < t.high) {
    return Status::Ok();
  }
  return MakeError(ErrorCode::kInvalidArgument, DetectionMessages(),
                   "defense.detect_config_invalid", fmt::format("{} must increase", name));
}

double BucketedThreat(double beacon_score, const BeaconConfig& config) {
  // Scores carry 3 decimals; rounding the product keeps 0.7 × 100 from landing a hair off 70.
  return BucketedScore(std::round(beacon_score * 100'000) / 1'000, config.score_thresholds);
}

Status ValidateBeaconConfig(const BeaconConfig& config) {
  const auto invalid = [](std::string_view what) {
    return MakeError(ErrorCode::kInvalidArgument, DetectionMessages(),
                     "defense.detect_config_invalid", what);
  };
  const double weights[] = {config.timestamp_weight, config.datasize_weight, config.duration_weight,
                            config.histogram_weight};
  double sum = 0;
  for (const double w : weights) {
    if (!(w >= 0 && w <= 1)) {
      return invalid("beacon weights must be in [0, 1]");
    }
    sum += w;
  }
  if (std::abs(sum - 1) > 1e-9) {
    return invalid(fmt::format("beacon weights must sum to 1 (sum {})", sum));
  }
  // RITA refuses fewer than 4: three intervals are the least a skew can be taken over.
  if (config.unique_connection_threshold < 4) {
    return invalid("unique_connection_threshold must be at least 4");
  }
  if (config.duration_min_hours_seen < 1 || config.duration_consistency_ideal_hours_seen < 1 ||
      config.histogram_bimodal_outlier_removal < 0 || config.window_s <= 0 ||
      !(config.histogram_mode_sensitivity > 0 && config.histogram_mode_sensitivity <= 1)) {
    return invalid("beacon hours, window and sensitivity must be positive");
  }
  return ValidateScoreThresholds(config.score_thresholds, "beacon score_thresholds");
}

std::optional<BeaconScore> ScoreBeacon(std::span<const std::int64_t> ts_s,
                                       std::span<const std::int64_t> bytes,
                                       std::int64_t window_start_s, std::int64_t window_end_s,
                                       const BeaconConfig& config) {
  if (window_end_s <= window_start_s || ts_s.empty()) {
    return std::nullopt;
  }
  std::vector<double> ts(ts_s.begin(), ts_s.end());
  std::sort(ts.begin(), ts.end());
  BeaconScore out;
  out.connections = ts.size();
  out.unique_timestamps = 1;
  for (std::size_t i = 1; i < ts.size(); ++i) {
    out.unique_timestamps += ts[i] != ts[i - 1] ? 1 : 0;
  }
  out.first_ts_s = static_cast<std::int64_t>(ts.front());
  out.last_ts_s = static_cast<std::int64_t>(ts.back());

  if (out.connections >= config.strobe_connection_threshold) {
    out.strobe = true;
    return out;
  }
  if (out.unique_timestamps < config.unique_connection_threshold ||
      out.unique_timestamps < kMinStatValues + 1 || bytes.size() < kMinStatValues) {
    return std::nullopt;
  }

  // Timestamp score over the non-zero intervals between consecutive connections.
  std::vector<double> intervals;
  intervals.reserve(ts.size() - 1);
  for (std::size_t i = 1; i < ts.size(); ++i) {
    if (ts[i] > ts[i - 1]) {
      intervals.push_back(ts[i] - ts[i - 1]);
    }
  }
  std::sort(intervals.begin(), intervals.end());
  const StatResult t = StatisticalScore(intervals, kIntervalDefaultMadScore);
  out.ts_score = t.score;
  out.ts_median_s = t.median;
  out.ts_mad_s = t.mad;
  out.ts_skew = t.skew;
  // RITA's interval mode counts the zero intervals too; ours is over the non-zero ones.
  out.ts_mode_s = t.mode;
  out.ts_mode_count = t.mode_count;

  // Data-size score over the originator IP bytes.
  std::vector<double> sizes(bytes.begin(), bytes.end());
  std::sort(sizes.begin(), sizes.end());
  const StatResult d = StatisticalScore(sizes, kSizeDefaultMadScore);
  out.ds_score = d.score;
  out.ds_median_bytes = d.median;
  out.ds_mad_bytes = d.mad;
  out.ds_skew = d.skew;
  out.ds_mode_bytes = d.mode;
  out.ds_mode_count = d.mode_count;

  // Histogram score.
  const HistogramResult h = Histogram(ts, window_start_s, window_end_s, config);
  out.histogram = h.bins;
  out.hist_bars = h.bars;
  out.longest_run = h.longest_run;
  out.hist_cv_score = h.cv_score;
  out.hist_bimodal_score = h.bimodal_score;
  out.hist_score = std::max(h.cv_score, h.bimodal_score);

  // Duration score: how much of the window the pair spans, or how long it stayed hour after hour.
  if (h.bars >= config.duration_min_hours_seen) {
    const double span = ts.back() - ts.front();
    out.dur_coverage =
        std::min(1.0, Ceil3(span / static_cast<double>(window_end_s - window_start_s)));
    out.dur_consistency = std::min(1.0, Ceil3(static_cast<double>(h.longest_run) /
                                              config.duration_consistency_ideal_hours_seen));
    out.dur_score = std::max(out.dur_coverage, out.dur_consistency);
  }

  out.score =
      Round3(config.timestamp_weight * out.ts_score + config.datasize_weight * out.ds_score +
             config.duration_weight * out.dur_score + config.histogram_weight * out.hist_score);
  return out;
}

}  // namespace hoshi::defense
