#!/usr/bin/env bash
# Session 25's second device call: attention's online combine with one exp per (vd, ti) and key
# block (69bbedd; it changes every CUDA attention file's lowering, and attention@anderson2021 was
# re-imported for the changed pipeline): the new build's attention CUDA tests, then attention's
# rows of the build before it (.gpu/old, 6d9c662) and after it (.gpu/bin), interleaved twice.
#   run: bash bench/results/2026-11-29-s25/call_s25b.sh   (carry .gpu; both builds ONLY_MIXERS = attention)
. bench/results/2026-11-27-s16/common.sh
bash .gpu/unpack.sh && bash .gpu/old/unpack.sh
variant_tests '*Attention*' 300
rows_of() {  # BUILD TAG: attention's rows of that build's seqmix-bench
  "$1"/seqmix-bench --device cuda --rows attention --variant all --repeats 5 --min-time 0.2 \
      --json "$OUT/rows_$2.json" > "$OUT/rows_$2.txt" 2>&1
  echo "== $2"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows_$2.json" | grep -v skipped
}
for i in 1 2; do rows_of .gpu/old/bin old$i; rows_of .gpu/bin new$i; done
