#!/usr/bin/env bash
# Session 29's device call f: the cuda-sm80 buckets that mirror cuda-sm90's (dplr and rwkv7 k64 /
# k64bh16; gla, gla_state, scalar_decay and ssd staged / tiled), run on an H200 as Halide
# cuda_capability_80 PTX (no A100 here): every chunked kernel test of a cuda-sm80 variant, then the
# rows once with each bucket for both targets beside cuda-sm80's default file (what an A100 got
# before).
#   run: bash bench/results/2026-11-29-s29/call_s29f.sh   (carry .gpu; bundle ONLY_MIXERS =
#   gla;gla_state;linear_attn;retention;simple_gla;ssd;delta_rule;gated_delta_rule;kda;
#   gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*cuda_sm80*' 300
b() {  # ROWS VARIANTS NAME
  .gpu/bin/seqmix-bench --device cuda --rows "$1" --variant "$2" --repeats 5 --min-time 0.05 \
      --json "$OUT/$3.json" > "$OUT/$3.txt" 2>&1
  echo "== $3"; python3 bench/results/2026-11-27-s10/table.py "$OUT/$3.json" | grep -v skipped | cut -c24-110
}
b gla,linear_attn,retention,simple_gla,ssd cuda-sm80/default,cuda-sm90/staged,cuda-sm80/staged,cuda-sm90/tiled,cuda-sm80/tiled chunked
b delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 cuda-sm80/default,cuda-sm90/k64,cuda-sm80/k64,cuda-sm90/k64bh16,cuda-sm80/k64bh16 dplr
