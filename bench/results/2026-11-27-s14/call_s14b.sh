#!/usr/bin/env bash
# Session 14's second device call: why ssd_step's default reaches ~24% of copy on the H200 (call
# a: staging the updated state in shared memory did not help): ncu sections and instruction
# counts of its kernels at B64_H32_P64_N128_G1, default and stage8.
#   run: bash bench/results/2026-11-27-s14/call_s14b.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
for v in default stage8; do
  timeout 150 ncu -k regex:_kernel_ --launch-count 2 --section SpeedOfLight --section Occupancy --section LaunchStats \
      --section WarpStateStats --section SchedulerStats --section MemoryWorkloadAnalysis \
      --metrics smsp__inst_executed.sum,smsp__inst_executed_op_global_ld.sum,smsp__inst_executed_op_global_st.sum,smsp__inst_executed_op_shared_ld.sum,l1tex__t_bytes_pipe_lsu_mem_global_op_ld.sum,dram__bytes_read.sum,dram__bytes_write.sum \
      .gpu/bin/seqmix-bench --device cuda --rows ssd_step --variant cuda-sm90/$v --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu_$v.txt" 2>&1
  echo "== $v"
  grep -E "_kernel_|Duration|Throughput|inst_executed|Registers|Achieved Occupancy|Theoretical Occupancy|Block Size|Grid Size|Warp Cycles Per Issued|Issued Warp|No Eligible|dram__bytes|l1tex__t_bytes|Shared Memory Configuration Size|Dynamic Shared" "$OUT/ncu_$v.txt" | cut -c1-110
done
