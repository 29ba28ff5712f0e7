# SPDX-License-Identifier: Apache-2.0

# hoshi_add_module(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Creates the static library hoshi_<name>, its alias hoshi::<name> and the include/ root.
function(hoshi_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(hoshi_${name} STATIC ${ARG_SOURCES})
  add_library(hoshi::${name} ALIAS hoshi_${name})
  target_include_directories(hoshi_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(hoshi_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE hoshi_options ${ARG_PRIVATE_DEPS})
endfunction()

# hoshi_add_test(<name> SOURCES ... DEPS ... [LABELS ...])
# One GoogleTest executable; tests are discovered at test time (DISCOVERY_MODE PRE_TEST).
function(hoshi_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE hoshi_options ${ARG_DEPS} GTest::gtest GTest::gmock
                                        GTest::gtest_main)
  # Shared test support (backend-parameterised fixtures) lives in tests/support.
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  target_compile_definitions(${name} PRIVATE
    HOSHI_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    HOSHI_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT "TZ=UTC;LC_ALL=C")
endfunction()

# hoshi_embed_files(<out_var> NAMESPACE <ns> FUNCTION <fn> FILES <path>...)
# Generates a .cc that embeds the given files as raw string literals. The generated function
# `std::span<const hoshi::EmbeddedFile> <ns>::<fn>()` lists them by base name, in the order given.
function(hoshi_embed_files out_var)
  cmake_parse_arguments(ARG "" "NAMESPACE;FUNCTION;NAME" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}.cc")
  set(script "${PROJECT_SOURCE_DIR}/cmake/HoshiEmbed.cmake")
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${ARG_NAMESPACE} -DFUNCTION=${ARG_FUNCTION}
            "-DFILES=${files_arg}" -P "${script}"
    DEPENDS ${ARG_FILES} "${script}"
    COMMENT "Embedding ${ARG_NAME}"
    VERBATIM)
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
