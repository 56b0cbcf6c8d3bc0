#!/usr/bin/env bash
# Session 14's fourth device call: ssd_step rows-a-thread candidates beside the default (call c:
# r4s, 4 rows a thread shifted inwards, 53 us vs 134 us): r4 (guarded, o_part's row split
# guarded too: call c's r4 read state rows past P), r4s, r2s (8 rows a block, 2 a thread), r4s8,
# r4s32 (8 / 32 rows a block); CUDA ssd_step tests, rows twice; then the SSM peers (mamba_ssm's
# multi-head selective_state_update is ssd_step's) and the copy ceiling, same run.
#   run: bash bench/results/2026-11-27-s14/call_s14d.sh   (carry .gpu, .peers)
. bench/results/2026-11-27-s10/common.sh
timeout 240 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SsdStep*cuda*:*SsdChunkedVsStep*cuda*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | cut -c1-150 | grep -v "s_*[0-9]*$" | head -20
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | grep -c "s[0-9]*$"
rows ssd_step cuda-sm90/default,cuda-sm90/r4,cuda-sm90/r4s,cuda-sm90/r2s,cuda-sm90/r4s8,cuda-sm90/r4s32 2
timeout 300 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only copy,ssm --no-ieee > "$OUT/peers.log" 2>&1
echo "peers rc=$?"
python3 - "$OUT/peers.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))['rows']:
    print(r.get('peer'), r.get('mixer'), r.get('shape'), r.get('ms'), r.get('gbps'), (r.get('error') or '')[:80])
PY
