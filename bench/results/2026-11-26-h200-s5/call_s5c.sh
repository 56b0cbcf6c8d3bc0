#!/usr/bin/env bash
# Session 5, call D (two GPUs): dist tests (every LASP-2 mixer incl. the delta family, RWKV-7, SSD),
# the GLA bench at 64K, 256K, 1M tokens on one vs two GPUs with the gla_inter candidates timed on
# rank 0's slice, and the gla_inter CUDA kernel tests of every variant.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh
mkdir -p $OUT/a  # (dir a: same layout as call A)
nccl=$(dirname "$(find / -name 'libnccl.so.2' 2>/dev/null | head -1)")
export LD_LIBRARY_PATH=$nccl:${LD_LIBRARY_PATH:-} NCCL_NVLS_ENABLE=0
nvidia-smi -L > $OUT/a/gpus.txt
two() {  # two ranks: tag, time limit, command...
    local tag=$1 lim=$2; shift 2
    export SEQMIX_DIST_RENDEZVOUS=/tmp/rdv_$tag; rm -rf $SEQMIX_DIST_RENDEZVOUS
    RANK=0 WORLD_SIZE=2 LOCAL_RANK=0 timeout $lim "$@" > $OUT/a/${tag}_rank0.log 2>&1 &
    RANK=1 WORLD_SIZE=2 LOCAL_RANK=1 timeout $lim "$@" > $OUT/a/${tag}_rank1.log 2>&1
    wait
}
# dist tests ran in call A

timeout 200 .gpu/bin/seqmix_kernel_tests --gtest_filter='*GlaInter*:*gla_inter*' > $OUT/a/gla_inter_tests.log 2>&1; grep -E "PASSED|FAILED" $OUT/a/gla_inter_tests.log | head
two bench 330 .gpu/bin/seqmix-dist-bench --device cuda --T 262144,1048576 --B 1 --H 16 --K 64 --V 64 --repeats 5 \
    --inter-variants cuda-sm90/default,cuda-sm90/rt84,cuda-sm90/rt84u,cuda-sm90/rt84u128
python3 - $OUT/a/bench_rank0.log <<'PY'
import json,sys
for line in open(sys.argv[1]):
    if line.startswith('{"B"'):
        r=json.loads(line); n=r["n_ranks"]; o=r["one_rank"]
        print(f'T={r["T"]}: one {o["gla_s"]*1e3:.2f} ms ({o["variant"]}), two {n["dist_gla_s"]*1e3:.2f} ms, speedup {r["speedup"]:.3f}, comm share {r["communication_share"]*100:.2f}%, phases rank1 {[round(v[1]*1e3,3) for k,v in n["phases_per_rank"].items()]}')
        print("   gla_inter ms:", {k: round(v*1e3,3) for k,v in r.get("gla_inter_s",{}).items()})
PY
tail -5 $OUT/a/bench_rank1.log
