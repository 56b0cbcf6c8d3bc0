#!/usr/bin/env bash
# Session 13's seventh device call: the peers of the SSM rows (gpu_peers.py --only copy,ssm:
# mamba_ssm's Triton selective_state_update in its per-channel Mamba-1 form for
# selective_scan_step, its multi-head form and mamba_chunk_scan_combined for SSD, PyTorch SDPA
# decode, the copy ceiling), then selective_scan_step and selective_scan as the runtime dispatches
# them (n16, staged) with the peers attached: same run.
#   run: bash bench/results/2026-11-27-s13/call_s13g.sh   (carry .gpu, .peers: mamba_ssm's Triton
#   ops as bench/peers/README.md sets them up)
. bench/results/2026-11-27-s10/common.sh
timeout 300 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only copy,ssm --no-ieee > "$OUT/peers.log" 2>&1
echo "peers rc=$?"
python3 - "$OUT/peers.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))['rows']:
    print(r.get('peer'), r.get('mixer'), r.get('shape'), r.get('ms'), r.get('gbps'), (r.get('error') or '')[:80])
PY
for r in selective_scan_step selective_scan; do
  .gpu/bin/seqmix-bench --device cuda --rows $r --variant dispatch --gpu-peers "$OUT/peers.json" \
      --json "$OUT/${r}_dispatch.json" > "$OUT/${r}_dispatch.txt" 2>&1
  python3 bench/results/2026-11-27-s10/table.py "$OUT/${r}_dispatch.json"
  grep -E "peers|selective" "$OUT/${r}_dispatch.txt" | cut -c1-250 | tail -4
done
