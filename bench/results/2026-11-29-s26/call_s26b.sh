#!/usr/bin/env bash
# Session 26's device call b: three candidates around the scalar-decay bucket `staged` (explicit
# buckets at the time: stc32 = chunk 32, stu4 = the state loop over chunks unrolled by 4, stfo =
# o_inter and o_intra as register tiles inside o's kernel), their kernel tests, ncu's per-kernel
# times of staged and stfo at simple_gla's row, then simple_gla's rows twice.
#   run: bash bench/results/2026-11-29-s26/call_s26b.sh   (carry .gpu; bundle ONLY_MIXERS =
#   linear_attn;retention;simple_gla, with the candidates in schedules/cuda-sm90)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*ScalarDecay.*:*ScalarDecayStateRoundTrip.*' 300
for v in staged stfo; do echo "== ncu $v"; ncu_times simple_gla cuda-sm90/$v; done
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows simple_gla --variant cuda-sm90/staged,cuda-sm90/stc32,cuda-sm90/stu4,cuda-sm90/stfo \
      --repeats 20 --min-time 0.2 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
