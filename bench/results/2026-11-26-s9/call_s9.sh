#!/usr/bin/env bash
# Session 9's one device call (H100 host): the selective_scan changes (rescan indexed by tokens
# done, A staged as `rate`, the G = 1 channel-vector bucket `dvec`), on the GPU and on the host's
# AVX-512 Xeon. Binaries from scripts/gpu_bundle.sh with SEQMIX_ONLY_MIXERS="selective_scan;selective_scan_step".
#   run: bash bench/results/2026-11-26-s9/call_s9.sh   (carry .gpu)
set -uo pipefail
OUT="${OUT:-/tmp/out}"
mkdir -p "$OUT"
bash .gpu/unpack.sh
nvidia-smi -L; lscpu | grep -E 'Model name|^CPU\(s\)|avx512f' | cut -c1-120 | head -3
# CUDA variants of the selective_scan tests, then the AVX-512 CPU variants on the host's Xeon.
bash scripts/gpu_tests.sh "$OUT/logs" 'SelectiveScan' 2>&1 | tail -20
.gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*x86_64_avx512*' > "$OUT/logs/avx512.log" 2>&1
grep -E '^\[  (PASSED|FAILED) |tests ran' "$OUT/logs/avx512.log"; grep -c 'OK \].*avx512_dvec' "$OUT/logs/avx512.log"
# GPU rows (default variants; peers none for the S6 scan), then the Xeon's AVX-512 rows, twice.
.gpu/bin/seqmix-bench --device cuda --rows selective_scan,selective_scan_step --json "$OUT/cuda.json" 2>&1 | tail -8
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cpu --rows selective_scan --variant x86-64-avx512/default,x86-64-avx512/dvec \
      --no-peers --repeats 5 --min-time 0.5 --json "$OUT/cpu_$i.json" 2>&1 | tail -4
done
# Where the CUDA scan's time goes (kernel by kernel), for the next session.
ncu --clock-control none --metrics gpu__time_duration.sum --csv .gpu/bin/seqmix-bench --device cuda --rows selective_scan \
    --variant cuda-sm90/default --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu_selective_scan.csv" 2>&1
python3 bench/results/2026-11-26-s9/ncu_sum.py "$OUT/ncu_selective_scan.csv"
