#!/usr/bin/env bash
# Session 26's device call g: the CUDA chunked delta rules and RWKV-7 with the state pass spread
# over (vd, kd) threads (explicit buckets `ps` at the time: 64 x K/4 threads, 4 rows a thread, each
# chunk's M_c staged in shared memory, which also puts a barrier between chunks; the default runs
# the pass on vd threads alone, K * K serial FMAs a chunk): the kernel tests of every variant, ncu
# of gated_delta_rule's ps, then the five mixers' rows twice, default beside ps.
#   run: bash bench/results/2026-11-29-s26/call_s26g.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrLong.*:*DplrStateRoundTrip.*' 300
echo "== ncu ps"; ncu_times gated_delta_rule cuda-sm90/ps
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant cuda-sm90/default,cuda-sm90/ps --repeats 5 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
