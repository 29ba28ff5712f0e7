#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Telemetry benchmarks (issue #6). Builds the `bench` preset (defense_bench and hoshitori only),
# generates a deterministic 10M-event Zeek conn.log and a 1M-indicator list (reused when already
# there), runs defense_bench's in-process benchmarks, then times whole-binary runs over the same
# files under /usr/bin/time -v, pinned to one core: `grep -F -f` (the baseline), our parse-only,
# parse + match and full pipeline, and `hoshitori telemetry analyze`. Prints events per CPU second
# (= per core) for each, and each as a multiple of grep measured in the same round.
# docs/performance.md ("Telemetry") explains the method and records the results.
#
#   bench/run-telemetry.sh [OUT_DIR]      # results in OUT_DIR (default build/bench/results-telemetry)
#
# Environment:
#   DATA_DIR            inputs (default build/bench/telemetry-data; ~1.2 GB; never committed)
#   EVENTS              events in the generated log (default 10000000)
#   ROUNDS              rounds of whole-binary runs; medians are reported (default 3)
#   REPETITIONS         Google Benchmark repetitions; medians are reported (default 3)
#   CPU                 the core every measurement is pinned to (default 0)
#   DEFENSE_BENCH_ARGS  extra Google Benchmark flags, e.g. --benchmark_filter=Parse
#   SKIP_INPROCESS=1    skip the in-process benchmarks (whole-binary runs only)
#   JOBS                build parallelism (default 2)
#
# Files in DATA_DIR, written by `defense_bench --write-data`:
#   conn.log          Zeek TSV, EVENTS records (synthetic.h: 5,000 hosts, one day)
#   indicators.txt    1,000,000 indicators, one per line (ImportPlainList's format)
#   patterns-tab.txt  the same values wrapped in tabs: grep -F then only matches whole fields
#   manifest.json     counts, including hit_lines: records whose src or dst is listed
# The data is regenerated when manifest.json is missing or names another event count.
#
# The analyze report goes to a file in a temporary folder, never to `-o /dev/null`: the CLI writes
# its output atomically (temporary file + rename), which would replace /dev/null when run as root.
set -euo pipefail

die() {
  echo "run-telemetry: $*" >&2
  exit 1
}

[[ $# -le 1 ]] || die "usage: $0 [OUT_DIR]"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(realpath -m -- "${1:-$repo/build/bench/results-telemetry}")
data=$(realpath -m -- "${DATA_DIR:-$repo/build/bench/telemetry-data}")
events=${EVENTS:-10000000}
rounds=${ROUNDS:-3}
repetitions=${REPETITIONS:-3}
cpu=${CPU:-0}
jobs=${JOBS:-2}
started=$SECONDS

if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y time >/dev/null || die "cannot install GNU time (apt-get install time)"
  else
    die "GNU time is missing: apt-get install time"
  fi
fi
command -v taskset >/dev/null || die "taskset is missing (util-linux)"
command -v python3 >/dev/null || die "python3 is needed for the summary"

echo "== build (preset bench: defense_bench, hoshitori)"
cmake --preset bench >/dev/null
cmake --build --preset bench -j "$jobs" --target defense_bench hoshitori
build=$repo/build/bench
bench=$build/bench/defense_bench
hoshitori=$build/src/app/hoshitori

mkdir -p "$out"
rm -f "$out"/time-*.txt "$out"/stdout-*.txt "$out"/stderr-*.txt "$out"/exit-*.txt \
  "$out"/loadavg-*.txt "$out"/analyze-*.summary.json
work=$(mktemp -d "${TMPDIR:-/tmp}/hoshi-run-telemetry-XXXXXX")
trap 'rm -rf "$work"' EXIT

manifest_events() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["events"])' "$1" 2>/dev/null ||
    echo 0
}
if [[ -f $data/manifest.json && $(manifest_events "$data/manifest.json") == "$events" ]]; then
  echo "== data: reusing $data"
else
  echo "== data: writing $events events and 1,000,000 indicators to $data"
  rm -f "$data/manifest.json"
  "$bench" --write-data="$data" --events="$events"
fi
cp "$data/manifest.json" "$out/manifest.json"
# Every run below reads the log from the page cache, not the disk.
cat "$data/conn.log" >/dev/null

