# SPDX-License-Identifier: Apache-2.0
# format, format-check and tidy targets (Debian's clang-format-14 and run-clang-tidy-14).
find_program(HOSHI_CLANG_FORMAT NAMES clang-format-14 clang-format)
find_program(HOSHI_RUN_CLANG_TIDY NAMES run-clang-tidy-14 run-clang-tidy)
set(hoshi_lint_glob src/*.cc src/*.h tests/*.cc tests/*.h bench/*.cc)
if(HOSHI_CLANG_FORMAT)
  add_custom_target(format
    COMMAND git ls-files -z -- ${hoshi_lint_glob} | xargs -0 -r ${HOSHI_CLANG_FORMAT} -i
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} VERBATIM)
  add_custom_target(format-check
    COMMAND git ls-files -z -- ${hoshi_lint_glob} | xargs -0 -r ${HOSHI_CLANG_FORMAT} --dry-run -Werror
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} VERBATIM)
endif()
if(HOSHI_RUN_CLANG_TIDY)
  # Production sources (tests are not yet held to the full check set).
  add_custom_target(tidy
    COMMAND ${HOSHI_RUN_CLANG_TIDY} -quiet -p ${CMAKE_BINARY_DIR}
            "${PROJECT_SOURCE_DIR}/src/(?!.*/tests/).*\\.cc$"
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} VERBATIM)
endif()
