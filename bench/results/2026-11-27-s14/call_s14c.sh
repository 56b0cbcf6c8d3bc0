#!/usr/bin/env bash
# Session 14's third device call: ssd_step with several state rows a thread (call b: the default
# executes ~130 instructions per state element, most of them per-thread overhead of a thread that
# updates 4 elements): r4 / r8 (16 / 32 rows a block, 4 / 8 rows a thread, 128 threads, guarded)
# and r4s / r8s (shifted inwards, P >= rows and N >= 128); CUDA ssd_step tests, rows twice, ncu.
#   run: bash bench/results/2026-11-27-s14/call_s14c.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 240 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SsdStep*cuda*:*SsdChunkedVsStep*cuda*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | cut -c1-150 | head -40
rows ssd_step cuda-sm90/default,cuda-sm90/r4,cuda-sm90/r8,cuda-sm90/r4s,cuda-sm90/r8s 2
for v in r8 r8s; do
  timeout 100 ncu -k regex:_kernel_new --launch-count 1 --section SpeedOfLight --section Occupancy --section LaunchStats \
      --metrics smsp__inst_executed.sum,dram__bytes_read.sum \
      .gpu/bin/seqmix-bench --device cuda --rows ssd_step --variant cuda-sm90/$v --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu_$v.txt" 2>&1
  echo "== $v"
  grep -E "_kernel_|Duration|Throughput|inst_executed|Registers|Achieved Occupancy|Block Size" "$OUT/ncu_$v.txt" | cut -c1-110
done
