#!/usr/bin/env bash
# Session 19's second device call (call a's thread layout fixed: blockDim 16 x 8, not 128 x 8): selective_scan@tiled (cuda-sm90; one thread per (chunk, channel),
# states in registers, Bm/Cm rows staged per tile of chunks) and its explicit candidates beside the
# shipped staged bucket and default, same run; ncu's per-kernel times of tiled; every CUDA
# selective_scan kernel test.
#   run: bash bench/results/2026-11-28-s19/call_s19b.sh   (carry .gpu; build: ONLY_MIXERS="selective_scan")
. bench/results/2026-11-27-s16/common.sh
V=cuda-sm90/tiled,cuda-sm90/staged,cuda-sm90/default,cuda-sm90/t8x16,cuda-sm90/t16x16,cuda-sm90/t32x8,cuda-sm90/t16x4,cuda-sm90/c9,cuda-sm90/c17,cuda-sm90/su
vrows selective_scan "$V" 5
cp "$OUT/selective_scan.json" "$OUT/selective_scan_1.json"
ncu_times selective_scan cuda-sm90/tiled
variant_tests '*SelectiveScan*:*selective_scan*' 400
vrows selective_scan "cuda-sm90/tiled,cuda-sm90/staged,cuda-sm90/t16x16,cuda-sm90/t32x8" 5
