#!/usr/bin/env bash
# Tests completion/cohortmatch with bash itself: for each command line, sets COMP_WORDS and
# COMP_CWORD as bash does when Tab is pressed at its end, calls _cohortmatch, and compares
# COMPREPLY (sorted) with what is expected, exactly.
#
#   test_completion.sh <cohortmatch binary> <source root>
set -u
binary=$1 root=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/bin" "$scratch/work/rules.d"
ln -s "$binary" "$scratch/bin/cohortmatch"
touch "$scratch/work/patient.vcf.gz" "$scratch/work/protocol.yaml"
export PATH="$scratch/bin:$PATH"
cd "$scratch/work" || exit 1
# shellcheck source=../../completion/cohortmatch
source "$root/completion/cohortmatch"

failed=0
# check "<command line up to the cursor>" "<expected words, sorted, space-separated>"
check()
{
    local line=$1 want=$2
    # Split as bash does: at blanks, and '=' is a word of its own (COMP_WORDBREAKS).
    local spaced=${line//=/ = }
    read -r -a COMP_WORDS <<<"$spaced"
    [[ $line == *" " || $line == *"=" ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line COMP_POINT=${#line}
    COMPREPLY=()
    _cohortmatch cohortmatch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    local got
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
    got=${got% }
    if [[ $got != "$want" ]]; then
        printf 'FAILED  "%s"\n  expected: %s\n  got:      %s\n' "$line" "$want" "$got"
        failed=1
    fi
}

# Commands and the global options.
check "cohortmatch " "alterations lint list match summarize test"
check "cohortmatch a" "alterations"
check "cohortmatch l" "lint list"
check "cohortmatch -" "--help --version"
check "cohortmatch nosuchcommand -" ""

# Each command's options, from its --help.
check "cohortmatch lint -" "--help --json --oncotree --strict"
check "cohortmatch test --" "--help --verbose"
check "cohortmatch list --" "--help --markdown --network --output --tumour-types"
check "cohortmatch match --no" "--no-prefilter"
check "cohortmatch match --da" "--date"
check "cohortmatch match --s" "--sample-name --sample-sheet --samples --sex"
check "cohortmatch match --bio" "--biomarker"
check "cohortmatch alterations --f" "--facts --fusion-genes-tags"
check "cohortmatch alterations --t" "--threads --transcripts"
check "cohortmatch match -t LUAD -O json --min" "--min-depth --min-vaf"

# --input-format: the formats the command's --help lists (check_man.py holds them to the
# binary's format table).
check "cohortmatch match --input-format " "cbioportal linx-fusions maf orange purple-drivers purple-gene-cn purple-purity tso500 vcf"
check "cohortmatch match --input-format p" "purple-drivers purple-gene-cn purple-purity"
check "cohortmatch alterations --input-format " "linx-fusions orange purple-drivers purple-gene-cn purple-purity tso500 vcf"
check "cohortmatch alterations --input-format=t" "tso500"
check "cohortmatch alterations --input-format m" ""

# Option values written a|b|c in --help, by short and long name and after '='.
check "cohortmatch match -O " "html json text tsv"
check "cohortmatch summarize -O " "html json text tsv"
check "cohortmatch summarize --s" "--sample-sheet --span-months"
check "cohortmatch summ" "summarize"
check "cohortmatch match --output-type t" "text tsv"
check "cohortmatch match --output-type=j" "json"
check "cohortmatch match --output-type=" "html json text tsv"
check "cohortmatch match --output-type=h" "html"
check "cohortmatch match --annotation " "ann bcsq csq pave"
check "cohortmatch alterations --annotation b" "bcsq"
check "cohortmatch match --transcripts " "any preferred"
check "cohortmatch alterations --transcripts p" "preferred"
check "cohortmatch match --msi " "high stable"
check "cohortmatch match --mmr " "deficient proficient"
check "cohortmatch match --sex f" "female"

# OncoTree codes for -t, from the bundled release; lower case is offered in capitals.
check "cohortmatch match -t LUA" "LUACC LUAD LUAS"
check "cohortmatch match --tumour-type NSCL" "NSCLC NSCLCPD"
check "cohortmatch match -t coad" "COAD COADREAD"
check "cohortmatch match -t NOSUCHCODE" ""

# Values that are numbers or names: nothing to offer.
check "cohortmatch match --min-vaf " ""
check "cohortmatch match --threads " ""
check "cohortmatch match -s " ""

# Files: after FILE/DIR options and for the inputs.
check "cohortmatch match -r " "patient.vcf.gz protocol.yaml rules.d"
check "cohortmatch match -r pro" "protocol.yaml"
check "cohortmatch lint -T p" "patient.vcf.gz protocol.yaml"
check "cohortmatch match -t LUAD pat" "patient.vcf.gz"
check "cohortmatch match -O json " "patient.vcf.gz protocol.yaml rules.d"
check "cohortmatch lint r" "rules.d"

if [[ $failed == 0 ]]; then
    echo "all completions as expected"
fi
exit $failed
