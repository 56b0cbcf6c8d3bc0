#!/usr/bin/env bash
# Session 21's first device call: attention with its running state (acc) in shared memory for one
# query tile (candidates sacc = d64 + acc_out, sacc128 = d128 + acc_out at block_s 32 / vr 8) and
# token_mix as a shared-memory GEMM (candidates smem, smemb, smemc, smemd: block tiles 64x128,
# 64x64, 128x64, 64x64 at 128 threads); their CUDA tests, then the rows beside the peers.
#   run: bash bench/results/2026-11-28-s21/call_s21a.sh   (carry .gpu; build: ONLY_MIXERS="attention;token_mix")
. bench/results/2026-11-28-s20/common.sh
variant_tests '*Attention*cuda_sm90_sacc*:*TokenMix*cuda_sm90*' 240
python3 bench/peers/gpu_peers.py "$OUT/mix_peers.json" --only mixing,copy --no-ieee > "$OUT/mix_peers.log" 2>&1
.gpu/bin/seqmix-bench --device cuda --rows token_mix --variant cuda-sm90/default,cuda-sm90/smem,cuda-sm90/smemb,cuda-sm90/smemc,cuda-sm90/smemd \
    --gpu-peers "$OUT/mix_peers.json" --repeats 5 --min-time 0.1 --json "$OUT/token_mix.json" > "$OUT/token_mix.log" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/token_mix.json"
attention_rows cuda-sm90/d64,cuda-sm90/sacc,cuda-sm90/d128,cuda-sm90/sacc128
