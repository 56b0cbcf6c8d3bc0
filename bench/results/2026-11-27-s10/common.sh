# Sourced by this session's call scripts: $OUT, the unpacked bundle, and
#   kernel_tests FILTER   the CUDA kernel tests matching FILTER, their totals and failures
#   rows ROW VARIANTS N   seqmix-bench rows N times into $OUT/ROW_i.json, one line per row
set -uo pipefail
OUT="${OUT:-/tmp/out}"
mkdir -p "$OUT"
bash .gpu/unpack.sh
nvidia-smi -L
kernel_tests() {
  .gpu/bin/seqmix_kernel_tests --gtest_filter="$1" > "$OUT/tests.log" 2>&1
  grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
  grep -E '^\[  FAILED  \].*cuda' "$OUT/tests.log" | sed 's/, where.*//' | sort -u | head -30
}
rows() {
  for ((i = 1; i <= $3; i++)); do
    .gpu/bin/seqmix-bench --device cuda --rows "$1" --variant "$2" --json "$OUT/$1_$i.json" > "$OUT/$1_$i.txt" 2>&1
    python3 bench/results/2026-11-27-s10/table.py "$OUT/$1_$i.json"
  done
}
ncu_times() {  # ROW VARIANT: ncu's per-kernel times of one variant's rows
  timeout 300 ncu --clock-control none --metrics gpu__time_duration.sum --csv .gpu/bin/seqmix-bench --device cuda \
      --rows "$1" --variant "$2" --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu.csv" 2>&1
  python3 bench/results/2026-11-26-s9/ncu_sum.py "$OUT/ncu.csv" | head -10
}
