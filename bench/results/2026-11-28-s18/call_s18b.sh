#!/usr/bin/env bash
# Session 18's second device call: the split-K bucket's second round (one or two batch rows a
# block, the K split 16 or 32 ways, the unroll), beside cuDNN (PyTorch) in the same session, and
# the CUDA tests of lstm, gru and pararnn on every candidate.
#   run: bash bench/results/2026-11-28-s18/call_s18b.sh   (carry .gpu; build: ONLY_MIXERS="lstm;gru")
. bench/results/2026-11-27-s16/common.sh
python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only rnn,copy --no-ieee > "$OUT/peers.txt" 2>&1
V=cuda-sm90/sk
for c in tb2 k16 tb2k16 tb2k16u1 tb1k16 tb1k32 tb2k32 k16u1 tb2u1; do V="$V,cuda-sm90/$c"; done
.gpu/bin/seqmix-bench --device cuda --rows lstm,gru --variant "$V" --gpu-peers "$OUT/peers.json" --repeats 5 \
    --min-time 0.1 --json "$OUT/rnn.json" > "$OUT/rnn.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/rnn.json"
variant_tests '*Lstm*:*Gru*:*Rnn*:*ParaRnn*' 400
