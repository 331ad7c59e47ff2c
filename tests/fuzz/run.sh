#!/usr/bin/env bash
# Runs one libFuzzer target for a while, starting from its seed corpus.
#
#   tests/fuzz/run.sh <target> <seconds> [extra libFuzzer flags...]
#
# Targets: hgvs, annot_vep, annot_ann, annot_bcsq, annot_pave, rules, vcf, tso500, orange, hartwig,
#   cohort (tests/fuzz/fuzz_<name>.c). Needs a build with
#   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCM_FUZZ=ON && cmake --build build-fuzz
# ($CM_FUZZ_BUILD names another build folder). New inputs and crash artifacts go to
# <build>/fuzz-work/<target>/, never into the checked-in corpus; a crash found is replayed
# with the binary and the file, minimised with -minimize_crash=1, and goes into
# tests/fuzz/regression/<target>/ with its fix. Ends with libFuzzer's final statistics
# (number of executions); exit status non-zero if it found a crash, leak or timeout.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 <target> <seconds> [libFuzzer flags...]" >&2
    exit 2
fi
target=$1 seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
build=${CM_FUZZ_BUILD:-$here/../../build-fuzz}
binary=$build/tests/fuzz/fuzz-$target
if [ ! -x "$binary" ]; then
    echo "$0: $binary not built (cmake -DCMAKE_C_COMPILER=clang -DCM_FUZZ=ON)" >&2
    exit 2
fi
work=$build/fuzz-work/$target
mkdir -p "$work/corpus" "$work/artifacts"

flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
       -artifact_prefix="$work/artifacts/")
case $target in
vcf) flags+=(-max_len=32768) ;;
rules) flags+=(-max_len=16384) ;;
esac
dict=$here/dict/${target%%_*}.dict
[ -f "$dict" ] && flags+=(-dict="$dict")
seeds=("$here/corpus/$target")
[ -d "$here/regression/$target" ] && seeds+=("$here/regression/$target")

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
exec "$binary" "${flags[@]}" "$@" "$work/corpus" "${seeds[@]}"
