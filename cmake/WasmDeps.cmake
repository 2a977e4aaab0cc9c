# cmake/WasmDeps.cmake — third-party dependencies of the WASM (Emscripten) build.
#
# Include from the top-level CMakeLists.txt inside `if(EMSCRIPTEN)`:
#     include(cmake/WasmDeps.cmake)
#
# The dependencies are not in the repo: scripts/bootstrap builds them into
#     ${STRONGHOLD_CACHE:-/var/cache/stronghold}/wasm/
# This module only points CMake at that cache and defines:
#
#   STRONGHOLD_WASM_CACHE  the cache folder used (override with -DSTRONGHOLD_WASM_CACHE=...)
#   wasm::sodium   libsodium 1.0.18 (static, imported): sodium.h + libsodium.a
#   wasm::imgui    Dear ImGui 1.86 core + GLFW and OpenGL3 backends, compiled
#                  here with em++; brings -sUSE_GLFW=3 -sMAX_WEBGL_VERSION=2
#                  -sMIN_WEBGL_VERSION=2 to whatever links it
#   wasm::sysinc   header-only Boost and nlohmann_json from Debian, as a SYSTEM
#                  include dir holding only the symlinks boost/ and nlohmann/
#                  (never -I/usr/include: glibc headers would shadow Emscripten's)
#
# Example:
#     target_link_libraries(web_ui PRIVATE wasm::imgui wasm::sodium wasm::sysinc)

include_guard(GLOBAL)

if(NOT EMSCRIPTEN)
  message(FATAL_ERROR
    "cmake/WasmDeps.cmake is for the Emscripten build only "
    "(configure with: emcmake cmake ...).")
endif()

if(NOT STRONGHOLD_WASM_CACHE)
  if(NOT "$ENV{STRONGHOLD_CACHE}" STREQUAL "")
    set(STRONGHOLD_WASM_CACHE "$ENV{STRONGHOLD_CACHE}/wasm")
  else()
    set(STRONGHOLD_WASM_CACHE "/var/cache/stronghold/wasm")
  endif()
endif()

set(_swd_sodium "${STRONGHOLD_WASM_CACHE}/libsodium")
set(_swd_imgui  "${STRONGHOLD_WASM_CACHE}/imgui-src")
set(_swd_sysinc "${STRONGHOLD_WASM_CACHE}/sysinc")

# Each dependency is moved into the cache whole, stamp included, by
# scripts/bootstrap; a missing stamp means "never built", not "half built".
set(_swd_missing "")
foreach(_f
    "${_swd_sodium}/.stamp"
    "${_swd_sodium}/lib/libsodium.a"
    "${_swd_sodium}/include/sodium.h"
    "${_swd_imgui}/.stamp"
    "${_swd_imgui}/imgui.cpp"
    "${_swd_imgui}/backends/imgui_impl_glfw.cpp"
    "${_swd_imgui}/backends/imgui_impl_opengl3.cpp"
    "${_swd_sysinc}/boost/version.hpp"
    "${_swd_sysinc}/nlohmann/json.hpp")
  if(NOT EXISTS "${_f}")
    string(APPEND _swd_missing "\n    ${_f}")
  endif()
endforeach()
if(_swd_missing)
  message(FATAL_ERROR
    "The WASM dependency cache in ${STRONGHOLD_WASM_CACHE} is missing or incomplete:"
    "${_swd_missing}\n"
    "Run scripts/bootstrap (as root) to build it. If the cache lives elsewhere, "
    "set the environment variable STRONGHOLD_CACHE to its root for both "
    "scripts/bootstrap and cmake.")
endif()

# Reconfigure when bootstrap rebuilds a dependency.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  "${_swd_sodium}/.stamp" "${_swd_imgui}/.stamp")

