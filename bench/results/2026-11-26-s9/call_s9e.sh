#!/usr/bin/env bash
# Session 9's fifth device call: ncu's view of selective_scan_step's two CUDA kernels (new_state,
# y) at B64_D5120_N16_G1 and of selective_scan's y kernel, to see what bounds them.
#   run: bash bench/results/2026-11-26-s9/call_s9e.sh   (carry .gpu)
set -uo pipefail
OUT="${OUT:-/tmp/out}"
mkdir -p "$OUT"
bash .gpu/unpack.sh
for row in selective_scan_step selective_scan; do
  ncu --clock-control none -k regex:'_kernel_(new_state|y_s0)' -c 2 --section SpeedOfLight --section Occupancy \
      --section WarpStateStats --section LaunchStats --section MemoryWorkloadAnalysis \
      .gpu/bin/seqmix-bench --device cuda --rows $row --variant cuda-sm90/default --repeats 1 --min-time 0 --warmup 0 \
      --no-check > "$OUT/ncu_$row.txt" 2>&1
  grep -E '_kernel_|Duration|Memory Throughput|DRAM Throughput|Compute \(SM\)|Achieved Occupancy|Theoretical Occupancy|Registers Per|Block Size|Grid Size|Stall|Warp Cycles Per Issued|L1/TEX Hit|L2 Hit|Mem Busy|Max Bandwidth' "$OUT/ncu_$row.txt" | head -60
done
