#!/usr/bin/env bash
# Session 19's seventh device call: ncu's warp-state sections (stall reasons) of selective_scan@g1's
# y and hlast kernels at B8_D2048_T2048_N16_G1 (call d's text was lost).
#   run: bash bench/results/2026-11-28-s19/call_s19g.sh   (carry .gpu; build: ONLY_MIXERS="selective_scan")
. bench/results/2026-11-27-s16/common.sh
timeout 240 ncu --clock-control none --section WarpStateStats --section MemoryWorkloadAnalysis \
    --metrics smsp__pcsamp_warps_issue_stalled_long_scoreboard,smsp__pcsamp_warps_issue_stalled_mio_throttle,smsp__pcsamp_warps_issue_stalled_short_scoreboard,smsp__pcsamp_warps_issue_stalled_lg_throttle,smsp__pcsamp_warps_issue_stalled_math_pipe_throttle,smsp__pcsamp_warps_issue_stalled_wait,smsp__pcsamp_warps_issue_stalled_barrier,smsp__pcsamp_warps_issue_stalled_not_selected,smsp__pcsamp_warps_issue_stalled_selected,smsp__pcsamp_warps_issue_stalled_dispatch_stall,smsp__pcsamp_warps_issue_stalled_no_instructions,smsp__pcsamp_warps_issue_stalled_tex_throttle \
    --kernel-name regex:'_kernel_(y_s0|hlast)' --launch-skip 2 --launch-count 2 \
    .gpu/bin/seqmix-bench --device cuda --rows selective_scan --variant cuda-sm90/g1 --repeats 1 --min-time 0 \
    --warmup 0 --no-check > "$OUT/ncu_g1_stalls.log" 2>&1
grep -vE '^==PROF==|^\s*$' "$OUT/ncu_g1_stalls.log" | grep -E '_kernel_|stalled|Stall|L1|Shared|L2|DRAM|Mem|Warp Cycles|spends' | head -70
