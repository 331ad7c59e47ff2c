#!/usr/bin/env bash
# Runs one command-line test case and compares what it printed, exactly.
#
#   run_case.sh <cohortmatch binary> <case folder> <source root>
#
# A case folder holds:
#   cmd           shell commands; $CM is the binary, $ROOT the source tree,
#                 $TMP an empty scratch folder (the working directory)
#   expected.out  stdout, compared exactly (absent: stdout is not checked)
#   expected.err  stderr, compared exactly (absent: stderr must be empty)
#   status        the expected exit status (absent: 0)
#
# With CM_VALGRIND=1 in the environment, $CM runs under valgrind (memcheck, full leak
# check; .ci/run does this for the e2e and bad-input cases). valgrind is quiet when clean
# and exits 97 on any error or leak, a status no case expects (1 is the tool's own "bad
# input"), and its report lands in stderr: either way the case fails.
set -u
CM=$1 CASE=$2 ROOT=$3
TMP=$(mktemp -d)
WRAP=
trap 'rm -rf "$TMP" $WRAP' EXIT
if [ -n "${CM_VALGRIND:-}" ]; then
    # A wrapper outside $TMP (cases list $TMP) that keeps $CM one word for the cmd files.
    WRAP=$(mktemp -d)
    printf '#!/bin/sh\nexec valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=97 %s "%s" "$@"\n' \
        "${CM_VALGRIND_FLAGS:-}" "$CM" >"$WRAP/cohortmatch"
    chmod 755 "$WRAP" "$WRAP/cohortmatch"
    CM=$WRAP/cohortmatch
fi
export CM ROOT TMP CASE
cd "$TMP" || exit 1
bash -e -o pipefail "$CASE/cmd" >"$TMP/.out" 2>"$TMP/.err" </dev/null
status=$?
want_status=0
[ -f "$CASE/status" ] && want_status=$(cat "$CASE/status")
failed=0
if [ "$status" != "$want_status" ]; then
    echo "exit status $status, expected $want_status"
    failed=1
fi
if [ -f "$CASE/expected.out" ]; then
    diff -u "$CASE/expected.out" "$TMP/.out" || failed=1
fi
if [ -f "$CASE/expected.err" ]; then
    diff -u "$CASE/expected.err" "$TMP/.err" || failed=1
elif [ -s "$TMP/.err" ]; then
    echo "unexpected stderr:"
    cat "$TMP/.err"
    failed=1
fi
if [ -n "${CM_UPDATE_GOLDEN:-}" ]; then
    # Write the goldens from this run (review the diff before committing).
    cp "$TMP/.out" "$CASE/expected.out"
    if [ -s "$TMP/.err" ]; then cp "$TMP/.err" "$CASE/expected.err"; else rm -f "$CASE/expected.err"; fi
    [ "$status" != 0 ] && echo "$status" >"$CASE/status" || rm -f "$CASE/status"
    exit 0
fi
exit $failed
