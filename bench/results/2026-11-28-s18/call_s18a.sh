#!/usr/bin/env bash
# Session 18's first device call: the LSTM and GRU steps with the split-K bucket (@sk: the
# recurrent products' K split over threads, partial sums in shared memory, the gates and the cell
# in the same kernel) and its explicit variations, beside the default and cuDNN (PyTorch) in the
# same session; ncu's kernel time per step; every CUDA test of lstm, gru and pararnn.
#   run: bash bench/results/2026-11-28-s18/call_s18a.sh   (carry .gpu; build: ONLY_MIXERS="lstm;gru")
. bench/results/2026-11-27-s16/common.sh
python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only rnn,copy --no-ieee > "$OUT/peers.txt" 2>&1
tail -12 "$OUT/peers.txt" | cut -c1-200
V=cuda-sm90/default,cuda-sm90/sk
for c in tb8 tb2 k16 k4 tj16 u1 u4 tb8k4; do V="$V,cuda-sm90/$c"; done
.gpu/bin/seqmix-bench --device cuda --rows lstm,gru --variant "$V" --gpu-peers "$OUT/peers.json" --repeats 5 \
    --min-time 0.1 --json "$OUT/rnn.json" > "$OUT/rnn.txt" 2>&1
cut -c1-220 "$OUT/rnn.txt"
for v in default sk; do
  timeout 200 ncu --clock-control none --launch-count 40 --metrics gpu__time_duration.sum --csv .gpu/bin/seqmix-bench \
      --device cuda --rows lstm --variant cuda-sm90/$v --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu_$v.csv" 2>&1
  python3 bench/results/2026-11-26-s9/ncu_sum.py "$OUT/ncu_$v.csv" | head -6
done
variant_tests '*Lstm*:*Gru*:*Rnn*:*ParaRnn*' 400
