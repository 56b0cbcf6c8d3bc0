#!/usr/bin/env bash
# Session 20's sixth device call: seqmix-tune's grid over the new attention@d64 template at
# B4_T4096_H16_K64_V64 (.tune-bundle/att3, 40 points) and attention@d128's at
# B1_T4096_H32_K128_V128 (.tune-bundle/att4); tuning/README.md gives the export and import commands.
#   run: bash bench/results/2026-11-28-s20/call_s20f.sh   (carry .tune-bundle)
set -uo pipefail
OUT="${OUT:-/tmp/out}"
nvidia-smi -L
for b in att3 att4; do
  (cd ".tune-bundle/$b" && timeout 280 ./seqmix-tune-runner run-bundle . > "$OUT/$b.log" 2>&1; echo "$b rc=$?")
  cp ".tune-bundle/$b/results.jsonl" "$OUT/$b-results.jsonl"
  tail -4 "$OUT/$b.log"
done
