#!/usr/bin/env bash
# Session 30's device call a: the algorithm changes of common/dplr.h on CUDA (kv reads Z = U0 + Vin,
# o_intra accumulates onto o_inter, the source-group RDoms at their default of one row): every
# chunked delta-rule and RWKV-7 kernel test of every CUDA variant, then the dispatched rows of this
# bundle (.gpu/bin) and of session 29's last one (.gpu/old, commit 370fb68, no rwkv7), alternately,
# twice, on the same GPU.
#   run: bash bench/results/2026-11-29-s30/call_s30a.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*:*DplrChunkedVsStep.*:*Gdn2Limits.*' 300
mkdir -p .gpu/oldbin && python3 -c "import tarfile; tarfile.open('.gpu/old/bin.tar.xz').extractall('.gpu/oldbin')"
chmod +x .gpu/oldbin/*
for i in 1 2; do
  for which in bin oldbin; do
    .gpu/$which/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2 --variant dispatch \
        --repeats 10 --min-time 0.1 --json "$OUT/${which}_$i.json" > "$OUT/${which}_$i.txt" 2>&1
    echo "== $which $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/${which}_$i.json"
  done
done
.gpu/bin/seqmix-bench --device cuda --rows rwkv7 --variant dispatch --repeats 10 --min-time 0.1 \
    --json "$OUT/rwkv7.json" > "$OUT/rwkv7.txt" 2>&1
echo "== rwkv7"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rwkv7.json"
