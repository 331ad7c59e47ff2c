#!/usr/bin/env bash
# cohortmatch against bcftools on the same generated VCF (bench/README.md).
#
#   bench/run.sh [-r REPEATS] [-c COHORTMATCH] [RECORDS...]      [-r 3, RECORDS 1000000]
#
# For each size: generates (once, into bench/out/) a VEP-annotated VCF.gz, its BCF, the
# truth list of planted hotspots and rule sets of 10, 1,000 and 10,000 arms, then times each
# command REPEATS times (the best wall time and the largest peak RSS are kept) and prints a
# table. Every cohortmatch run writes TSV, which is checked against the truth: recall and
# precision must both be 1.0, or the script fails. Needs python3, bgzip, bcftools and GNU time.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
OUT=$HERE/out
REPEATS=3
CM=$ROOT/build-perf/cohortmatch
while getopts "r:c:" opt; do
    case $opt in
    r) REPEATS=$OPTARG ;;
    c) CM=$OPTARG ;;
    *) sed -n 2,10p "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
SIZES=("${@:-1000000}")
TIME=/usr/bin/time
for tool in python3 bgzip bcftools "$TIME" "$CM"; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 1; }
done
mkdir -p "$OUT"
GEN="python3 $HERE/gen.py"

for arms in 10 1000 10000; do
    [ -s "$OUT/r$arms.yaml" ] || $GEN rules --arms $arms -o "$OUT/r$arms.yaml"
    "$CM" lint "$OUT/r$arms.yaml" >/dev/null
done
# The rule genes as one regular expression, for bcftools +split-vep.
GENES_RE=$(python3 -c "import sys; sys.path.insert(0, '$HERE'); import gen; print('^(' + '|'.join(gen.rule_genes()) + ')\$')")

# best_of LABEL CMD...: runs CMD REPEATS times; sets BEST (s) and RSS (KiB).
best_of() {
    BEST="" RSS=0
    for ((i = 0; i < REPEATS; i++)); do
        local start end wall rss
        start=$(date +%s%N)
        "$TIME" -f "%M" -o "$OUT/.time" "$@" >/dev/null
        end=$(date +%s%N)
        wall=$(python3 -c "print(($end - $start) / 1e9)")
        read -r rss <"$OUT/.time"
        BEST=$(python3 -c "print(min(float('$wall'), float('${BEST:-1e9}')))")
        if [ "$rss" -gt "$RSS" ]; then RSS=$rss; fi
    done
}

