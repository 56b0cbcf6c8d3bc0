#!/usr/bin/env bash
# Session 8, call F: ncu sections of the rows kernel (inv_mid) and the columns kernel (fwd_cols of
# the signal) at B2_D256_T4096_L4096 (fft8192), final defaults: where the time goes now.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/f
for k in inv_mid fwd_cols_s0_r1; do
timeout 120 ncu --clock-control none -k regex:$k -c 1 --section SpeedOfLight --section MemoryWorkloadAnalysis \
    --section WarpStateStats --section Occupancy --section LaunchStats --section InstructionStats \
    --metrics l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_ld.sum,l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_st.sum,smsp__inst_executed_op_shared_ld.sum,smsp__inst_executed_op_shared_st.sum,smsp__inst_executed_op_global_ld.sum,l1tex__t_sectors_pipe_lsu_mem_global_op_ld.sum,l1tex__t_requests_pipe_lsu_mem_global_op_ld.sum,smsp__average_warp_latency_issue_stalled_barrier.ratio,smsp__average_warp_latency_issue_stalled_short_scoreboard.ratio,smsp__average_warp_latency_issue_stalled_long_scoreboard.ratio,smsp__average_warp_latency_issue_stalled_mio_throttle.ratio,smsp__inst_executed.sum \
    .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv --no-check --repeats 1 --min-time 0 --warmup 0 \
    > $OUT/f/ncu_$k.txt 2> $OUT/f/ncu_$k.err
echo "ncu $k rc=$?"
grep -v "^==PROF" $OUT/f/ncu_$k.txt | grep -E "Duration|Throughput|Busy|Occupancy|Registers|Block Size|Warp Cycles|bank_conflicts|inst_executed|sectors|requests|stalled|Hit Rate|Shared Memory Configuration|Dynamic Shared|Static Shared|Threads|Waves|Executed Ipc|Issue Slots" | head -60
done
