#!/usr/bin/env bash
# Fuzzes the schedule-language parser with libFuzzer (clang from Debian) for $1 seconds
# (default 60). The corpus starts from the shipped schedules and the golden error cases and
# lives in build-fuzz/corpus.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
out="$root/build-fuzz"
mkdir -p "$out/corpus"
cp -n "$root"/schedules/*/*.sched "$out/corpus/" 2>/dev/null || true
# Every directive and error path of the language has a small file among the golden cases.
cp -n "$root"/tests/sched/golden/*.sched "$out/corpus/" 2>/dev/null || true
clang++ -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -I"$root/schedules" \
    "$root/tests/sched/fuzz_parse.cpp" "$root"/schedules/lang/*.cpp -lfmt -o "$out/fuzz_parse"
"$out/fuzz_parse" -max_total_time="$seconds" -print_final_stats=1 "$out/corpus" 2>&1 | tail -n 12
