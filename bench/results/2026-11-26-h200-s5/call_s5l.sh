#!/usr/bin/env bash
# Session 5, call L (one GPU): ParaRNN on CUDA, the sequential form vs the Newton variants at
# T = 4096 and 16384 (bench/rows_rnn.cpp: gru/lstm B1 H1 Hd64, gru B4 H4 Hd128), every row checked.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/l
timeout 420 .gpu/bin/seqmix-bench --device cuda --variant all --rows pararnn --repeats 3 --min-time 0.1 \
    --json $OUT/l/pararnn_cuda.json > $OUT/l/pararnn_cuda.txt 2>&1
echo "rc=$?"; cat $OUT/l/pararnn_cuda.txt | tail -25
python3 - $OUT/l/pararnn_cuda.json <<'PY'
import json,sys
d=json.load(open(sys.argv[1]))
for r in d["rows"]:
    print(r["shape"], r.get("variant"), round(r.get("ms",0),3), r.get("extra",{}) or {k:r.get(k) for k in ("iterations","speedup_vs_sequential")}, r.get("check",{}).get("ok"))
PY
