#!/usr/bin/env bash
# Session 20's fourth device call (m_part / l_part with u on thread x: 128 threads a block, not
# 256), and d128 candidates (the new B1_T4096_H32_K128_V128 row): CUDA attention candidates with K
# (and Q, V) tiles staged in shared memory, transposed and padded, and the block max / sum split
# over the block's threads, beside the shipped d64 and the default, with SDPA in the same session;
# then the CUDA attention kernel tests of every variant.
#   run: bash bench/results/2026-11-28-s20/call_s20d.sh   (carry .gpu; build: ONLY_MIXERS=attention)
. bench/results/2026-11-27-s16/common.sh
nvidia-smi -L
python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only attention,copy --no-ieee > "$OUT/peers.log" 2>&1
tail -5 "$OUT/peers.log"
V=cuda-sm90/d64,cuda-sm90/s3,cuda-sm90/s18,cuda-sm90/s10,cuda-sm90/s11,cuda-sm90/s12,cuda-sm90/s16,cuda-sm90/s17,cuda-sm90/s19,cuda-sm90/d128,cuda-sm90/t1,cuda-sm90/t2,cuda-sm90/t3
.gpu/bin/seqmix-bench --device cuda --rows attention --variant "$V" \
    --gpu-peers "$OUT/peers.json" --repeats 5 --min-time 0.1 --json "$OUT/attention.json" > "$OUT/attention.log" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/attention.json"
grep -i "error\|fail" "$OUT/attention.log" | head
variant_tests '*Attention*cuda_sm90*' 300
for v in s11 s19; do
  timeout 200 ncu --kernel-name regex:acc_s1 --launch-count 1 --section WarpStateStats --section Occupancy \
      --section ComputeWorkloadAnalysis --section MemoryWorkloadAnalysis --section LaunchStats \
      --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio" \
      .gpu/bin/seqmix-bench --device cuda --rows attention --variant cuda-sm90/$v --repeats 1 --min-time 0 --warmup 0 \
      --no-check > "$OUT/ncu_$v.log" 2>&1
  grep -E "stalled|Stall|Warp Cycles|Occupancy|Registers|Shared Memory|Throughput|Issued|Block Limit" "$OUT/ncu_$v.log" | awk '!/stalled/ || $NF + 0 > 0.5' | head -40
done
