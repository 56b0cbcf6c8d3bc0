# prof.sh GEN BUCKET ROOT: Halide profiler, 1 thread
set -e
cd /tmp/prof
/work/main/build-dev/generators/seqmix_generators -n sd -g $1 -f sd -e c_header,static_library -o /tmp/prof target=x86-64-linux-avx512_skylake-profile schedules=$3 bucket=$2
HI=$(echo /work/main/.venv/lib/python3*/site-packages/halide/include)
g++ -O2 -std=c++17 -I$HI ${DRV:-drv.cpp} sd.a -ldl -lpthread -o drvp
HL_NUM_THREADS=1 ./drvp 10 2>&1 | grep -v "^best" | tail -25
