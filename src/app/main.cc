// SPDX-License-Identifier: Apache-2.0
// The single `hoshitori` binary. The only place that knows every module.
#include <cstdlib>
#include <iostream>
#include <span>

#include "hoshi/cli/cli.h"

namespace {

std::string EnvOr(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): before any thread
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

int main(int argc, char** argv) {
  const hoshi::cli::Environment env{EnvOr("HOSHI_LANG"), EnvOr("HOSHI_DATA_DIR"),
                                    EnvOr("HOSHI_DB")};
  return hoshi::cli::Run(std::span<const char* const>(argv, static_cast<std::size_t>(argc)), env,
                         std::cout, std::cerr);
}
