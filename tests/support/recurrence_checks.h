// The checks after a linear recurrence's call that its tests share (gla, the scalar-decay mixers,
// the delta rules and RWKV-7; chunked and step forms).
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "support/metrics.h"

namespace seqmix::test {

// o, and final_state where the case asks for it, finite and within the fp32 tolerance (base
// rel-RMS base_rel_rms, grown with T) of the float64 reference r; initial_state as it was (in.h0);
// nothing written outside a strided view. buf's o, ht and h0 are device buffers (download(),
// shape(), padding_untouched()).
template<typename Case, typename Buffers, typename Inputs, typename Result>
void expect_recurrence_outputs(const Case &c, Buffers &buf, const Inputs &in, const Result &r, double base_rel_rms) {
    const std::vector<float> o = buf.o.download();
    EXPECT_TRUE(all_finite("o", o));
    EXPECT_TRUE(close("o", o, r.o, buf.o.shape(), fp32_tolerance(base_rel_rms, c.T, r.o)));
    if (c.final_state) {
        const std::vector<float> s = buf.ht.download();
        EXPECT_TRUE(all_finite("final_state", s));
        EXPECT_TRUE(
            close("final_state", s, r.final_state, buf.ht.shape(), fp32_tolerance(base_rel_rms, c.T, r.final_state)));
    }
    if (c.initial_state) EXPECT_EQ(buf.h0.download(), in.h0) << "modified initial_state";
    if (c.strided) {
        EXPECT_TRUE(buf.o.padding_untouched()) << "wrote into o's padding (outside the view)";
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
