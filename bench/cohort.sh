#!/usr/bin/env bash
# cohortmatch on a generated cohort MAF against a single read of it by awk (bench/README.md,
# "Cohorts").
#
#   bench/cohort.sh [-r REPEATS] [-c COHORTMATCH]
#
# Generates (once, into bench/out/) MAFs of 2,500, 5,000 and 10,000 patients at ~100 rows a
# patient (10,000 patients: ~1,000,000 rows) and one of 10,000 patients at ~200 rows a patient,
# with their sample sheets and truth lists; then times REPEATS times (best wall time, largest
# peak RSS) awk reading each MAF once, `cohortmatch match` against every bundled protocol (TSV
# and JSON to /dev/null), `cohortmatch summarize` of the MAF, and `match` with the generated
# hotspot rules, whose candidates must be exactly the truth list (recall and precision 1.0) or
# the script fails. Needs python3 and GNU time.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
OUT=$HERE/out
REPEATS=3
CM=$ROOT/build/release/cohortmatch
while getopts "r:c:" opt; do
    case $opt in
    r) REPEATS=$OPTARG ;;
    c) CM=$OPTARG ;;
    *) sed -n 2,14p "$0"; exit 2 ;;
    esac
done
TIME=/usr/bin/time
for tool in python3 awk "$TIME" "$CM"; do
    command -v "$tool" >/dev/null || { echo "cohort.sh: $tool not found" >&2; exit 1; }
done
mkdir -p "$OUT"
GEN="python3 $HERE/gen.py"
[ -s "$OUT/r10.yaml" ] || $GEN rules --arms 10 -o "$OUT/r10.yaml"

# best_of CMD...: runs CMD REPEATS times; sets BEST (s) and RSS (KiB).
best_of()
{
    BEST= RSS=0
    for _ in $(seq "$REPEATS"); do
        "$TIME" -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null
        read -r t m <"$OUT/time.txt"
        if [ -z "$BEST" ] || awk -v a="$t" -v b="$BEST" 'BEGIN { exit !(a < b) }'; then BEST=$t; fi
        if [ "$m" -gt "$RSS" ]; then RSS=$m; fi
    done
}

printf '%-9s %-9s %-8s  %-34s %8s %9s %9s\n' patients rows MB command seconds "× awk" "RSS MiB"
for spec in 2500:250000 5000:500000 10000:1000000 10000:2000000; do
    patients=${spec%%:*} rows=${spec##*:}
    base=$OUT/cohort-$patients-$rows
    if [ ! -s "$base.maf" ]; then
        $GEN maf -p "$patients" -n "$rows" --truth "$base.truth.tsv" --sheet "$base.samples.tsv" \
            -o "$base.maf"
    fi
    n_rows=$(($(grep -vc '^#' "$base.maf") - 1))
    mb=$(du -m "$base.maf" | cut -f1)
    # The baseline: awk splits every row into fields and counts the samples, once.
    best_of awk -F'\t' '!/^#/ { n[$16]++ } END { print length(n) }' "$base.maf"
    awk_time=$BEST
    report()
    {
        printf '%-9s %-9s %-8s  %-34s %8.2f %9.2f %9.1f\n' "$patients" "$n_rows" "$mb" "$1" \
            "$BEST" "$(awk -v a="$BEST" -v b="$awk_time" 'BEGIN { print a / b }')" \
            "$(awk -v m="$RSS" 'BEGIN { print m / 1024 }')"
    }
    BEST=$awk_time RSS=$RSS
    report "awk (one read)"
    best_of "$CM" match -q --sample-sheet "$base.samples.tsv" -O tsv -o /dev/null "$base.maf"
    report "match, bundled rules, TSV"
    best_of "$CM" match -q --sample-sheet "$base.samples.tsv" -O json -o /dev/null "$base.maf"
    report "match, bundled rules, JSON"
    best_of "$CM" summarize -q --sample-sheet "$base.samples.tsv" --span-months 24 -O tsv \
        -o /dev/null "$base.maf"
    report "summarize, bundled rules"
    best_of "$CM" match -q -r "$OUT/r10.yaml" --sample-sheet "$base.samples.tsv" -O tsv \
        -o "$OUT/got.tsv" "$base.maf"
    report "match, hotspot rules (truth)"
    awk -F'\t' 'NR > 1 { print $1 "\t" $4 }' "$OUT/got.tsv" | sort -u >"$OUT/got.pairs"
    tail -n +2 "$base.truth.tsv" | sort >"$OUT/want.pairs"
    if ! cmp -s "$OUT/got.pairs" "$OUT/want.pairs"; then
        echo "cohort.sh: $base.maf: candidates differ from the truth list:" >&2
        diff "$OUT/want.pairs" "$OUT/got.pairs" | head >&2
        exit 1
    fi
done
echo "every hotspot run: recall 1.0, precision 1.0"
