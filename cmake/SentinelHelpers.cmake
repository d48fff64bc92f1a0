# Helpers that give every Sentinel target the same shape, after Abseil's
# absl_cc_library: one library per folder, aliased as sentinel::<name>, built
# with the project's warnings as errors.

set(SENTINEL_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

# sentinel_cc_library(NAME <name> SRCS <files...> DEPS <targets...>)
# Creates target sentinel_<name> with alias sentinel::<name>. Header-only
# libraries (no SRCS) become INTERFACE libraries.
function(sentinel_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  set(target sentinel_${ARG_NAME})
  if(ARG_SRCS)
    add_library(${target} ${ARG_SRCS})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${ARG_DEPS})
    target_compile_options(${target} PRIVATE ${SENTINEL_WARNINGS})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
  add_library(sentinel::${ARG_NAME} ALIAS ${target})
endfunction()

# sentinel_cc_binary(NAME <name> SRCS <files...> DEPS <targets...>)
function(sentinel_cc_binary)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
  target_compile_options(${ARG_NAME} PRIVATE ${SENTINEL_WARNINGS})
endfunction()

# sentinel_cc_test(NAME <name> SRCS <files...> DEPS <targets...>)
# A GoogleTest binary registered with ctest as one test per TEST(), with the
# shared test main (tests/testing/test_main.cc: gRPC shut down and its
# threads joined before exit) and its precompiled header.
function(sentinel_cc_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} sentinel::test_main)
  target_compile_options(${ARG_NAME} PRIVATE ${SENTINEL_WARNINGS}
                         ${SENTINEL_TEST_OPTIMIZATION})
  target_precompile_headers(${ARG_NAME} REUSE_FROM sentinel_test_main)
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()
