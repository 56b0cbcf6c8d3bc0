#!/usr/bin/env bash
# Session 5, call G (two GPUs), commit fa1bead + the Python ops: dist tests (every LASP-2 mixer,
# 2 ranks over NCCL), gla_inter kernel tests (the new default), the GLA bench at 64K, 256K, 1M on
# one vs two GPUs; then the Python package on GPU 0 (cp312 build, pytest on CUDA tensors,
# torch.compile, JAX; binding overhead; seqmix vs fla outputs and first-call latency).
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh
mkdir -p $OUT/g
nccl=$(dirname "$(find / -name 'libnccl.so.2' 2>/dev/null | head -1)")
export LD_LIBRARY_PATH=$nccl:${LD_LIBRARY_PATH:-} NCCL_NVLS_ENABLE=0
nvidia-smi -L > $OUT/g/gpus.txt
two() {  # two ranks: tag, time limit, command...
    local tag=$1 lim=$2; shift 2
    export SEQMIX_DIST_RENDEZVOUS=/tmp/rdv_$tag; rm -rf $SEQMIX_DIST_RENDEZVOUS
    RANK=0 WORLD_SIZE=2 LOCAL_RANK=0 timeout $lim "$@" > $OUT/g/${tag}_rank0.log 2>&1 &
    RANK=1 WORLD_SIZE=2 LOCAL_RANK=1 timeout $lim "$@" > $OUT/g/${tag}_rank1.log 2>&1
    wait
}
two test 200 .gpu/bin/dist_test_nompi
for r in 0 1; do echo "dist_test rank $r:"; grep -E "PASSED|FAILED|SKIPPED \] [0-9]" $OUT/g/test_rank$r.log | head -12; done
timeout 200 .gpu/bin/seqmix_kernel_tests --gtest_filter='*GlaInter*' > $OUT/g/gla_inter_tests.log 2>&1; grep -E "PASSED|FAILED" $OUT/g/gla_inter_tests.log | head
two bench 300 .gpu/bin/seqmix-dist-bench --device cuda --T 65536,262144,1048576 --B 1 --H 16 --K 64 --V 64 --repeats 5
python3 - $OUT/g/bench_rank0.log <<'PY'
import json,sys
for line in open(sys.argv[1]):
    if line.startswith('{"B"'):
        r=json.loads(line); n=r["n_ranks"]; o=r["one_rank"]; p=n["phases_per_rank"]
        print(f'T={r["T"]}: one {o["gla_s"]*1e3:.2f} ms ({o["variant"]}), two {n["dist_gla_s"]*1e3:.2f} ms, speedup {r["speedup"]:.3f}, comm share {r["communication_share"]*100:.2f}%, rank1 ms ' + str({k: round(v[1]*1e3,3) for k,v in p.items()}))
PY
export TRITON_CACHE_DIR=/tmp/triton-cache CUDA_VISIBLE_DEVICES=0
timeout 330 bash scripts/gpu_python.sh $OUT/g/python build test bench compare > $OUT/g/python.log 2>&1
echo "python rc=$?"; grep -E "gpu_python|passed|failed|rror" $OUT/g/python.log | tail -25
tail -25 $OUT/g/python/gpu_compare.log 2>/dev/null
