# ab.sh GEN BUCKET ROOT_A ROOT_B [rounds] [T]: build both and A/B
set -e
cd /tmp/prof
G=${GA:-/work/main/build-dev/generators/seqmix_generators}
$G -n a -g $1 -f fa -e c_header,static_library -o /tmp/prof target=${TGT:-x86-64-linux-avx512_skylake} schedules=$3 bucket=$2
${GB:-$G} -n b -g $1 -f fb -e c_header,static_library -o /tmp/prof target=${TGT:-x86-64-linux-avx512_skylake}-no_runtime schedules=$4 bucket=$2
HI=$(echo /work/main/.venv/lib/python3*/site-packages/halide/include)
g++ -O2 -std=c++17 -I$HI ${AB_SRC:-ab.cpp} a.a b.a -ldl -lpthread -o ab
./ab ${5:-30} ${6:-4096}