# check_tsv TSV TRUTH: recall and precision of the planted hotspots (chrom, pos, ref, alt).
check_tsv() {
    python3 - "$1" "$2" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
col = {name: i for i, name in enumerate(rows[0])}
got = {tuple(r[col[k]] for k in ("chrom", "pos", "ref", "alt")) for r in rows[1:]}
truth = {tuple(l.split("\t")[:4]) for l in list(open(sys.argv[2]))[1:]}
tp = len(got & truth)
recall = tp / len(truth) if truth else 1.0
precision = tp / len(got) if got else 1.0
print("%d planted, %d reported: recall %.3f, precision %.3f" % (len(truth), len(got), recall,
                                                                precision))
sys.exit(0 if recall == 1.0 and precision == 1.0 else 1)
EOF
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$CM" --version 2>&1 | head -1); $(bcftools --version | head -1); best of $REPEATS runs"
FAILED=0
for n in "${SIZES[@]}"; do
    vcf=$OUT/g$n.vcf.gz bcf=$OUT/g$n.bcf truth=$OUT/t$n.tsv
    if [ ! -s "$vcf" ] || [ ! -s "$truth" ]; then
        $GEN vcf -n "$n" --truth "$truth" | bgzip >"$vcf"
        rm -f "$bcf"
    fi
    [ -s "$bcf" ] || bcftools view -Ob -o "$bcf" "$vcf"
    records=$(bgzip -dc "$vcf" | grep -vc '^#')
    echo
    echo "## $records records ($(du -m "$vcf" | cut -f1) MB .vcf.gz, $(du -m "$bcf" | cut -f1) MB .bcf)"
    echo
    printf "| %-62s | %8s | %12s | %9s | %9s |\n" command "wall (s)" "records/s" "RSS (MiB)" "× view"
    printf "|%s|%s|%s|%s|%s|\n" "$(printf -- '-%.0s' {1..64})" ---------- -------------- ---------- -----------
    VIEW_VCF="" VIEW_BCF=""
    row() { # row LABEL INPUT_KIND CMD...
        local label=$1 kind=$2
        shift 2
        best_of "$@"
        local base=$VIEW_VCF
        [ "$kind" = bcf ] && base=$VIEW_BCF
        [ -n "$base" ] || base=$BEST # the baseline's own row
        local ratio
        ratio=$(python3 -c "print('%.2f' % ($BEST / $base))")
        printf "| %-62s | %8.2f | %12s | %9.1f | %9s |\n" "$label" "$BEST" \
            "$(python3 -c "print(f'{int($records / max($BEST, 0.001)):,}')")" \
            "$(python3 -c "print($RSS / 1024)")" "$ratio"
    }
    row "bcftools view -Ou -o /dev/null (.vcf.gz)" vcf bcftools view -Ou -o /dev/null "$vcf"
    VIEW_VCF=$BEST
    row "bcftools view -Ou -o /dev/null (.bcf)" bcf bcftools view -Ou -o /dev/null "$bcf"
    VIEW_BCF=$BEST
    row "bgzip -dc (.vcf.gz)" vcf bgzip -dc "$vcf"
    row "bcftools +split-vep -i 'SYMBOL=\"BRAF\"' (.vcf.gz)" vcf \
        bcftools +split-vep -i 'SYMBOL="BRAF"' -f '%CHROM\t%POS\t%SYMBOL\t%HGVSp\n' -d "$vcf"
    row "bcftools +split-vep -i 'SYMBOL~\"^(500 rule genes)\$\"'" vcf \
        bcftools +split-vep -i "SYMBOL~\"$GENES_RE\"" -f '%CHROM\t%POS\t%SYMBOL\t%HGVSp\n' -d "$vcf"
    for spec in "10 vcf 0" "1000 vcf 0" "10000 vcf 0" "1000 vcf 1" "1000 vcf 0 --no-prefilter" \
        "1000 bcf 0" "1000 bcf 1" "1000 bcf 0 --no-prefilter"; do
        read -r arms kind threads extra <<<"$spec"
        input=$vcf label=vcf.gz
        [ "$kind" = bcf ] && input=$bcf label=bcf
        tsv=$OUT/result-$n-$arms-$kind-$threads${extra:+-full}.tsv
        row "cohortmatch match, $arms arms, .$label, $((threads + 1)) thread$([ "$threads" = 0 ] || echo s)${extra:+, $extra}" \
            "$kind" "$CM" match -q -r "$OUT/r$arms.yaml" -t LUAD -O tsv -o "$tsv" \
            --threads "$threads" ${extra:+"$extra"} "$input"
    done
    echo
    for tsv in "$OUT"/result-$n-*.tsv; do
        printf "%s: " "$(basename "$tsv")"
        check_tsv "$tsv" "$truth" || FAILED=1
    done
done

# A 500-record panel, end to end (rules and OncoTree loaded, report written).
panel=$OUT/panel500.vcf
[ -s "$panel" ] || $GEN vcf -n 500 --hotspot-rate 2000 --truth "$OUT/t500.tsv" -o "$panel"
echo
for rules in "bundled rules/" "$OUT/r1000.yaml"; do
    if [ "$rules" = "bundled rules/" ]; then args=(); else args=(-r "$rules"); fi
    best_of "$CM" match -q "${args[@]}" -t LUAD -O tsv -o "$OUT/panel.tsv" "$panel"
    echo "500-record panel, $(basename "$rules") : $(python3 -c "print(int($BEST * 1000))") ms wall, $((RSS / 1024)) MiB"
done
"$CM" match -q -r "$OUT/r1000.yaml" -t LUAD -O tsv -o "$OUT/panel.tsv" "$panel"
printf "panel: "
check_tsv "$OUT/panel.tsv" "$OUT/t500.tsv" || FAILED=1
exit $FAILED