pin=(taskset -c "$cpu")
cut -d' ' -f1-3 /proc/loadavg >"$out/loadavg-start.txt"

if [[ ${SKIP_INPROCESS:-0} != 1 ]]; then
  echo "== defense_bench (in process, 1M-event slice, $repetitions repetitions, core $cpu)"
  # shellcheck disable=SC2086  # DEFENSE_BENCH_ARGS is a list of flags
  "${pin[@]}" "$bench" --benchmark_repetitions="$repetitions" \
    --benchmark_out="$out/defense_bench.json" --benchmark_out_format=json \
    ${DEFENSE_BENCH_ARGS:-}
  cut -d' ' -f1-3 /proc/loadavg >"$out/loadavg-inprocess-end.txt"
fi

# timed NAME ROUND COMMAND...: COMMAND pinned to the core, under /usr/bin/time -v; keeps stdout,
# stderr, GNU time's figures and the exit code.
timed() {
  local name=$1 round=$2 rc=0
  shift 2
  echo "   $name"
  /usr/bin/time -v -o "$out/time-$name-$round.txt" "${pin[@]}" "$@" \
    >"$out/stdout-$name-$round.txt" 2>"$out/stderr-$name-$round.txt" || rc=$?
  echo "$rc" >"$out/exit-$name-$round.txt"
}

log=$data/conn.log
list=$data/indicators.txt
for round in $(seq 1 "$rounds"); do
  echo "== whole-binary round $round of $rounds (core $cpu)"
  cut -d' ' -f1-3 /proc/loadavg >"$out/loadavg-round-$round.txt"
  # grep: LC_ALL=C (byte matching, no UTF-8 decoding); `| wc -l` as in the issue. grep-load is
  # the pattern set alone (on /dev/null; exit 1 = no match, as expected): its CPU time is what
  # grep spends before reading the log.
  timed grep-load "$round" env LC_ALL=C grep -F -c -f "$data/patterns-tab.txt" /dev/null
  timed grep "$round" sh -c 'LC_ALL=C grep -F -f "$1" "$2" | wc -l' sh \
    "$data/patterns-tab.txt" "$log"
  timed grep-plain "$round" sh -c 'LC_ALL=C grep -F -f "$1" "$2" | wc -l' sh "$list" "$log"
  timed parse "$round" "$bench" --run=parse --log="$log"
  timed match "$round" "$bench" --run=match --log="$log" --indicators="$list"
  timed pipeline "$round" "$bench" --run=pipeline --log="$log" --indicators="$list"
  timed analyze "$round" "$hoshitori" telemetry analyze "$log" --indicators "$list" \
    --format json --progress never -o "$work/analyze.json"
  if [[ -f $work/analyze.json ]]; then
    python3 - "$work/analyze.json" >"$out/analyze-$round.summary.json" <<'PY' || true
import json, sys
report = json.load(open(sys.argv[1]))
kinds = {}
hit_events = 0
for d in report["detections"]:
    kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    if d["kind"] == "indicator_hit":
        hit_events += d["events"]
print(json.dumps({"events": report["stats"]["events"], "detections": len(report["detections"]),
                  "kinds": kinds, "indicator_hit_events": hit_events}))
PY
    stat -c %s "$work/analyze.json" >"$out/analyze-$round.bytes"
    rm -f "$work/analyze.json"
  fi
done
cut -d' ' -f1-3 /proc/loadavg >"$out/loadavg-end.txt"

echo
python3 - "$out" "$rounds" "$((SECONDS - started))" <<'PY'
import json, os, re, statistics, sys

out, rounds, total_seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def read(name, default=""):
    path = os.path.join(out, name)
    return open(path).read() if os.path.exists(path) else default

manifest = json.loads(read("manifest.json", "{}"))
events = manifest.get("events", 0)

def gnu_time(name, round_):
    text = read(f"time-{name}-{round_}.txt")
    def number(pattern):
        m = re.search(pattern, text)
        return float(m.group(1)) if m else None
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    seconds = None
    if wall:
        h, m, s = wall.groups()
        seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    user = number(r"User time \(seconds\): ([\d.]+)")
    system = number(r"System time \(seconds\): ([\d.]+)")
    rss = number(r"Maximum resident set size \(kbytes\): (\d+)")
    return {"wall": seconds, "user": user, "sys": system,
            "cpu": None if user is None or system is None else user + system,
            "rss_mib": None if rss is None else rss / 1024}

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

