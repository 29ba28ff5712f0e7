#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages hoshitori needs. Idempotent and quiet when all are present.
# Sourced by ./run and ./test; `hoshi_ensure_deps build|test`.

HOSHI_BUILD_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config git
  libsodium-dev nlohmann-json3-dev libfmt-dev libcli11-dev libyaml-cpp-dev
  libsqlite3-dev libpq-dev libzip-dev libpugixml-dev
  libgtest-dev libgmock-dev libxlsxwriter-dev
  libboost1.74-dev libboost-system1.74-dev libspdlog-dev libsimdjson-dev libbenchmark-dev zlib1g-dev
  libnats-dev
)
HOSHI_TEST_PACKAGES=(postgresql clang-format chromium fonts-noto-cjk nats-server)

hoshi_ensure_deps() {
  local wanted=("${HOSHI_BUILD_PACKAGES[@]}")
  if [ "${1:-build}" = test ]; then
    wanted+=("${HOSHI_TEST_PACKAGES[@]}")
  fi
  local missing=()
  local pkg
  for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  echo "hoshitori: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >/dev/null
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Builds the web UI (web/ -> web/dist) with the machine's Node.js and packages from the npm
# registry. `npm ci` runs only when package-lock.json changed since the last install.
hoshi_build_web() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "hoshitori: npm not found; serving the API without the web UI" >&2
    return 0
  fi
  # Vite 8 needs npm 11 / Node.js 20.19+. An older machine is an environment gap, not a defect of
  # the UI: say so loudly and go on without it (a build error on a capable machine still fails).
  local npm_major
  npm_major=$(npm --version 2>/dev/null | cut -d. -f1)
  if [ "${npm_major:-0}" -lt 11 ]; then
    echo "hoshitori: npm $(npm --version) is too old for the web UI build (needs 11+); skipping web/" >&2
    return 0
  fi
  (
    cd web
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund --loglevel=error
    fi
    npm run build --silent
  )
}
