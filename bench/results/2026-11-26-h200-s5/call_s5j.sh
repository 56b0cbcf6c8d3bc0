#!/usr/bin/env bash
# Session 5, call J (four GPUs), commit fa1bead's binaries: dist tests on 4 ranks over NCCL, and
# the GLA bench (B1 H16 K=V=64) at 256K and 1M tokens on one vs four GPUs.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh
mkdir -p $OUT/j
nccl=$(dirname "$(find / -name 'libnccl.so.2' 2>/dev/null | head -1)")
export LD_LIBRARY_PATH=$nccl:${LD_LIBRARY_PATH:-} NCCL_NVLS_ENABLE=0
nvidia-smi -L > $OUT/j/gpus.txt; cat $OUT/j/gpus.txt
four() {  # four ranks: tag, time limit, command...
    local tag=$1 lim=$2; shift 2
    export SEQMIX_DIST_RENDEZVOUS=/tmp/rdv_$tag; rm -rf $SEQMIX_DIST_RENDEZVOUS
    for r in 1 2 3; do RANK=$r WORLD_SIZE=4 LOCAL_RANK=$r timeout $lim "$@" > $OUT/j/${tag}_rank$r.log 2>&1 & done
    RANK=0 WORLD_SIZE=4 LOCAL_RANK=0 timeout $lim "$@" > $OUT/j/${tag}_rank0.log 2>&1
    wait
}
four test 200 .gpu/bin/dist_test_nompi
for r in 0 1 2 3; do echo "dist_test rank $r:"; grep -E "PASSED|FAILED" $OUT/j/test_rank$r.log | head -8; done
four bench 300 .gpu/bin/seqmix-dist-bench --device cuda --T 262144,1048576 --B 1 --H 16 --K 64 --V 64 --repeats 5
python3 - $OUT/j/bench_rank0.log <<'PY'
import json,sys
for line in open(sys.argv[1]):
    if line.startswith('{"B"'):
        r=json.loads(line); n=r["n_ranks"]; o=r["one_rank"]; p=n["phases_per_rank"]
        print(f'T={r["T"]}: one {o["gla_s"]*1e3:.2f} ms, four {n["dist_gla_s"]*1e3:.2f} ms, speedup {r["speedup"]:.3f}, comm share {r["communication_share"]*100:.2f}%, per rank ms {[round(x*1e3,2) for x in n["per_rank_s"]]}, comm ms {[round(x*1e3,3) for x in p["communication_s"]]}, combine ms {[round(x*1e3,3) for x in p["combine_s"]]}, output ms {[round(x*1e3,3) for x in p["output_s"]]}')
PY
