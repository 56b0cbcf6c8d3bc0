#!/usr/bin/env bash
# Session 14's fifth device call: the step kernels shifted inwards (call d: ssd_step's guarded
# loads cost 1.45x): gla_step@s4 / s8 and scalar_decay_step@s8 (the defaults' structure, tails
# shifted inwards: V >= 64 and K >= 16 / 32), ssd_step@r4s8i (r4s8 with dt_eff inline: no
# kernel of its own) beside r4s8, r4 and the defaults; their CUDA tests, rows twice.
#   run: bash bench/results/2026-11-27-s14/call_s14e.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 300 .gpu/bin/seqmix_kernel_tests --gtest_filter='*Step*cuda*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | grep -v "_s[48]$\|_r4s8i*$" | cut -c1-150 | head -20
rows ssd_step cuda-sm90/default,cuda-sm90/r4,cuda-sm90/r4s8,cuda-sm90/r4s8i 2
rows gla_step cuda-sm90/default,cuda-sm90/s4,cuda-sm90/s8 2
for r in linear_attn_step retention_step simple_gla_step; do rows $r cuda-sm90/default,cuda-sm90/s8 2; done
