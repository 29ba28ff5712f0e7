#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# SBOM benchmarks (issue #5). Builds the `bench` preset (sbom_bench and hoshitori only), runs
# sbom_bench with JSON output, writes the generated 1,000-SBOM fleet, times the real binary
# (`hoshitori sbom scan`) under /usr/bin/time -v on that fleet and on the shared real SBOMs, and
# prints a summary table. docs/performance.md explains the method and records the results.
#
#   bench/run-sbom.sh [--postgres] [OUT_DIR]    # results in OUT_DIR (default build/bench/results)
#
# --postgres adds the PostgreSQL import benchmark on a throwaway cluster (tools/pg-test-cluster.sh,
# Debian's postgresql-15), unless HOSHI_TEST_PG_DSN already names a server.
#
# Environment:
#   HOSHI_SHARED_DATA   the shared data folder (default <repo>/../shared/data); missing: skip
#   HOSHI_TEST_PG_DSN   adds the PostgreSQL import benchmark on that server
#   SBOM_BENCH_ARGS     extra Google Benchmark flags, e.g. --benchmark_filter=Scan
#   JOBS                build parallelism (default 2)
#
# The scan report goes to a file in a temporary folder, never to `-o /dev/null`: the CLI writes
# its output atomically (temporary file + rename), which would replace /dev/null when run as root.
set -euo pipefail

die() {
  echo "run-sbom: $*" >&2
  exit 1
}

postgres=0
if [[ ${1:-} == --postgres ]]; then
  postgres=1
  shift
