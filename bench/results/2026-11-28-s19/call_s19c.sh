#!/usr/bin/env bash
# Session 19's third device call: selective_scan@tiled at 16 chunks x 16 channels a block (call b's
# best, t16x16), its cuda-sm80 copy, and candidates (tiles 8x32, 16x32, 4x32; d1: dtcum in one
# kernel, its within-chunk sums in registers) beside the staged bucket and the default, same run;
# ncu's per-kernel times of tiled and d1; every CUDA selective_scan kernel test.
#   run: bash bench/results/2026-11-28-s19/call_s19c.sh   (carry .gpu; build: ONLY_MIXERS="selective_scan")
. bench/results/2026-11-27-s16/common.sh
V=cuda-sm90/tiled,cuda-sm90/staged,cuda-sm90/default,cuda-sm80/tiled,cuda-sm90/t8x32,cuda-sm90/t16x32,cuda-sm90/t4x32,cuda-sm90/d1
vrows selective_scan "$V" 5
cp "$OUT/selective_scan.json" "$OUT/selective_scan_1.json"
ncu_times selective_scan cuda-sm90/tiled
cp "$OUT/ncu.csv" "$OUT/ncu_tiled.csv"
ncu_times selective_scan cuda-sm90/d1
variant_tests '*SelectiveScan*:*selective_scan*' 400
vrows selective_scan "cuda-sm90/tiled,cuda-sm90/staged,cuda-sm90/d1,cuda-sm90/t8x32" 5