# --- Emscripten 3.1.6 (Debian) quirks --------------------------------------
# em++ runs its JS optimizer (-O1 and up) with `node`; a NodeSource node (not
# Debian's) cannot find Debian's acorn unless NODE_PATH=/usr/share/nodejs, and
# the link fails with "Cannot find module 'acorn'". Only linking runs node, so
# wrap link steps in `cmake -E env NODE_PATH=...`: builds then work whatever
# the caller's environment.
if(EXISTS "/usr/share/nodejs/acorn")
  set(_swd_node_path "/usr/share/nodejs")
  if(NOT "$ENV{NODE_PATH}" STREQUAL "")
    string(APPEND _swd_node_path ":$ENV{NODE_PATH}")
  endif()
  foreach(_lang C CXX)
    if(NOT DEFINED CMAKE_${_lang}_LINKER_LAUNCHER)
      set(CMAKE_${_lang}_LINKER_LAUNCHER
        "${CMAKE_COMMAND}" -E env "NODE_PATH=${_swd_node_path}")
    endif()
  endforeach()
  unset(_lang)
  unset(_swd_node_path)
endif()
# emcmake passes -DCMAKE_CROSSCOMPILING_EMULATOR="node;--experimental-wasm-threads",
# which Node 20 rejects ("bad option"), so add_test() on a wasm target would
# fail. Run tests with plain node instead.
if(CMAKE_CROSSCOMPILING_EMULATOR MATCHES "--experimental-wasm-threads")
  list(GET CMAKE_CROSSCOMPILING_EMULATOR 0 _swd_node)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${_swd_node}" CACHE FILEPATH
    "Runs wasm test programs (node)" FORCE)
  unset(_swd_node)
endif()

# --- wasm::sodium ----------------------------------------------------------
if(NOT TARGET wasm::sodium)
  add_library(wasm::sodium STATIC IMPORTED GLOBAL)
  set_target_properties(wasm::sodium PROPERTIES
    IMPORTED_LOCATION "${_swd_sodium}/lib/libsodium.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_swd_sodium}/include")
endif()

# --- wasm::sysinc ----------------------------------------------------------
if(NOT TARGET wasm::sysinc)
  # Include dirs of IMPORTED targets are SYSTEM (-isystem) for consumers.
  add_library(wasm::sysinc INTERFACE IMPORTED GLOBAL)
  set_target_properties(wasm::sysinc PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_swd_sysinc}")
endif()

# --- wasm::imgui -----------------------------------------------------------
if(NOT TARGET stronghold_wasm_imgui)
  add_library(stronghold_wasm_imgui STATIC
    "${_swd_imgui}/imgui.cpp"
    "${_swd_imgui}/imgui_draw.cpp"
    "${_swd_imgui}/imgui_tables.cpp"
    "${_swd_imgui}/imgui_widgets.cpp"
    "${_swd_imgui}/imgui_demo.cpp"
    "${_swd_imgui}/backends/imgui_impl_glfw.cpp"
    "${_swd_imgui}/backends/imgui_impl_opengl3.cpp")
  target_include_directories(stronghold_wasm_imgui SYSTEM PUBLIC
    "${_swd_imgui}"
    "${_swd_imgui}/backends")
  target_compile_features(stronghold_wasm_imgui PUBLIC cxx_std_11)
  # Third-party code: no warnings. No -sUSE_GLFW=3 at compile time: em++
  # 3.1.6 ignores it there and warns "linker setting ignored during
  # compilation" (an error under -Werror); GLFW/glfw3.h is in Emscripten's
  # sysroot anyway, and the setting matters at link time only.
  target_compile_options(stronghold_wasm_imgui PRIVATE -w)
  target_link_options(stronghold_wasm_imgui INTERFACE
    -sUSE_GLFW=3 -sMAX_WEBGL_VERSION=2 -sMIN_WEBGL_VERSION=2)
  set_target_properties(stronghold_wasm_imgui PROPERTIES
    FOLDER third_party
    CXX_CLANG_TIDY ""
    CXX_INCLUDE_WHAT_YOU_USE "")
  add_library(wasm::imgui ALIAS stronghold_wasm_imgui)
endif()

unset(_swd_missing)
unset(_f)