fi
[[ $# -le 1 ]] || die "usage: $0 [--postgres] [OUT_DIR]"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${HOSHI_SHARED_DATA:-$repo/../shared/data}
out=$(realpath -m -- "${1:-$repo/build/bench/results}")
jobs=${JOBS:-2}
started=$SECONDS

osv_dirs=("$data/advisories/osv/go" "$data/advisories/osv/crates" "$data/advisories/osv/pypi")
kev=$data/advisories/kev/known_exploited_vulnerabilities.json
for needed in "$data/sbom" "${osv_dirs[@]}" "$kev"; do
  if [[ ! -e $needed ]]; then
    echo "run-sbom: skipped: $needed is missing (set HOSHI_SHARED_DATA to the shared data folder)"
    exit 0
  fi
done

if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y time >/dev/null || die "cannot install GNU time (apt-get install time)"
  else
    die "GNU time is missing: apt-get install time"
  fi
fi
command -v python3 >/dev/null || die "python3 is needed for the summary"

echo "== build (preset bench: sbom_bench, hoshitori)"
cmake --preset bench >/dev/null
cmake --build --preset bench -j "$jobs" --target sbom_bench hoshitori
build=$repo/build/bench
bench=$build/bench/sbom_bench
hoshitori=$build/src/app/hoshitori

mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/hoshi-run-sbom-XXXXXX")
pg_cluster=
stop_postgres() {
  if [[ -n $pg_cluster ]]; then
    "$repo/tools/pg-test-cluster.sh" stop "$pg_cluster" >/dev/null 2>&1 || true
    rm -rf "$pg_cluster"
    pg_cluster=
  fi
}
cleanup() {
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT
export HOSHI_SHARED_DATA=$data

if [[ $postgres -eq 1 && -z ${HOSHI_TEST_PG_DSN:-} ]]; then
  echo "== throwaway PostgreSQL cluster"
  # Its own folder directly under /tmp: the server runs as `postgres`, which must get in.
  pg_cluster=$(mktemp -d "${TMPDIR:-/tmp}/hoshi-run-sbom-pg-XXXXXX")
  HOSHI_TEST_PG_DSN=$("$repo/tools/pg-test-cluster.sh" start "$pg_cluster")
  export HOSHI_TEST_PG_DSN
fi
cut -d' ' -f1-3 /proc/loadavg >"$out/loadavg-start.txt"

echo "== sbom_bench"
# shellcheck disable=SC2086  # SBOM_BENCH_ARGS is a list of flags
"$bench" --benchmark_out="$out/sbom_bench.json" --benchmark_out_format=json ${SBOM_BENCH_ARGS:-}
stop_postgres  # not needed by the binary runs below

echo "== generated fleet (1,000 CycloneDX SBOMs × 500 components)"
"$bench" --write-fleet="$work/fleet"

advisory_args=()
for dir in "${osv_dirs[@]}"; do
  advisory_args+=(--advisories "$dir")
done

# timed_scan NAME INPUT: hoshitori sbom scan INPUT under /usr/bin/time -v; keeps the report,
# GNU time's figures and the exit code (a real SBOM the parser rejects makes it non-zero).
timed_scan() {
  local name=$1 input=$2 rc=0
  echo "== hoshitori sbom scan: $name"
  /usr/bin/time -v -o "$out/time-$name.txt" \
    "$hoshitori" sbom scan "$input" "${advisory_args[@]}" --kev "$kev" --format json \
    --progress never -o "$work/report-$name.json" 2>"$out/stderr-$name.txt" || rc=$?
  echo "$rc" >"$out/exit-$name.txt"
  if [[ -f $work/report-$name.json ]]; then
    python3 -c 'import json, sys
report = json.load(open(sys.argv[1]))
print(json.dumps({"documents": len(report["documents"]), "findings": len(report["findings"])}))' \
      "$work/report-$name.json" >"$out/report-$name.summary.json" || true
    stat -c %s "$work/report-$name.json" >"$out/report-$name.bytes"
  fi
}
timed_scan fleet "$work/fleet"
timed_scan real "$data/sbom"
cut -d' ' -f1-3 /proc/loadavg >"$out/loadavg-end.txt"

echo
python3 - "$out" "$((SECONDS - started))" <<'PY'
import json, os, re, sys

out, total_seconds = sys.argv[1], int(sys.argv[2])

def read(name, default=""):
    path = os.path.join(out, name)
    return open(path).read() if os.path.exists(path) else default

results = json.loads(read("sbom_bench.json", "{}"))
def base_name(name):
    """BM_X/sqlite/iterations:300/manual_time -> BM_X/sqlite (options dropped)."""
    return "/".join(p for p in name.split("/") if ":" not in p and p not in ("manual_time",
                                                                          "real_time"))

rows = {base_name(b["name"]): b for b in results.get("benchmarks", [])}
context = results.get("context", {})

def bench(name, key, scale=1.0):
    b = rows.get(name)
    return None if b is None or key not in b else b[key] * scale

def fmt(value, pattern):
    return "-" if value is None else pattern.format(value)

print(f"SBOM benchmarks: {context.get('num_cpus', '?')} CPUs, {context.get('date', '')}; "
      f"load average at start {read('loadavg-start.txt').strip()}, "
      f"at end {read('loadavg-end.txt').strip()}")
print()
scan = rows.get("BM_ScanRealSboms", {})
print(f"Real SBOMs: {int(scan.get('sboms', 0))} documents, {int(scan.get('components', 0))} "
      f"components, {int(scan.get('findings', 0))} findings per scan")
print(f"  {'benchmark (CPU time)':<22} {'ms/pass':>9} {'components/s':>14} {'MiB/s':>9}"
      f" {'x parse-only':>13}")
for name, label in [("BM_SimdjsonParseOnly", "simdjson parse-only"),
                    ("BM_ParseSbom", "ParseSbom"),
                    ("BM_MatchRealSboms", "MatchDocument"),
                    ("BM_ScanRealSboms", "scan (parse + match)")]:
    print(f"  {label:<22} {fmt(bench(name, 'real_time'), '{:9.2f}')}"
          f" {fmt(bench(name, 'components/s'), '{:14,.0f}')}"
          f" {fmt(bench(name, 'bytes_per_second', 1 / 2**20), '{:9.1f}')}"
          f" {fmt(bench(name, 'x_parse_only'), '{:12.2f}x')}")
print()
print("Generated fleet, in process (MatchComponents, one 500-component SBOM per iteration):")
print(f"  {fmt(bench('BM_MatchComponents', 'components/s'), '{:,.0f}')} components/s, "
      f"{fmt(bench('BM_MatchComponents', 'findings_per_sbom'), '{:.1f}')} findings per SBOM")
print()
print("Incremental import (new advisory → affected SBOMs: AdvisoryImport::elapsed, wall time;"
      " CPU: the importing thread):")
print(f"  {'backend':<9} {'instances':>10} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}"
      f" {'CPU p50':>8} {'CPU p99':>8} {'checked':>8} {'affected':>9} {'ingest s':>9}")
for name in sorted(n for n in rows if n.startswith("BM_IncrementalImport/")):
    b = rows[name]
    if b.get("error_occurred"):
        print(f"  {name.split('/')[-1]:<9} skipped: {b.get('error_message', '')}")
        continue
    print(f"  {name.split('/')[-1]:<9} {b['fleet_instances']:>10,.0f} {b['p50_ms']:8.2f}"
          f" {b['p90_ms']:8.2f} {b['p99_ms']:8.2f} {b['max_ms']:8.2f}"
          f" {b['cpu_p50_ms']:8.2f} {b['cpu_p99_ms']:8.2f}"
          f" {b['instances_checked_mean']:8.0f} {b['affected_sboms_mean']:9.1f}"
          f" {b['fleet_ingest_s']:9.1f}")
print()

def gnu_time(name):
    text = read(f"time-{name}.txt")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    seconds = None
    if wall:
        h, m, s = wall.groups()
        seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    return (seconds, int(rss.group(1)) / 1024 if rss else None,
            float(user.group(1)) if user else None, float(system.group(1)) if system else None)

print("Whole binary (hoshitori sbom scan --format json, /usr/bin/time -v):")
print(f"  {'input':<7} {'documents':>9} {'findings':>9} {'report MiB':>10} {'wall s':>8}"
      f" {'user s':>7} {'sys s':>6} {'peak RSS MiB':>12} {'exit':>5}")
for name in ("fleet", "real"):
    summary = json.loads(read(f"report-{name}.summary.json", "{}") or "{}")
    report_bytes = read(f"report-{name}.bytes").strip()
    wall, rss, user, system = gnu_time(name)
    print(f"  {name:<7} {summary.get('documents', 0):>9} {summary.get('findings', 0):>9}"
          f" {fmt(int(report_bytes) / 2**20 if report_bytes else None, '{:10.1f}')}"
          f" {fmt(wall, '{:8.2f}')} {fmt(user, '{:7.2f}')} {fmt(system, '{:6.2f}')}"
          f" {fmt(rss, '{:12.0f}')}"
          f" {read(f'exit-{name}.txt').strip():>5}")
print()
print(f"run-sbom.sh took {total_seconds // 60} min {total_seconds % 60} s; results in {out}")
PY
