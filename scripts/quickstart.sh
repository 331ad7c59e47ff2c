#!/usr/bin/env bash
# Installs what cohortmatch needs to build and test (Debian 12, as root: the
# packages in scripts/packages.txt), builds a release binary and runs the main
# job on the bundled demo patient and the bundled rules.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(sed 's/#.*//' scripts/packages.txt)
missing=""
for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $package"
done
if [ -n "$missing" ]; then
    echo "Installing:$missing" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >/dev/null

# The demo: a VEP-annotated tumour/normal VCF of an intrahepatic cholangiocarcinoma.
./build/release/cohortmatch match -t CHOL --age 61 -O text testdata/demo/patient.vcf
