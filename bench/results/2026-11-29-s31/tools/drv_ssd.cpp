// Ten calls of one SSD pipeline `sd` (prof.sh's driver with DRV=drv_ssd.cpp).
#include "sd.h"
#include "ssd_inputs.h"
int main() {
    SsdInputs in(4096);
    auto y = in.y();
    auto s1 = in.state();
    for (int i = 0; i < 10; ++i) sd(in.x, in.dt, in.A, in.Bm, in.Cm, in.D, in.bias, in.s0, 1, y, s1);
}
