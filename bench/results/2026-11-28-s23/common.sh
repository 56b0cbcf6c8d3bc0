# Sourced by this session's calls: session 22's helpers (variant_tests, vrows, ncu_step, $OUT).
. bench/results/2026-11-28-s22/common.sh
