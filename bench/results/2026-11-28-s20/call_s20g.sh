#!/usr/bin/env bash
# Session 20's seventh device call: the shipped attention@d64 (staged K and Q, the hand point the
# tuner confirmed) and attention@d128 (its tuned point), their cuda-sm80 copies, what `dispatch`
# picks, and the default file, with PyTorch's SDPA in the same session; then every CUDA attention
# kernel test.
#   run: bash bench/results/2026-11-28-s20/call_s20g.sh   (carry .gpu; build: ONLY_MIXERS=attention)
. bench/results/2026-11-27-s16/common.sh
python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only attention,copy --no-ieee > "$OUT/peers.log" 2>&1
tail -3 "$OUT/peers.log"
.gpu/bin/seqmix-bench --device cuda --rows attention --variant dispatch,cuda-sm90/d64,cuda-sm90/d128,cuda-sm90/default,cuda-sm80/d64,cuda-sm80/d128 \
    --gpu-peers "$OUT/peers.json" --repeats 5 --min-time 0.1 --json "$OUT/attention.json" > "$OUT/attention.log" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/attention.json"
grep -E "^attention .*(dispatch|torch)" "$OUT/attention.log" | cut -c1-160
variant_tests '*Attention*cuda*' 300
