#!/usr/bin/env bash
# Session 12's first device call: decode_attention candidates for cuda-sm90 as explicit buckets
# (qa: the K-dot's head group unrolled inside the key loop, so each key element is loaded once for
# the group's 4 heads; ov / ov2: o_part with 4 / 2 value columns per thread, so each probability
# load serves 4 / 2 columns; qaov: both), their kernel tests and the decode rows beside the
# default; then the AVX-512 selective_scan bucket seq (one exp per element) on the host's Xeon:
# its kernel tests and the CPU row beside the AVX-512 default.
#   run: bash bench/results/2026-11-27-s12/call_s12a.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm90*:*SelectiveScan*avx512*'
.gpu/bin/seqmix-bench --device cpu --rows selective_scan --variant x86-64-avx512/default,x86-64-avx512/seq \
    --no-peers --repeats 10 --json "$OUT/cpu_scan.json" > "$OUT/cpu_scan.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/cpu_scan.json"
rows decode_attention cuda-sm90/default,cuda-sm90/qa,cuda-sm90/ov,cuda-sm90/ov2,cuda-sm90/qaov 1
