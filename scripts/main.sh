#!/usr/bin/env bash
# The README's first command: installs what is missing, builds everything, and runs the main
# job: the benchmark table, each row checked against the float64 reference.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
mkdir -p "$root/out"
"$root/build/bench/seqmix-bench" --json "$root/out/bench.json" "$@"
echo "wrote $root/out/bench.json"
