#!/usr/bin/env bash
# Session 22's eighth device call: where decode_attention@v4's time goes: ncu's per-kernel times
# over its rows, then SpeedOfLight, occupancy and stall reasons of its two KV-reading kernels (qk
# reads K, o_part reads V) at the first row (B64_Tq1_L4096_H32_Hkv8_K128_V128).
#   run: bash bench/results/2026-11-28-s22/call_s22h.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-28-s22/common.sh
ncu_times decode_attention cuda-sm90/v4
for k in qk_s1 o_part_s1; do
  timeout 200 ncu --kernel-name "regex:$k" --launch-count 1 --section WarpStateStats --section SpeedOfLight \
      --section Occupancy --section LaunchStats --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio" \
      .gpu/bin/seqmix-bench --device cuda --rows decode_attention --variant cuda-sm90/v4 --repeats 1 --min-time 0 \
      --warmup 0 --no-check > "$OUT/ncu_$k.log" 2>&1
  echo "== $k"; grep -E "stalled|Throughput|Duration|Achieved Occupancy|Registers Per|Block Size|Grid Size|Shared Memory Config|Dynamic Shared" "$OUT/ncu_$k.log" | awk '!/stalled/ || $NF + 0 > 0.3'
done
