// The checks after a linear recurrence's call that its tests share (gla, the scalar-decay mixers,
// the delta rules and RWKV-7, SSD's chunked form; chunked and step forms).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/metrics.h"

namespace seqmix::test {

// The sequence output (name: o, or SSD's y; its buffer out and reference expected), and
// final_state where the case asks for it, finite and within the fp32 tolerance (base rel-RMS
// base_rel_rms, grown with T) of the float64 reference; initial_state as it was (in.h0); nothing
// written outside a strided view. buf's ht and h0 and out are device buffers (download(), shape(),
// padding_untouched()); r.final_state the reference state.
template<typename Case, typename Buffer, typename Buffers, typename Inputs, typename Result>
void expect_recurrence_outputs(const Case &c, const std::string &name, Buffer &out, const std::vector<double> &expected,
                               Buffers &buf, const Inputs &in, const Result &r, double base_rel_rms) {
    const std::vector<float> o = out.download();
    EXPECT_TRUE(all_finite(name, o));
    EXPECT_TRUE(close(name, o, expected, out.shape(), fp32_tolerance(base_rel_rms, c.T, expected)));
    if (c.final_state) {
        const std::vector<float> s = buf.ht.download();
        EXPECT_TRUE(all_finite("final_state", s));
        EXPECT_TRUE(
            close("final_state", s, r.final_state, buf.ht.shape(), fp32_tolerance(base_rel_rms, c.T, r.final_state)));
    }
    if (c.initial_state) EXPECT_EQ(buf.h0.download(), in.h0) << "modified initial_state";
    if (c.strided) {
        EXPECT_TRUE(out.padding_untouched()) << "wrote into " << name << "'s padding (outside the view)";
        EXPECT_TRUE(buf.ht.padding_untouched()) << "wrote into final_state's padding (outside the view)";
    }
}

// The step forms' checks: o and new_state (ob, nb) within the fp32 tolerance of one token's
// reference r (o, final_state), the input state sb still s0, nothing written outside a strided view.
template<typename Case, typename Buffer, typename Result>
void expect_step_outputs(const Case &c, Buffer &ob, Buffer &nb, Buffer &sb, const std::vector<float> &s0,
                         const Result &r, double base_rel_rms) {
    EXPECT_TRUE(close("o", ob.download(), r.o, ob.shape(), fp32_tolerance(base_rel_rms, 1, r.o)));
    EXPECT_TRUE(
        close("new_state", nb.download(), r.final_state, nb.shape(), fp32_tolerance(base_rel_rms, 1, r.final_state)));
    EXPECT_EQ(sb.download(), s0) << "modified state";
    if (c.strided) {
        EXPECT_TRUE(ob.padding_untouched()) << "wrote into o's padding";
        EXPECT_TRUE(nb.padding_untouched()) << "wrote into new_state's padding";
    }
}

}  // namespace seqmix::test
