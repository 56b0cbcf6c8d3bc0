#!/usr/bin/env bash
# Session 26's device call f: where the CUDA chunked delta rule spends its time: ncu's per-kernel
# times of gated_delta_rule's default file at its rows, and the rows of the four delta rules.
#   run: bash bench/results/2026-11-29-s26/call_s26f.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2)
. bench/results/2026-11-27-s16/common.sh
echo "== ncu default"; ncu_times gated_delta_rule cuda-sm90/default
.gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2 --variant dispatch \
    --repeats 5 --min-time 0.1 --json "$OUT/rows.json" > "$OUT/rows.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/rows.json"
