#!/usr/bin/env bash
# Checks the Debian package that `cpack -G DEB` made (.ci/run runs this):
#  - its name, and Depends naming the runtime libraries (libc6, libhts3, libyaml-0-2,
#    libjansson4, libnettle8);
#  - its files and what they do, unpacked with dpkg -x into an empty folder: the same
#    checks as an install prefix (check_installed.sh), plus changelog.Debian.gz;
#  - lintian, when installed: no errors;
#  - with --dpkg-install (as root, on a machine it may change): dpkg -i, the demo run by
#    /usr/bin/cohortmatch with /usr/share/cohortmatch/rules, `man -w` for its pages (when
#    man is installed), then dpkg -r.
#
#   check_deb.sh <package.deb> <source root> [--dpkg-install]
set -euo pipefail
deb=$1 root=$2 install=${3:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
fail() { echo "FAILED: $*"; failed=1; }

dpkg-deb --info "$deb"
[[ $(dpkg-deb --field "$deb" Package) == cohortmatch ]] || fail "the package is not named cohortmatch"
depends=$(dpkg-deb --field "$deb" Depends)
for library in libc6 libhts3 libyaml-0-2 libjansson4 libnettle8; do
    [[ ", $depends," == *", $library "* || ", $depends," == *", $library,"* ]] ||
        fail "Depends ($depends) does not name $library"
done

dpkg-deb --contents "$deb"
dpkg-deb --extract "$deb" "$scratch/root"
bash "$root/tests/install/check_installed.sh" "$scratch/root/usr" "$root" ON \
    share/doc/cohortmatch/changelog.Debian.gz || failed=1

if command -v lintian >/dev/null; then
    lintian --fail-on error "$deb" || fail "lintian reports errors"
fi

if [[ $install == --dpkg-install ]]; then
    dpkg --install "$deb"
    mkdir "$scratch/work"
    cp "$root/testdata/demo/patient.vcf" "$scratch/work/"
    (cd "$scratch/work" && env -u COHORTMATCH_RULES /usr/bin/cohortmatch match -t CHOL --age 61 -O text patient.vcf) \
        >"$scratch/demo.txt"
    diff -u "$root/tests/e2e/match-demo-text/expected.out" "$scratch/demo.txt" ||
        fail "the demo run by the installed package differs"
    (cd "$scratch/work" && env -u COHORTMATCH_RULES /usr/bin/cohortmatch match -t CHOL -O json patient.vcf) \
        >"$scratch/demo.json"
    grep -q '"path": "/usr/share/cohortmatch/rules/drup.yaml"' "$scratch/demo.json" ||
        fail "/usr/bin/cohortmatch did not read /usr/share/cohortmatch/rules"
    if command -v man >/dev/null; then
        for page in cohortmatch.1 cohortmatch-match.1 cohortmatch-rules.5; do
            section=${page##*.}
            man -aw "$section" "${page%.*}" >"$scratch/man.txt" || true
            grep -qx "/usr/share/man/man$section/$page.gz" "$scratch/man.txt" ||
                fail "man does not find ${page%.*}($section) in /usr/share/man"
        done
    fi
    dpkg --remove cohortmatch
fi

[[ $failed == 0 ]] && echo "$deb: metadata, files, demo$([[ $install == --dpkg-install ]] && echo ", dpkg -i") as expected"
exit $failed
