#!/usr/bin/env bash
# Session 31's device call a: the state pass of common/chunked.h now peels chunk 0 (select(rc < 1,
# initial, likely(...))), which changes the CUDA kernels of gla, the scalar-decay mixers and SSD.
# Every chunked and long-T kernel test of those mixers on every CUDA variant (not the steps' own
# tests: no state pass there), then the dispatched chunked rows of this bundle (.gpu/bin) and of
# session 30's last commit (.gpu/old, 4f123a6, same mixers), alternately, twice, on the same GPU.
#   run: bash bench/results/2026-11-29-s31/call_s31a.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Gla*:*ScalarDecay*:*Ssd*-*_x86_64_*:*Step.MatchesReference*' 400
mkdir -p .gpu/oldbin && python3 -c "import tarfile; tarfile.open('.gpu/old/bin.tar.xz').extractall('.gpu/oldbin')"
chmod +x .gpu/oldbin/*
for i in 1 2; do
  for which in bin oldbin; do
    .gpu/$which/seqmix-bench --device cuda --rows gla,linear_attn,retention,simple_gla,ssd,ssd_bidirectional \
        --variant dispatch --repeats 10 --min-time 0.1 --json "$OUT/${which}_$i.json" > "$OUT/${which}_$i.txt" 2>&1
    echo "== $which $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/${which}_$i.json"
  done
done
