// Monarch mixer (MIXERS.md, "Convolutions and structured matrices"): for n = m*m,
//   M x = P L P R x,
// R and L block-diagonal (m dense m x m blocks, given as [m,m,m]: block k, row i, column j) and P
// the [m,m] transpose permutation (entry k*m + i <-> i*m + k). Written out, with x padded by zeros
// from n to m*m when n is not a square (m = ceil(sqrt(n))) and y cut back to n:
//   u[k][i] = sum_j R[k,i,j] x[k*m + j]        (R, block k)
//   z[l][i] = sum_k L[i,l,k] u[k][i]           (P, then L's block i, then P back)
//   y[l*m + i] = z[l][i]
// x, y [B,T,C] are (c, t, b) in Halide's innermost-first order; R, L [m,m,m] are (j, i, k).
//
// Two generators, one per mixed axis; the algorithm is the same, the dimension order of the
// intermediates differs so that both vectorise along a contiguous axis:
// - `monarch` mixes the channel axis (n = C), per token: u(i, k, t, b), z(i, l, t, b); the
//   vectors run across i, so R and L are read through transposed copies r_t(i, j, k) and
//   l_t(i, k, l) (m^3 floats each, computed once).
// - `monarch_seq` mixes the sequence axis (n = T, non-causal, as M2-BERT), per channel:
//   u(c, i, k, b), z(c, i, l, b); the vectors run across channels c, R and L are broadcast.
// Stages: x_pad (zero-padded input) -> r_t -> u (reduction over j) -> l_t -> z (reduction over k) -> y.
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

// One class for both axes (SequenceAxis picks the layout of the intermediates); it names
// GeneratorInput/GeneratorOutput in full because Generator's `Input` alias is a member of a
// dependent base here.
template<bool SequenceAxis>
class Monarch : public ScheduledGenerator<Monarch<SequenceAxis>> {
public:
    GeneratorInput<Buffer<float, 3>> x{"x"};  // (c, t, b)
    GeneratorInput<Buffer<float, 3>> L{"L"};  // (j, i, k): block k, row i, column j
    GeneratorInput<Buffer<float, 3>> R{"R"};  // (j, i, k)
    GeneratorOutput<Buffer<float, 3>> y{"y"};  // (c, t, b)

    Var c{"c"}, t{"t"}, b{"b"}, i{"i"}, j{"j"}, k{"k"}, l{"l"}, p{"p"};
    Func x_pad{"x_pad"}, r_t{"r_t"}, l_t{"l_t"}, u{"u"}, z{"z"};

    void generate() {
        this->load_schedule(SequenceAxis ? "monarch_seq" : "monarch");
        // A bucket may fix the block size (`param m = 32` beside `when M == 32`): the c % m and
        // c / m of the permutations then simplify, so a GPU schedule's per-thread tiles get
        // constant bounds. The inputs are asserted to have that size.
        const int m_fixed = this->param_or("m", 0);
        const Expr m = m_fixed > 0 ? Expr(m_fixed) : R.dim(0).extent();
        for (int d = 0; m_fixed > 0 && d < 3; d++) {
            L.dim(d).set_extent(m_fixed);
            R.dim(d).set_extent(m_fixed);
        }
        RDom rj(0, m, "rj"), rk(0, m, "rk");
        r_t(i, j, k) = R(j, i, k);
        l_t(i, k, l) = L(k, l, i);
        if (SequenceAxis) {
            const Expr T = x.dim(1).extent();
            // x_pad(c, p, b): position p of the padded sequence (p < m*m).
            x_pad(c, p, b) = select(p < T, x(c, clamp(p, 0, T - 1), b), 0.0f);
            u(c, i, k, b) = 0.0f;
            u(c, i, k, b) += r_t(i, rj, k) * x_pad(c, k * m + rj, b);
            z(c, i, l, b) = 0.0f;
            z(c, i, l, b) += l_t(i, rk, l) * u(c, i, rk, b);
            if (m_fixed > 0) {
                // The permutation as a scatter over z's (i, l): a block that owns one i of every l
                // (the u rows it reads are contiguous in k) then needs z at that i only, where the
                // gather's t % m over a strided set of t bounds to every i.
                // Only for T == m * m (asserted): every (l, i) is a token, and tiles need no guard.
                RDom r(0, m, 0, m, "r");  // r.x = l, r.y = i: a schedule keeps i outside
                x.dim(1).set_extent(m_fixed * m_fixed);
                y(c, t, b) = undef<float>();
                y(c, r.x * m + r.y, b) = z(c, r.y, r.x, b);
            } else {
                y(c, t, b) = z(c, t % m, t / m, b);
            }
        } else {
            const Expr C = x.dim(0).extent();
            x_pad(p, t, b) = select(p < C, x(clamp(p, 0, C - 1), t, b), 0.0f);
            u(i, k, t, b) = 0.0f;
            u(i, k, t, b) += r_t(i, rj, k) * x_pad(k * m + rj, t, b);
            z(i, l, t, b) = 0.0f;
            z(i, l, t, b) += l_t(i, rk, l) * u(i, rk, t, b);
            y(c, t, b) = z(c % m, c / m, t, b);
        }

        // The runtime passes whole tensors (min 0). Known mins let y's c % m and c / m (with m
        // fixed by a schedule's `specialize M == ...`) simplify to contiguous vectors.
        for (int d = 0; d < 3; d++) {
            x.dim(d).set_min(0);
            y.dim(d).set_min(0);
            L.dim(d).set_min(0);
            R.dim(d).set_min(0);
        }

        // Estimates: M2-style widths, n = 1024 (m = 32) on the mixed axis.
        if (SequenceAxis) {
            x.set_estimates({{0, 768}, {0, 1024}, {0, 4}});
            y.set_estimates({{0, 768}, {0, 1024}, {0, 4}});
        } else {
            x.set_estimates({{0, 1024}, {0, 2048}, {0, 4}});
            y.set_estimates({{0, 1024}, {0, 2048}, {0, 4}});
        }
        L.set_estimates({{0, 32}, {0, 32}, {0, 32}});
        R.set_estimates({{0, 32}, {0, 32}, {0, 32}});
    }

    void schedule() {
        this->apply_schedule({x_pad, r_t, l_t, u, z, y});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", x.dim(2).extent()}, {"T", x.dim(1).extent()}, {"C", x.dim(0).extent()},
                {"M", R.dim(0).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::Monarch<false>, monarch)
HALIDE_REGISTER_GENERATOR(seqmix::Monarch<true>, monarch_seq)
