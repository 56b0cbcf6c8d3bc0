#!/usr/bin/env bash
# Session 25's device call: the chunked state passing with an undef pure step (272e2ba) on CUDA.
# The pure step no longer stores the initial state into every chunk's slot, which changes the
# lowering of every CUDA gla / gla_state / scalar-decay file: the gla and scalar-decay CUDA tests
# of the new build, then gla's and simple_gla's rows of the build before it (.gpu/old, 263fd02)
# and after it (.gpu/bin) interleaved twice, the variant dispatch picks and the other buckets.
#   run: bash bench/results/2026-11-29-s25/call_s25a.sh   (carry .gpu; both builds ONLY_MIXERS = gla;simple_gla)
. bench/results/2026-11-27-s16/common.sh
bash .gpu/unpack.sh && bash .gpu/old/unpack.sh
variant_tests '*Gla*:*ScalarDecay*:*SimpleGla*' 240
rows_of() {  # BUILD TAG: gla and simple_gla rows of that build's seqmix-bench
  "$1"/seqmix-bench --device cuda --rows gla,simple_gla --variant all --repeats 20 --min-time 0.2 \
      --json "$OUT/rows_$2.json" > "$OUT/rows_$2.txt" 2>&1
  echo "== $2"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows_$2.json" | grep -v skipped
}
for i in 1 2; do rows_of .gpu/old/bin old$i; rows_of .gpu/bin new$i; done
