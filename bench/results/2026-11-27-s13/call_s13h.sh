#!/usr/bin/env bash
# Session 13's eighth device call: staged2 (staged with A's value for the current state index in
# a register per thread: rate.in(hs), rate.in(hlast), rate.in(hc), instead of a global load per
# token) beside staged; CUDA selective_scan tests of both, rows twice, ncu's instruction counts of
# the rescan kernel (call i of ncu showed both kernels issue-bound: 58-65% SM throughput, ~64
# instructions per state element and token).
#   run: bash bench/results/2026-11-27-s13/call_s13h.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 200 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan.*cuda_sm90_staged*:*SelectiveScanLong*cuda_sm90_staged*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | cut -c1-150 | head
rows selective_scan cuda-sm90/staged,cuda-sm90/staged2 2
for v in staged staged2; do
  timeout 120 ncu -k regex:_kernel_ --launch-count 2 --metrics smsp__inst_executed.sum,gpu__time_duration.sum,smsp__inst_executed_op_global_ld.sum \
      .gpu/bin/seqmix-bench --device cuda --rows selective_scan --variant cuda-sm90/$v --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu_$v.txt" 2>&1
  echo "== $v"; grep -E "_kernel_|inst_executed|duration" "$OUT/ncu_$v.txt" | cut -c1-120
done
