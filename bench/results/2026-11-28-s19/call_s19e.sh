#!/usr/bin/env bash
# Session 19's fifth device call: selective_scan@g1 beside candidates that cut the chunk-strided
# loads call d's ncu pointed at: yo (y's output loop coalesced: 16 tokens x 16 channels of threads
# read x and z and write y, the registers' sums staged through shared memory), tr (dtcum's
# within-chunk sums back in registers in hlast, dtcum in two kernels on 128-thread rows), yt (both);
# ncu's per-kernel times of yt; every CUDA selective_scan kernel test.
#   run: bash bench/results/2026-11-28-s19/call_s19e.sh   (carry .gpu; build: ONLY_MIXERS="selective_scan")
. bench/results/2026-11-27-s16/common.sh
V=cuda-sm90/g1,cuda-sm90/staged,cuda-sm90/yo,cuda-sm90/tr,cuda-sm90/yt
vrows selective_scan "$V" 5
cp "$OUT/selective_scan.json" "$OUT/selective_scan_1.json"
ncu_times selective_scan cuda-sm90/yt
variant_tests '*SelectiveScan*:*selective_scan*' 300
vrows selective_scan "$V" 5
