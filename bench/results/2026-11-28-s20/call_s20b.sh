#!/usr/bin/env bash
# Session 20's second device call: CUDA attention@d64 candidates with K (and Q, V) tiles staged in
# shared memory, transposed and padded, and the block max / sum split over the block's threads,
# beside the shipped d64 and the default, with SDPA in the same session; then the CUDA attention
# kernel tests of every variant.
#   run: bash bench/results/2026-11-28-s20/call_s20b.sh   (carry .gpu; build: ONLY_MIXERS=attention)
. bench/results/2026-11-28-s20/common.sh
attention_rows cuda-sm90/d64,cuda-sm90/s3,cuda-sm90/s8,cuda-sm90/s10,cuda-sm90/s11,cuda-sm90/s12,cuda-sm90/s14,cuda-sm90/s16,cuda-sm90/s17
variant_tests '*Attention*cuda_sm90*' 300
timeout 200 ncu --kernel-name regex:acc_s1 --launch-count 1 --section WarpStateStats --section Occupancy \
    --section ComputeWorkloadAnalysis --section MemoryWorkloadAnalysis --section LaunchStats \
    .gpu/bin/seqmix-bench --device cuda --rows attention --variant cuda-sm90/s11 --repeats 1 --min-time 0 --warmup 0 \
    --no-check > "$OUT/ncu_s11.log" 2>&1
grep -E "Stall|Warp Cycles|Occupancy|Registers|Shared Memory|Throughput|Issued|Block Limit" "$OUT/ncu_s11.log" | head -40
