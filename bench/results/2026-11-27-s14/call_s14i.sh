#!/usr/bin/env bash
# Session 14's ninth device call: the shipped ssd_step files (n128 with 4 rows a block, call h's
# r4s4; the kernel tests' step shape P22_N160 gives its row tail), both CUDA targets: every CUDA
# ssd_step test, rows twice, the variant the runtime dispatches.
#   run: bash bench/results/2026-11-27-s14/call_s14i.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*SsdStep*cuda*:*SsdChunkedVsStep*cuda*'
rows ssd_step cuda-sm90/default,cuda-sm90/n128,cuda-sm80/default,cuda-sm80/n128 2
.gpu/bin/seqmix-bench --device cuda --rows ssd_step --variant dispatch --json "$OUT/ssd_step_dispatch.json" > "$OUT/ssd_step_dispatch.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/ssd_step_dispatch.json"
