#!/usr/bin/env bash
# Session 19's fourth device call: the shipped selective_scan@g1 (cuda-sm90) beside the explicit
# candidates h2 (hlast's loop over the state index unrolled by 2: two independent chains) and u2
# (y's as well, with register spills at the 64-register cap) and the staged bucket, same run; ncu's
# occupancy, issue and warp-stall sections of g1's y and hlast kernels; the CUDA kernel tests.
#   run: bash bench/results/2026-11-28-s19/call_s19d.sh   (carry .gpu; build: ONLY_MIXERS="selective_scan")
. bench/results/2026-11-27-s16/common.sh
vrows selective_scan "cuda-sm90/g1,cuda-sm90/staged,cuda-sm90/h2,cuda-sm90/u2" 5
cp "$OUT/selective_scan.json" "$OUT/selective_scan_1.json"
timeout 300 ncu --clock-control none --section SpeedOfLight --section Occupancy --section WarpStateStats \
    --section SchedulerStats --kernel-name regex:'_kernel_(y_s0|hlast)' --launch-count 4 \
    .gpu/bin/seqmix-bench --device cuda --rows selective_scan --variant cuda-sm90/g1 --repeats 1 --min-time 0 \
    --warmup 0 --no-check > "$OUT/ncu_g1.txt" 2>&1
grep -E '_kernel_|Duration|Compute \(SM\) Throughput|Memory Throughput|Achieved Occupancy|Theoretical Occupancy|Registers Per|Issued Warp|No Eligible|Warp Cycles Per Issued|Stall|Block Limit' "$OUT/ncu_g1.txt" | head -90
variant_tests '*SelectiveScan*:*selective_scan*' 300
vrows selective_scan "cuda-sm90/g1,cuda-sm90/staged,cuda-sm90/h2,cuda-sm90/u2" 5
