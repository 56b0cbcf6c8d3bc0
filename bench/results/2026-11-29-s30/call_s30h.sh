#!/usr/bin/env bash
# Session 30's device call h: the final bundle's rwkv7 chunked kernel tests (every CUDA variant;
# rwkv7@k64bh16 and its sm80 copy now carry call g's mmat tiles) and its rwkv7 rows once.
#   run: bash bench/results/2026-11-29-s30/call_s30h.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*rwkv7*:*DplrStateRoundTrip.*rwkv7*:*DplrChunkedVsStep.*rwkv7*' 300
.gpu/bin/seqmix-bench --device cuda --rows rwkv7 --variant dispatch,cuda-sm80/k64bh16 \
    --repeats 10 --min-time 0.1 --json "$OUT/rows.json" > "$OUT/rows.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/rows.json" | grep -v skipped | cut -c24-140
