# SPDX-License-Identifier: Apache-2.0
option(HOSHI_BUILD_TESTS "Build the test suites" ON)
option(HOSHI_WITH_POSTGRES "Build the PostgreSQL storage backend (fails if libpq is missing)" ON)
option(HOSHI_WEB_TESTS "Run the web UI's browser tests (needs npm and /usr/bin/chromium)" OFF)
option(HOSHI_BUILD_BENCHMARKS "Build Google Benchmark targets in bench/" OFF)
option(HOSHI_WERROR "Treat warnings as errors" OFF)
option(HOSHI_SANITIZE "Build with ASan + UBSan" OFF)

find_program(HOSHI_CCACHE ccache)
if(HOSHI_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${HOSHI_CCACHE}")
  set(CMAKE_C_COMPILER_LAUNCHER "${HOSHI_CCACHE}")
endif()

include(CheckPIESupported)
check_pie_supported()
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
