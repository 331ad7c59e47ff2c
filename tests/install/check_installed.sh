#!/usr/bin/env bash
# Checks an installed cohortmatch under <prefix> (cmake --install, or a .deb's usr/):
#  - exactly the expected files: the binary, every rules/*.yaml, the OncoTree TSV and its
#    attribution, a man page per docs/man source, the bash completion, the copyright file,
#    and the extra files named on the command line;
#  - the installed binary runs the README's demo without -r, from another folder, with
#    the installed rules (the JSON result names them), printing the source-tree demo's
#    golden (tests/e2e/match-demo-text);
#  - the man pages are gzipped roff with their title line, and the installed completion
#    completes with the installed binary.
# Prints each problem as "FAILED: ..."; exit status 1 when there is one.
#
#   check_installed.sh <prefix> <source root> <man pages built: ON|OFF> [extra file]...
set -euo pipefail
prefix=$1 root=$2 man=$3
shift 3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
fail() { echo "FAILED: $*"; failed=1; }

# The files, both ways.
{
    echo bin/cohortmatch
    for f in "$root"/rules/*.yaml; do echo "share/cohortmatch/rules/${f##*/}"; done
    for f in "$root"/data/oncotree/*.tsv "$root"/data/oncotree/SOURCE.md; do
        echo "share/cohortmatch/oncotree/${f##*/}"
    done
    if [[ $man == ON ]]; then
        for f in "$root"/docs/man/*.[1-9].md; do
            page=${f##*/} page=${page%.md}
            echo "share/man/man${page##*.}/$page.gz"
        done
    fi
    echo share/bash-completion/completions/cohortmatch
    echo share/doc/cohortmatch/copyright
    for extra in "$@"; do echo "$extra"; done
} | LC_ALL=C sort >"$scratch/expected"
(cd "$prefix" && find . -type f -o -type l | sed 's|^\./||' | LC_ALL=C sort) >"$scratch/installed"
diff -u "$scratch/expected" "$scratch/installed" ||
    fail "the installed files differ from the expected ones (- expected, + installed)"

# The demo, as in the README, with the installed binary and its rules (no -r).
mkdir "$scratch/work"
cp "$root/testdata/demo/patient.vcf" "$scratch/work/"
cd "$scratch/work"
env -u COHORTMATCH_RULES "$prefix/bin/cohortmatch" match -t CHOL --age 61 -O text patient.vcf >demo.txt
diff -u "$root/tests/e2e/match-demo-text/expected.out" demo.txt || fail "the installed demo's output differs"
env -u COHORTMATCH_RULES "$prefix/bin/cohortmatch" match -t CHOL -O json patient.vcf >demo.json
rules=$(cd "$prefix/share/cohortmatch/rules" && pwd -P)
for f in "$root"/rules/*.yaml; do
    grep -q "\"path\": \"$rules/${f##*/}\"" demo.json || fail "the installed binary did not read $rules/${f##*/}"
done

# Man pages: gzipped roff that opens with the page's title line.
if [[ $man == ON ]]; then
    for page in "$prefix"/share/man/man*/*.gz; do
        name=${page##*/} name=${name%.gz}
        title=$(tr 'a-z' 'A-Z' <<<"${name%.*}")
        # (to a file: grep -q at the end of a pipe would stop gzip early, a failure under pipefail)
        gzip -dc "$page" >page.roff || fail "$page is not gzip"
        grep -q "^\.TH \"$title\" \"${name##*.}\"" page.roff || fail "$page is not the man page $name"
    done
fi

# The installed completion, with the installed binary.
got=$(
    PATH="$prefix/bin:$PATH"
    source "$prefix/share/bash-completion/completions/cohortmatch"
    COMP_WORDS=(cohortmatch match --transcripts "") COMP_CWORD=3
    _cohortmatch cohortmatch "" --transcripts
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
)
[[ $got == "any preferred " ]] || fail "the installed completion offers '$got' after --transcripts"

[[ $failed == 0 ]] && echo "$prefix: files, demo, man pages and completion as expected"
exit $failed
