#!/usr/bin/env bash
# Session 12's fifth device call: ncu's per-kernel times of bucket v4 at the first decode row
# (B64_Tq1_L4096, equal lengths then ragged): the first 60 kernel launches of the bench after its
# ceilings, one call per row (--repeats 1 --warmup 0).
#   run: bash bench/results/2026-11-27-s12/call_s12e.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 400 ncu --clock-control none --metrics gpu__time_duration.sum --csv --launch-count 60 \
    .gpu/bin/seqmix-bench --device cuda --rows decode_attention --variant cuda-sm90/v4 --repeats 1 --min-time 0 \
    --warmup 0 --no-check > "$OUT/ncu.csv" 2>&1
python3 bench/results/2026-11-26-s9/ncu_sum.py "$OUT/ncu.csv" | head -14
