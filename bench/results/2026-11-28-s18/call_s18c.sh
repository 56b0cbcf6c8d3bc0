#!/usr/bin/env bash
# Session 18's third device call: the committed lstm/gru files (the split-K defaults and buckets
# @sk, both CUDA targets) beside the previous default (the explicit candidate `old`) and cuDNN
# (PyTorch) in the same session; every CUDA test of lstm, gru and pararnn, the CUDA-graph capture
# test (stream-ordered scratch) among them.
#   run: bash bench/results/2026-11-28-s18/call_s18c.sh   (carry .gpu; build: ONLY_MIXERS="lstm;gru")
. bench/results/2026-11-27-s16/common.sh
python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only rnn,copy --no-ieee > "$OUT/peers.txt" 2>&1
.gpu/bin/seqmix-bench --device cuda --rows lstm,gru --variant cuda-sm90/sk,cuda-sm90/default,cuda-sm90/old \
    --gpu-peers "$OUT/peers.json" --repeats 5 --min-time 0.1 --json "$OUT/rnn.json" > "$OUT/rnn.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/rnn.json"
variant_tests '*Lstm*:*Gru*:*Rnn*:*ParaRnn*' 400
grep -E 'CapturesIntoAGraph' "$OUT/tests.log" | head -4