def fmt(value, pattern):
    return "-" if value is None else pattern.format(value)

names = ["grep-load", "grep", "grep-plain", "parse", "match", "pipeline", "analyze"]
runs = {n: [gnu_time(n, r) for r in range(1, rounds + 1)] for n in names}
stdout = {n: [read(f"stdout-{n}-{r}.txt").strip() for r in range(1, rounds + 1)] for n in names}
exits = {n: [read(f"exit-{n}-{r}.txt").strip() for r in range(1, rounds + 1)] for n in names}

def own(name, key):
    """A field of defense_bench --run's JSON line, per round."""
    values = []
    for text in stdout[name]:
        try:
            values.append(json.loads(text.splitlines()[-1])[key])
        except (ValueError, IndexError, KeyError):
            values.append(None)
    return values

context = json.loads(read("defense_bench.json", "{}") or "{}")
print(f"Telemetry benchmarks: {context.get('context', {}).get('num_cpus', os.cpu_count())} CPUs;"
      f" load average at start {read('loadavg-start.txt').strip()},"
      f" per round {', '.join(read(f'loadavg-round-{r}.txt').strip().split(' ')[0] for r in range(1, rounds + 1))},"
      f" at end {read('loadavg-end.txt').strip()}")
print(f"Log: {events:,} events, {manifest.get('log_bytes', 0) / 2**20:,.0f} MiB;"
      f" {manifest.get('indicators', 0):,} indicators; hit lines expected"
      f" {manifest.get('hit_lines', 0):,}")
print()

# In process (median of the repetitions).
bench = context.get("benchmarks", [])
def aggregate(prefix, key):
    for b in bench:
        if b.get("run_name", "").startswith(prefix) and b.get("aggregate_name") == "median":
            return b.get(key)
    values = [b.get(key) for b in bench if b.get("run_name", b["name"]).startswith(prefix)
              and b.get("run_type") != "aggregate"]
    return median(values)

if bench:
    print("In process (1M-event slice; CPU time of the pass; median of repetitions):")
    print(f"  {'benchmark':<18} {'events/s/core':>14} {'ns/event':>9} {'MiB/s':>8} {'x parse':>8}")
    for name in ("BM_SplitLines", "BM_ParseOnly", "BM_ParseAndMatch", "BM_FullPipeline",
                 "BM_MatchOnly", "BM_DetectOnly"):
        ips = aggregate(name, "items_per_second")
        bps = aggregate(name, "bytes_per_second")
        print(f"  {name[3:]:<18} {fmt(ips, '{:14,.0f}')}"
              f" {fmt(None if not ips else 1e9 / ips, '{:9.0f}')}"
              f" {fmt(None if bps is None else bps / 2**20, '{:8.1f}')}"
              f" {fmt(aggregate(name, 'x_parse_only'), '{:7.2f}x')}")
    print(f"  hit lines (ParseAndMatch / expected): {fmt(aggregate('BM_ParseAndMatch', 'hit_lines'), '{:,.0f}')}"
          f" / {fmt(aggregate('BM_ParseAndMatch', 'expected_hit_lines'), '{:,.0f}')};"
          f" DetectOnly: add {fmt(aggregate('BM_DetectOnly', 'add_ns_per_event'), '{:,.0f}')} ns/event,"
          f" finish {fmt(aggregate('BM_DetectOnly', 'finish_ms'), '{:,.0f}')} ms")
    print()
    print("IndicatorSet, 1M indicators (median of repetitions):")
    print(f"  {'kind':<10} {'heap MiB/M':>10} {'B/ind':>7} {'set B/ind':>9} {'import s':>9}"
          f" {'freeze s':>9}")
    for arg, label in enumerate(("ipv4", "cidr", "domain", "mix")):
        prefix = f"BM_BuildIndicators/kind:{arg}/"
        print(f"  {label:<10} {fmt(aggregate(prefix, 'heap_MiB_per_million'), '{:10.1f}')}"
              f" {fmt(aggregate(prefix, 'heap_B_per_ind'), '{:7.1f}')}"
              f" {fmt(aggregate(prefix, 'set_B_per_ind'), '{:9.1f}')}"
              f" {fmt(aggregate(prefix, 'import_s'), '{:9.3f}')}"
              f" {fmt(aggregate(prefix, 'freeze_s'), '{:9.3f}')}")
    print()

