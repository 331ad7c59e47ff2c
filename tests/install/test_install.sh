#!/usr/bin/env bash
# cmake --install of the build into an empty prefix, checked by check_installed.sh.
#
#   test_install.sh <cmake> <build folder> <source root> <man pages built: ON|OFF>
set -euo pipefail
cmake=$1 build=$2 root=$3 man=$4
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
"$cmake" --install "$build" --prefix "$prefix" >/dev/null
bash "$root/tests/install/check_installed.sh" "$prefix" "$root" "$man"
