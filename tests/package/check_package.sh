#!/usr/bin/env bash
# The library as a consumer outside neardup's tree gets it (examples/consumer), one step per mode:
#   install        cmake --install into a fresh prefix; the files and the export are checked
#   find_package   examples/consumer configured against that prefix, built and run
#   pkg_config     examples/consumer/main.cpp compiled and linked with `pkg-config neardup` alone
#   subdirectory   examples/consumer with add_subdirectory: only the library is built
# Run by ctest (tests/package/CMakeLists.txt), which sets the NEARDUP_PKG_* variables.
set -euo pipefail
mode="$1"
build="$NEARDUP_PKG_BUILD_DIR"         # neardup's build tree, already built
source="$NEARDUP_PKG_SOURCE_DIR"
work="$NEARDUP_PKG_WORK_DIR"
prefix="$work/prefix"
libdir="$prefix/$NEARDUP_PKG_LIBDIR"
includedir="$prefix/$NEARDUP_PKG_INCLUDEDIR"
bindir="$prefix/$NEARDUP_PKG_BINDIR"
consumer="$source/examples/consumer"
cxx="$NEARDUP_PKG_CXX"
# Empty unless the suite is built with sanitizers: the instrumented libneardup.a then needs
# consumers built and linked with the same -fsanitize.
flags="$NEARDUP_PKG_SANITIZE_FLAGS"

fail() { echo "FAIL: $*" >&2; exit 1; }

configure() {  # configure SOURCE BINARY ARGS...
  local from="$1" to="$2"
  shift 2
  cmake -S "$from" -B "$to" -G "$NEARDUP_PKG_GENERATOR" -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "$@"
}

case "$mode" in
install)
  rm -rf "$prefix"
  cmake --install "$build" --config "$NEARDUP_PKG_CONFIG" --prefix "$prefix"
  for file in "$libdir/libneardup.a" "$includedir/neardup/persistent_index.hpp" "$bindir/neardup" \
              "$libdir/cmake/neardup/neardupConfig.cmake" "$libdir/cmake/neardup/neardupConfigVersion.cmake" \
              "$libdir/cmake/neardup/neardupTargets.cmake" "$libdir/pkgconfig/neardup.pc"; do
    [[ -f "$file" ]] || fail "not installed: $file"
  done
  "$bindir/neardup" --version
  # The export must carry C++20 and the link-only dependencies, and nothing of neardup's own build.
  targets="$libdir/cmake/neardup/neardupTargets.cmake"
  grep -q 'cxx_std_20' "$targets" || fail "neardup::neardup does not ask for C++20"
  for dependency in PkgConfig::NEARDUP_ICU PkgConfig::NEARDUP_XXHASH PkgConfig::NEARDUP_ZSTD ZLIB::ZLIB neardup::cld2 Threads::Threads; do
    grep -q "$dependency" "$targets" || fail "$dependency missing from neardupTargets.cmake"
  done
  if grep -E -n 'neardup_warnings|Wconversion|Eigen|nlohmann' "$targets" || grep -F -n "$source" "$targets"; then
    fail "neardupTargets.cmake names build-only things (above)"
  fi
  ;;
find_package)
  rm -rf "$work/find_package"
  configure "$consumer" "$work/find_package" -DCMAKE_BUILD_TYPE="$NEARDUP_PKG_CONFIG" -DCMAKE_PREFIX_PATH="$prefix"
  grep -q "^neardup_DIR:PATH=$libdir/cmake/neardup\$" "$work/find_package/CMakeCache.txt" \
    || fail "find_package found another neardup: $(grep '^neardup_DIR' "$work/find_package/CMakeCache.txt")"
  cmake --build "$work/find_package" -j2
  # C++20 from the target (the consumer sets no standard), neardup's warnings not inherited.
  command=$(grep '"command".*main\.cpp' "$work/find_package/compile_commands.json")
  [[ "$command" =~ -std=(c|gnu)\+\+20 ]] || fail "main.cpp not compiled as C++20: $command"
  [[ "$command" != *-Wconversion* ]] || fail "main.cpp got neardup's warnings: $command"
  "$work/find_package/app"
  ;;
pkg_config)
  rm -rf "$work/pkg_config" && mkdir -p "$work/pkg_config"
  export PKG_CONFIG_PATH="$libdir/pkgconfig"
  cflags=$(pkg-config --cflags neardup)
  [[ "$cflags" != *-std=* ]] || fail "Cflags sets the standard: $cflags"
  # Plain --libs must link by itself (only a static library is installed); --static as well.
  for libs in "$(pkg-config --libs neardup)" "$(pkg-config --libs --static neardup)"; do
    echo "$cxx -std=c++20 $flags $cflags main.cpp $libs"
    # shellcheck disable=SC2086  # flags are word lists
    "$cxx" -std=c++20 $flags $cflags "$consumer/main.cpp" $libs -o "$work/pkg_config/app"
    "$work/pkg_config/app"
  done
  ;;
subdirectory)
  binary="$work/subdirectory"
  rm -rf "$binary" && mkdir -p "$binary/.cmake/api/v1/query"
  touch "$binary/.cmake/api/v1/query/codemodel-v2"
  # No CMAKE_BUILD_TYPE: neardup must not force one onto its parent (and -O0 compiles faster).
  configure "$consumer" "$binary" -DNEARDUP_FROM_SOURCE=ON
  [[ -z "$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$binary/CMakeCache.txt")" ]] \
    || fail "neardup set the parent's CMAKE_BUILD_TYPE"
  targets=$(python3 - "$binary/.cmake/api/v1/reply" <<'PY'
import glob, json, sys
model = json.load(open(glob.glob(sys.argv[1] + "/codemodel-v2-*.json")[0]))
print(" ".join(sorted(t["name"] for c in model["configurations"] for t in c["targets"])))
PY
)
  echo "targets: $targets"
  # The library and the consumer's program only: no command, tests, GoogleTest, Python module, tools.
  for target in $targets; do
    case "$target" in
    app | neardup | neardup_warnings) ;;
    *) fail "add_subdirectory(neardup) defines target $target" ;;
    esac
  done
  cmake --build "$binary" -j2
  "$binary/app"
  ;;
*) fail "unknown mode $mode" ;;
esac
echo "OK: $mode"