# Whole binary.
grep_cpu = median(r["cpu"] for r in runs["grep"])
grep_load = median(r["cpu"] for r in runs["grep-load"])
def ratio_to_grep(name):
    """Per round: grep's CPU time ÷ this run's (> 1: faster than grep); median."""
    values = []
    for mine, theirs in zip(runs[name], runs["grep"]):
        if mine["cpu"] and theirs["cpu"]:
            values.append(theirs["cpu"] / mine["cpu"])
    return median(values)

print(f"Whole binary, {events:,} events, pinned to one core (median of {rounds} rounds;"
      f" CPU = user + sys):")
print(f"  {'run':<11} {'wall s':>7} {'CPU s':>7} {'events/s/core':>14} {'x grep':>7}"
      f" {'peak RSS MiB':>12} {'count':>10}  exit")
counts = {
    "grep-load": [None] * rounds,
    "grep": [int(t) if t.isdigit() else None for t in stdout["grep"]],
    "grep-plain": [int(t) if t.isdigit() else None for t in stdout["grep-plain"]],
    "parse": own("parse", "events"),
    "match": own("match", "hit_lines"),
    "pipeline": own("pipeline", "detections"),
    "analyze": [json.loads(read(f"analyze-{r}.summary.json", "{}") or "{}").get("detections")
                for r in range(1, rounds + 1)],
}
for name in names:
    cpu = median(r["cpu"] for r in runs[name])
    rate = None if name == "grep-load" or not cpu else events / cpu
    count = median(counts[name])
    print(f"  {name:<11} {fmt(median(r['wall'] for r in runs[name]), '{:7.1f}')}"
          f" {fmt(cpu, '{:7.1f}')} {fmt(rate, '{:14,.0f}')}"
          f" {fmt(None if name == 'grep-load' else ratio_to_grep(name), '{:6.2f}x')}"
          f" {fmt(median(r['rss_mib'] for r in runs[name]), '{:12.0f}')}"
          f" {fmt(count, '{:10,.0f}')}  {','.join(exits[name])}")
print("  count: grep = matching lines; parse = events; match = hit lines; pipeline/analyze ="
      " detections")
print()
scan = {n: median(own(n, "scan_cpu_s")) for n in ("parse", "match", "pipeline")}
load = median(own("match", "load_cpu_s"))
if grep_cpu and grep_load is not None:
    grep_scan = grep_cpu - grep_load
    print(f"Without loading the indicators (grep: minus the grep-load run; ours: scan_cpu_s):")
    print(f"  grep scan only      {grep_scan:7.1f} s  {events / grep_scan:14,.0f} events/s/core")
    for n, value in scan.items():
        if value:
            print(f"  {n + ' scan only':<19} {value:7.1f} s  {events / value:14,.0f} events/s/core"
                  f"  {grep_scan / value:5.2f}x grep")
    print(f"  pipeline after the scan: Finish {fmt(median(own('pipeline', 'finish_cpu_s')), '{:.1f}')} s,"
          f" destroying the engine {fmt(median(own('pipeline', 'destroy_cpu_s')), '{:.1f}')} s")
    print(f"  loading 1M indicators: grep {grep_load:.1f} s CPU, ours {fmt(load, '{:.1f}')} s CPU"
          f" (import + freeze, {fmt(median(own('match', 'set_heap_bytes')), '{:,.0f}')} bytes)")
print()
hit_lines = manifest.get("hit_lines")
print("Hit-line check (records whose src or dst is listed):"
      f" expected {hit_lines:,}; grep (tab-delimited) {counts['grep']};"
      f" ours {own('match', 'hit_lines')}; pipeline indicator_hit events"
      f" {[json.loads(read(f'analyze-{r}.summary.json', '{}') or '{}').get('indicator_hit_events') for r in range(1, rounds + 1)]};"
      f" grep with plain patterns (substrings) {counts['grep-plain']}")
print()
print(f"run-telemetry.sh took {total_seconds // 60} min {total_seconds % 60} s; results in {out}")
PY
