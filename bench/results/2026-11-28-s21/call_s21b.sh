#!/usr/bin/env bash
# Session 21's second device call: ncu's stall reasons and throughputs of token_mix@smem's GEMM
# kernel (the first full-row launch).
#   run: bash bench/results/2026-11-28-s21/call_s21b.sh   (carry .gpu; the bundle of call a)
. bench/results/2026-11-27-s10/common.sh
timeout 300 ncu --kernel-name regex:y_s0 --launch-count 1 --section WarpStateStats --section Occupancy \
    --section ComputeWorkloadAnalysis --section MemoryWorkloadAnalysis --section LaunchStats --section SpeedOfLight \
    --section InstructionStats \
    --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio" \
    .gpu/bin/seqmix-bench --device cuda --rows token_mix --variant cuda-sm90/smem --repeats 1 --min-time 0 \
    --warmup 0 --no-check > "$OUT/ncu_smem.log" 2>&1
grep -E "stalled|Stall|Warp Cycles|Occupancy|Registers|Shared Memory|Throughput|Issued|Block Limit|Executed Ipc|Duration|Bank" "$OUT/ncu_smem.log" |
    awk '!/stalled/ || $NF + 0 > 0.3' | head -60
