// seqmix::dist (runtime/dist/): sequence-parallel GLA, linear attention, retention, simple GLA,
// the delta-rule family, RWKV-7, SSD and attention on 2 and 3 ranks equal the single-process result on the whole sequence, slices of
// awkward lengths included; the communicator's errors. Run by ctest under `mpirun -np 2` and
// `-np 3` (dist_test, MPI, CPU tensors; CUDA tensors too where every rank has a GPU). dist_test_nompi is the same file without
// MPI, for the GPU host: one process per GPU, ranks from RANK/WORLD_SIZE/LOCAL_RANK, NCCL's id
// through the file rendezvous in $SEQMIX_DIST_RENDEZVOUS (runtime/dist/README.md).
//
// Tolerance: the distributed call reassociates the state sum at slice boundaries (chain of
// per-slice states instead of chunk-by-chunk), a few more fp32 roundings than one call: the
// chunked GLA tolerance of gla_test.cpp (5e-5 rel-RMS, growing with sqrt(T / 64)) covers it.
// Attention: the same kernel over the same keys, 2e-6 rel-RMS (the kernel's own tile order).
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/dist.h>
#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#ifdef SEQMIX_DIST_TEST_MPI
#include <mpi.h>
#endif
#ifdef SEQMIX_TEST_CUDA
#include <cuda_runtime.h>
#endif

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <thread>

namespace seqmix::test {
namespace {

using dist::Communicator;

struct World {
    std::unique_ptr<Communicator> cpu;   // MPI
    std::unique_ptr<Communicator> cuda;  // NCCL
    std::string cpu_skip = "built without MPI (dist_test_nompi): CPU ranks need the MPI back end";
    std::string cuda_skip = "no CUDA";
    int rank = 0, size = 1;
};
World &world() {
    static World w;
    return w;
}

Communicator *comm_for(Backend be) {
    return be == Backend::cpu ? world().cpu.get() : world().cuda.get();
}

// A buffer's view on this rank's GPU (support's Buffer allocates on the current device, which
// dist::nccl set to the local rank, but names cuda:0).
int cuda_device = 0;
Tensor tens(const Buffer &b) {
    Tensor t = b.tensor();
    if (t.device.type == DeviceType::cuda) t.device.index = cuda_device;
    return t;
}

std::string skip_for(Backend be) {
    if (comm_for(be)) return "";
    return be == Backend::cpu ? world().cpu_skip : world().cuda_skip;
}

// Rows [t0, t0 + len) of a row-major [B, T, rest] array.
std::vector<float> rows(const std::vector<float> &x, int64_t B, int64_t T, int64_t rest, int64_t t0, int64_t len) {
    std::vector<float> out(B * len * rest);
    for (int64_t b = 0; b < B; ++b) {
        std::copy(x.begin() + (b * T + t0) * rest, x.begin() + (b * T + t0 + len) * rest, out.begin() + b * len * rest);
    }
    return out;
}

// lse [B, H, T]: columns [t0, t0 + len).
std::vector<float> cols(const std::vector<float> &x, int64_t BH, int64_t T, int64_t t0, int64_t len) {
    std::vector<float> out(BH * len);
    for (int64_t i = 0; i < BH; ++i) std::copy(x.begin() + i * T + t0, x.begin() + i * T + t0 + len, out.begin() + i * len);
    return out;
}

// ---- slice layouts -------------------------------------------------------------------------
enum class Layout { uneven, one_token_first, one_token_last, one_token_each, long_slices };
const char *to_string(Layout l) {
    switch (l) {
    case Layout::uneven: return "uneven";
    case Layout::one_token_first: return "one_token_first";
    case Layout::one_token_last: return "one_token_last";
    case Layout::one_token_each: return "one_token_each";
    case Layout::long_slices: return "long_slices";
    }
    return "?";
}
// Slice lengths for `n` ranks: none a multiple of the chunk (32 or 64) except by accident.
std::vector<int64_t> lengths(Layout l, int n) {
    std::vector<int64_t> len(n);
    for (int j = 0; j < n; ++j) {
        switch (l) {
        case Layout::uneven: len[j] = 37 + 29 * j; break;
        case Layout::one_token_first: len[j] = j == 0 ? 1 : 45; break;
        case Layout::one_token_last: len[j] = j == n - 1 ? 1 : 70; break;
        case Layout::one_token_each: len[j] = 1; break;
        case Layout::long_slices: len[j] = 300 + 13 * j; break;
        }
    }
    return len;
}

// This rank's slice of a sequence cut as `layout` says: slice j is [t0[j], t0[j] + len[j]).
struct Slicing {
    int n, r;
    std::vector<int64_t> len, t0;
    Slicing(const Communicator &comm, Layout layout) : n(comm.size()), r(comm.rank()), len(lengths(layout, n)), t0(n + 1, 0) {
        std::partial_sum(len.begin(), len.end(), t0.begin() + 1);
    }
};

// The LASP-2 mixers: GLA (a decay per key channel) and the scalar-decay family (one per head).
enum class Mixer { gla, linear_attn, retention, simple_gla };
const char *to_string(Mixer m) {
    switch (m) {
    case Mixer::gla: return "gla";
    case Mixer::linear_attn: return "linear_attn";
    case Mixer::retention: return "retention";
    case Mixer::simple_gla: return "simple_gla";
    }
    return "?";
}

struct DistCase {
    Backend backend;
    Layout layout;
    bool initial_state = false;
    Gates gates = Gates::normal;
    Mixer mixer = Mixer::gla;
};
std::string case_name(const ::testing::TestParamInfo<DistCase> &info) {
    const DistCase &c = info.param;
    const std::string prefix = c.mixer == Mixer::gla ? "" : std::string(to_string(c.mixer)) + "_";
    return prefix + test::to_string(c.backend) + "_" + to_string(c.layout) + (c.initial_state ? "_h0" : "") + "_" +
           test::to_string(c.gates);
}

std::vector<DistCase> gla_cases() {
    std::vector<DistCase> cs;
    for (Backend be : {Backend::cpu, Backend::cuda}) {
        for (Layout l : {Layout::uneven, Layout::one_token_first, Layout::one_token_last, Layout::one_token_each,
                         Layout::long_slices}) {
            cs.push_back({be, l, false, Gates::normal});
            cs.push_back({be, l, true, Gates::normal});
        }
        cs.push_back({be, Layout::long_slices, true, Gates::near1});
        cs.push_back({be, Layout::uneven, true, Gates::near0});
        // The scalar-decay family: every layout once, initial state on the awkward ones.
        for (Mixer m : {Mixer::linear_attn, Mixer::retention, Mixer::simple_gla}) {
            cs.push_back({be, Layout::uneven, true, Gates::normal, m});
            cs.push_back({be, Layout::one_token_first, false, Gates::normal, m});
            cs.push_back({be, Layout::one_token_each, true, Gates::normal, m});
            cs.push_back({be, Layout::long_slices, false, m == Mixer::simple_gla ? Gates::near1 : Gates::normal, m});
        }
    }
    return cs;
}

// The mixer on one device (dist == nullptr) or over the ranks. g is [B,T,H,K] for GLA, [B,T,H]
// for simple GLA, unused otherwise.
void run_mixer(Mixer m, Communicator *comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g,
               const Tensor &o, const std::optional<Tensor> &h0, const Tensor &ht, const dist::DistOptions &dopt = {}) {
    switch (m) {
    case Mixer::gla:
        comm ? dist::gla(*comm, q, k, v, g, o, h0, ht, {}, dopt) : seqmix::gla(q, k, v, g, o, h0, ht);
        return;
    case Mixer::linear_attn:
        comm ? dist::linear_attn(*comm, q, k, v, o, h0, ht, {}, dopt) : seqmix::linear_attn(q, k, v, o, h0, ht);
        return;
    case Mixer::retention:
        comm ? dist::retention(*comm, q, k, v, o, h0, ht, {}, dopt) : seqmix::retention(q, k, v, o, h0, ht);
        return;
    case Mixer::simple_gla:
        comm ? dist::simple_gla(*comm, q, k, v, g, o, h0, ht, {}, dopt) : seqmix::simple_gla(q, k, v, g, o, h0, ht);
        return;
    }
}

// ---- GLA ---------------------------------------------------------------------------------------
class DistGla : public ::testing::TestWithParam<DistCase> {};

TEST_P(DistGla, EqualsOneProcess) {
    const DistCase &c = GetParam();
    if (const std::string why = skip_for(c.backend); !why.empty()) GTEST_SKIP() << why;
    SEQMIX_SKIP_IF_LEFT_OUT(to_string(c.mixer), "gla_decay", "gla_inter");
    Communicator &comm = *comm_for(c.backend);
    const Slicing sl(comm, c.layout);
    const int n = sl.n, r = sl.r;
    const std::vector<int64_t> &len = sl.len, &t0 = sl.t0;
    const int64_t B = 2, T = t0[n], H = 2, K = 64, V = 48, Tr = len[r];
    const int64_t G = c.mixer == Mixer::gla ? K : 1;  // gates per (token, head)

    // The same inputs on every rank (same seed): the whole sequence.
    Rng rng(seed_of(std::string("dist_gla_") + case_name({c, 0}) + std::to_string(n)));
    const std::vector<float> q = rng.normal(B * T * H * K), k = rng.normal(B * T * H * K, 0.0, 0.125),
                             v = rng.normal(B * T * H * V), g = gates(rng, B * T * H * G, c.gates),
                             h0 = rng.normal(B * H * K * V);
    auto g_shape = [&](int64_t t) { return c.mixer == Mixer::gla ? std::vector<int64_t>{B, t, H, K} : std::vector<int64_t>{B, t, H}; };

    // One process, the whole sequence.
    Buffer fq(c.backend, {B, T, H, K}), fk(c.backend, {B, T, H, K}), fv(c.backend, {B, T, H, V}), fg(c.backend, g_shape(T));
    Buffer fo(c.backend, {B, T, H, V}), fh0(c.backend, {B, H, K, V}), fht(c.backend, {B, H, K, V});
    fq.upload(q), fk.upload(k), fv.upload(v), fg.upload(g), fh0.upload(h0);
    const std::optional<Tensor> init = c.initial_state ? std::optional<Tensor>(tens(fh0)) : std::nullopt;
    run_mixer(c.mixer, nullptr, tens(fq), tens(fk), tens(fv), tens(fg), tens(fo), init, tens(fht));
    const std::vector<float> o_one = fo.download(), ht_one = fht.download();

    // This rank's slice (outer strides padded: the slices need not be contiguous).
    auto padded = [](std::vector<int64_t> s) { return padded_strides(s, 2); };
    Buffer sq(c.backend, {B, Tr, H, K}, padded({B, Tr, H, K})), sk(c.backend, {B, Tr, H, K}, padded({B, Tr, H, K}));
    Buffer sv(c.backend, {B, Tr, H, V}, padded({B, Tr, H, V})), sg(c.backend, g_shape(Tr), padded(g_shape(Tr)));
    Buffer so(c.backend, {B, Tr, H, V}, padded({B, Tr, H, V})), sht(c.backend, {B, H, K, V}, padded({B, H, K, V}));
    sq.upload(rows(q, B, T, H * K, t0[r], Tr)), sk.upload(rows(k, B, T, H * K, t0[r], Tr));
    sv.upload(rows(v, B, T, H * V, t0[r], Tr)), sg.upload(rows(g, B, T, H * G, t0[r], Tr));
    dist::Timings timings;
    dist::DistOptions dopt;
    dopt.timings = &timings;
    run_mixer(c.mixer, &comm, tens(sq), tens(sk), tens(sv), tens(sg), tens(so), init, tens(sht), dopt);

    const std::vector<double> o_ref = to_double(rows(o_one, B, T, H * V, t0[r], Tr)), ht_ref = to_double(ht_one);
    EXPECT_TRUE(close("o", so.download(), o_ref, so.shape(), fp32_tolerance(5e-5, T, o_ref))) << "rank " << r;
    EXPECT_TRUE(close("final_state", sht.download(), ht_ref, sht.shape(), fp32_tolerance(5e-5, T, ht_ref))) << "rank " << r;
    EXPECT_TRUE(so.padding_untouched());
    EXPECT_TRUE(sht.padding_untouched());
    EXPECT_GT(timings.total, 0.0);
}

INSTANTIATE_TEST_SUITE_P(Slices, DistGla, ::testing::ValuesIn(gla_cases()), case_name);

// ---- the delta-rule family, RWKV-7 and SSD: the other slice kernels -------------------------------
// One input: its name, its shape after [B,T] (per token) or whole (per_token = false: A, Dskip,
// dt_bias, the same on every rank), its values for the whole sequence.
struct Input {
    std::string name;
    std::vector<int64_t> tail;
    std::vector<float> values;
    bool per_token = true;
    std::vector<int64_t> shape(int64_t B, int64_t T) const {
        if (!per_token) return tail;
        std::vector<int64_t> s{B, T};
        s.insert(s.end(), tail.begin(), tail.end());
        return s;
    }
    int64_t rest() const { return std::accumulate(tail.begin(), tail.end(), int64_t(1), std::multiplies<>()); }
};

enum class Slice { delta_rule, gated_delta_rule, kda, gated_delta_rule2, rwkv7, ssd };
const char *to_string(Slice m) {
    switch (m) {
    case Slice::delta_rule: return "delta_rule";
    case Slice::gated_delta_rule: return "gated_delta_rule";
    case Slice::kda: return "kda";
    case Slice::gated_delta_rule2: return "gated_delta_rule2";
    case Slice::rwkv7: return "rwkv7";
    case Slice::ssd: return "ssd";
    }
    return "?";
}

struct SliceCase {
    Backend backend;
    Layout layout;
    bool initial_state = false;
    Gates gates = Gates::normal;
    Slice mixer = Slice::delta_rule;
    bool qk_l2norm = false;
};
std::string slice_name(const ::testing::TestParamInfo<SliceCase> &info) {
    const SliceCase &c = info.param;
    return std::string(to_string(c.mixer)) + "_" + test::to_string(c.backend) + "_" + to_string(c.layout) +
           (c.initial_state ? "_h0" : "") + "_" + test::to_string(c.gates) + (c.qk_l2norm ? "_l2norm" : "");
}
std::vector<SliceCase> slice_cases() {
    std::vector<SliceCase> cs;
    for (Backend be : {Backend::cpu, Backend::cuda}) {
        for (Slice m : {Slice::delta_rule, Slice::gated_delta_rule, Slice::kda, Slice::gated_delta_rule2, Slice::rwkv7,
                        Slice::ssd}) {
            cs.push_back({be, Layout::uneven, true, Gates::normal, m});
            cs.push_back({be, Layout::one_token_first, false, Gates::normal, m});
            cs.push_back({be, Layout::one_token_each, true, Gates::normal, m});
            cs.push_back({be, Layout::long_slices, false, Gates::near1, m});
        }
        cs.push_back({be, Layout::one_token_last, true, Gates::near0, Slice::gated_delta_rule, true});
        cs.push_back({be, Layout::long_slices, true, Gates::normal, Slice::kda, true});
    }
    return cs;
}

struct SliceProblem {
    int64_t K, V;                  // the state [B,H,K,V] (SSD: [B,H,P,N])
    std::vector<Input> in;         // in the API's order
    std::vector<int64_t> o_tail;   // o / y after [B,T]
};

SliceProblem slice_problem(const SliceCase &c, Rng &rng, int64_t B, int64_t T, int64_t H) {
    const int64_t n = B * T * H;
    if (c.mixer == Slice::ssd) {
        const int64_t P = 24, N = 16, G = 1;
        SliceProblem p{P, N, {}, {H, P}};
        std::vector<float> A(H), dt = rng.uniform(n, 0.001, c.gates == Gates::near1 ? 0.01 : 0.2);
        for (int64_t h = 0; h < H; ++h) A[h] = -0.5f - float(h);
        p.in = {{"x", {H, P}, rng.normal(n * P)},      {"dt", {H}, dt},
                {"A", {H}, A, false},                  {"Bm", {G, N}, rng.normal(B * T * G * N)},
                {"Cm", {G, N}, rng.normal(B * T * G * N)}, {"Dskip", {H}, rng.normal(H), false},
                {"dt_bias", {H}, rng.uniform(H, 0.0, 0.1), false}};
        return p;
    }
    const int64_t K = 32, V = 24;
    SliceProblem p{K, V, {}, {H, V}};
    if (c.mixer == Slice::rwkv7) {
        const std::vector<float> kappa = unit_rows(rng, n, K), lr = rng.uniform(n * K, 0.0, 1.0);
        std::vector<float> a(n * K), b(n * K);
        for (int64_t i = 0; i < n * K; ++i) a[i] = -kappa[i], b[i] = kappa[i] * lr[i];
        p.in = {{"r", {H, K}, rng.normal(n * K)}, {"w", {H, K}, gates(rng, n * K, c.gates)},
                {"k", {H, K}, rng.normal(n * K, 0.0, 1.0 / std::sqrt(double(K)))},
                {"v", {H, V}, rng.normal(n * V)}, {"a", {H, K}, a}, {"b", {H, K}, b}};
        return p;
    }
    p.in = {{"q", {H, K}, rng.normal(n * K)}, {"k", {H, K}, c.qk_l2norm ? rng.normal(n * K) : unit_rows(rng, n, K)},
            {"v", {H, V}, rng.normal(n * V)}};
    if (c.mixer == Slice::gated_delta_rule) p.in.push_back({"g", {H}, gates(rng, n, c.gates)});
    if (c.mixer == Slice::kda || c.mixer == Slice::gated_delta_rule2) p.in.push_back({"g", {H, K}, gates(rng, n * K, c.gates)});
    if (c.mixer == Slice::gated_delta_rule2) {
        p.in.push_back({"b", {H, K}, rng.uniform(n * K, 0.0, 1.0)});
        p.in.push_back({"w", {H, V}, rng.uniform(n * V, 0.0, 1.0)});
    } else {
        p.in.push_back({"beta", {H}, rng.uniform(n, 0.0, 1.0)});
    }
    return p;
}

// The mixer on one device (comm == nullptr) or over the ranks; t in the API's order.
void run_slice(const SliceCase &c, Communicator *comm, const std::vector<Tensor> &t, const Tensor &o,
               const std::optional<Tensor> &h0, const Tensor &ht, const dist::DistOptions &dopt = {}) {
    DeltaRuleOptions d;
    d.qk_l2norm = c.qk_l2norm;
    switch (c.mixer) {
    case Slice::delta_rule:
        comm ? dist::delta_rule(*comm, t[0], t[1], t[2], t[3], o, h0, ht, d, dopt)
             : seqmix::delta_rule(t[0], t[1], t[2], t[3], o, h0, ht, d);
        return;
    case Slice::gated_delta_rule:
        comm ? dist::gated_delta_rule(*comm, t[0], t[1], t[2], t[3], t[4], o, h0, ht, d, dopt)
             : seqmix::gated_delta_rule(t[0], t[1], t[2], t[3], t[4], o, h0, ht, d);
        return;
    case Slice::kda:
        comm ? dist::kda(*comm, t[0], t[1], t[2], t[3], t[4], o, h0, ht, d, dopt)
             : seqmix::kda(t[0], t[1], t[2], t[3], t[4], o, h0, ht, d);
        return;
    case Slice::gated_delta_rule2:
        comm ? dist::gated_delta_rule2(*comm, t[0], t[1], t[2], t[3], t[4], t[5], o, h0, ht, d, dopt)
             : seqmix::gated_delta_rule2(t[0], t[1], t[2], t[3], t[4], t[5], o, h0, ht, d);
        return;
    case Slice::rwkv7:
        comm ? dist::rwkv7(*comm, t[0], t[1], t[2], t[3], t[4], t[5], o, h0, ht, {}, dopt)
             : seqmix::rwkv7(t[0], t[1], t[2], t[3], t[4], t[5], o, h0, ht);
        return;
    case Slice::ssd: {
        SsdOptions s;
        s.dt_softplus = c.gates != Gates::near1;  // softplus keeps dt' above log 2: no decays near 1
        comm ? dist::ssd(*comm, t[0], t[1], t[2], t[3], t[4], o, t[5], t[6], h0, ht, s, dopt)
             : seqmix::ssd(t[0], t[1], t[2], t[3], t[4], o, t[5], t[6], h0, ht, s);
        return;
    }
    }
}

class DistSlices : public ::testing::TestWithParam<SliceCase> {};

TEST_P(DistSlices, EqualsOneProcess) {
    const SliceCase &c = GetParam();
    if (const std::string why = skip_for(c.backend); !why.empty()) GTEST_SKIP() << why;
    SEQMIX_SKIP_IF_LEFT_OUT(to_string(c.mixer), "gla_decay", "gla_inter");
    Communicator &comm = *comm_for(c.backend);
    const Slicing sl(comm, c.layout);
    const int n = sl.n, r = sl.r;
    const std::vector<int64_t> &len = sl.len, &t0 = sl.t0;
    const int64_t B = 2, T = t0[n], H = 2, Tr = len[r];
    Rng rng(seed_of("dist_" + slice_name({c, 0}) + std::to_string(n)));
    const SliceProblem p = slice_problem(c, rng, B, T, H);
    const std::vector<float> h0 = rng.normal(B * H * p.K * p.V);
    std::vector<int64_t> o_shape{B, T};
    o_shape.insert(o_shape.end(), p.o_tail.begin(), p.o_tail.end());
    const int64_t o_rest = o_shape[2] * o_shape[3];

    // One process, the whole sequence.
    std::vector<Buffer> full;
    std::vector<Tensor> ft;
    for (const Input &x : p.in) {
        full.emplace_back(c.backend, x.shape(B, T));
        full.back().upload(x.values);
        ft.push_back(tens(full.back()));
    }
    Buffer fo(c.backend, o_shape), fh0(c.backend, {B, H, p.K, p.V}), fht(c.backend, {B, H, p.K, p.V});
    fh0.upload(h0);
    const std::optional<Tensor> init = c.initial_state ? std::optional<Tensor>(tens(fh0)) : std::nullopt;
    run_slice(c, nullptr, ft, tens(fo), init, tens(fht));
    const std::vector<float> o_one = fo.download(), ht_one = fht.download();

    // This rank's slices (outer strides padded).
    std::vector<Buffer> mine;
    std::vector<Tensor> st;
    for (const Input &x : p.in) {
        const std::vector<int64_t> s = x.shape(B, Tr);
        mine.emplace_back(c.backend, s, x.per_token ? padded_strides(s, 2) : contiguous_strides(s));
        mine.back().upload(x.per_token ? rows(x.values, B, T, x.rest(), t0[r], Tr) : x.values);
        st.push_back(tens(mine.back()));
    }
    std::vector<int64_t> so_shape = o_shape;
    so_shape[1] = Tr;
    Buffer so(c.backend, so_shape, padded_strides(so_shape, 2)), sht(c.backend, {B, H, p.K, p.V});
    dist::Timings timings;
    dist::DistOptions dopt;
    dopt.timings = &timings;
    run_slice(c, &comm, st, tens(so), init, tens(sht), dopt);

    const std::vector<double> o_ref = to_double(rows(o_one, B, T, o_rest, t0[r], Tr)), ht_ref = to_double(ht_one);
    EXPECT_TRUE(close("o", so.download(), o_ref, so.shape(), fp32_tolerance(5e-5, T, o_ref))) << "rank " << r;
    EXPECT_TRUE(close("final_state", sht.download(), ht_ref, sht.shape(), fp32_tolerance(5e-5, T, ht_ref))) << "rank " << r;
    EXPECT_TRUE(so.padding_untouched());
    EXPECT_GT(timings.total, 0.0);
}

INSTANTIATE_TEST_SUITE_P(Slices, DistSlices, ::testing::ValuesIn(slice_cases()), slice_name);

// ---- attention ---------------------------------------------------------------------------------
struct AttnCase {
    Backend backend;
    Layout layout;
    bool causal = true;
    int64_t window = 0;
};
std::string attn_name(const ::testing::TestParamInfo<AttnCase> &info) {
    const AttnCase &c = info.param;
    return std::string(test::to_string(c.backend)) + "_" + to_string(c.layout) + (c.causal ? "_causal" : "_full") +
           (c.window ? "_window" + std::to_string(c.window) : "");
}
std::vector<AttnCase> attn_cases() {
    std::vector<AttnCase> cs;
    for (Backend be : {Backend::cpu, Backend::cuda}) {
        for (Layout l : {Layout::uneven, Layout::one_token_first, Layout::one_token_last, Layout::one_token_each}) {
            cs.push_back({be, l, true});
            cs.push_back({be, l, false});
        }
        cs.push_back({be, Layout::uneven, true, 20});
    }
    return cs;
}

class DistAttention : public ::testing::TestWithParam<AttnCase> {};

TEST_P(DistAttention, EqualsOneProcess) {
    const AttnCase &c = GetParam();
    if (const std::string why = skip_for(c.backend); !why.empty()) GTEST_SKIP() << why;
    SEQMIX_SKIP_IF_LEFT_OUT("attention");
    Communicator &comm = *comm_for(c.backend);
    const Slicing sl(comm, c.layout);
    const int n = sl.n, r = sl.r;
    const std::vector<int64_t> &len = sl.len, &t0 = sl.t0;
    const int64_t B = 2, T = t0[n], H = 4, Hkv = 2, K = 64, V = 32, Tr = len[r];
    Rng rng(seed_of(std::string("dist_attn_") + attn_name({c, 0}) + std::to_string(n)));
    const std::vector<float> q = rng.normal(B * T * H * K), k = rng.normal(B * T * Hkv * K), v = rng.normal(B * T * Hkv * V);
    AttentionOptions opt;
    opt.causal = c.causal;
    opt.window = c.window;

    Buffer fq(c.backend, {B, T, H, K}), fk(c.backend, {B, T, Hkv, K}), fv(c.backend, {B, T, Hkv, V});
    Buffer fo(c.backend, {B, T, H, V}), flse(c.backend, {B, H, T});
    fq.upload(q), fk.upload(k), fv.upload(v);
    seqmix::attention(tens(fq), tens(fk), tens(fv), tens(fo), tens(flse), opt);
    const std::vector<float> o_one = fo.download(), lse_one = flse.download();

    Buffer sq(c.backend, {B, Tr, H, K}), sk(c.backend, {B, Tr, Hkv, K}), sv(c.backend, {B, Tr, Hkv, V});
    Buffer so(c.backend, {B, Tr, H, V}), slse(c.backend, {B, H, Tr});
    sq.upload(rows(q, B, T, H * K, t0[r], Tr)), sk.upload(rows(k, B, T, Hkv * K, t0[r], Tr));
    sv.upload(rows(v, B, T, Hkv * V, t0[r], Tr));
    dist::attention(comm, tens(sq), tens(sk), tens(sv), tens(so), tens(slse), opt);

    const std::vector<double> o_ref = to_double(rows(o_one, B, T, H * V, t0[r], Tr));
    const std::vector<double> lse_ref = to_double(cols(lse_one, B * H, T, t0[r], Tr));
    EXPECT_TRUE(close("o", so.download(), o_ref, so.shape(), fp32_tolerance(2e-6, T, o_ref))) << "rank " << r;
    EXPECT_TRUE(close("lse", slse.download(), lse_ref, slse.shape(), fp32_tolerance(2e-6, T, lse_ref))) << "rank " << r;
}

INSTANTIATE_TEST_SUITE_P(Slices, DistAttention, ::testing::ValuesIn(attn_cases()), attn_name);

// ---- the communicator ----------------------------------------------------------------------------
class DistComm : public ::testing::TestWithParam<Backend> {};

TEST_P(DistComm, AllGatherHostAndDeviceBuffers) {
    if (const std::string why = skip_for(GetParam()); !why.empty()) GTEST_SKIP() << why;
    Communicator &comm = *comm_for(GetParam());
    const int n = comm.size(), r = comm.rank();
    // Host buffers, on either back end.
    std::vector<int32_t> mine = {r, 10 * r + 1, -r}, all(3 * n);
    comm.all_gather(mine.data(), all.data(), sizeof(int32_t) * 3, Device::cpu());
    for (int j = 0; j < n; ++j) {
        EXPECT_EQ(all[3 * j], j);
        EXPECT_EQ(all[3 * j + 1], 10 * j + 1);
        EXPECT_EQ(all[3 * j + 2], -j);
    }
    // Buffers of the backend's device.
    Buffer send(GetParam(), {5}), recv(GetParam(), {5 * int64_t(n)});
    send.upload(std::vector<float>(5, float(r) + 0.5f));
    comm.all_gather(tens(send).data, tens(recv).data, sizeof(float) * 5, tens(send).device);
#ifdef SEQMIX_TEST_CUDA
    if (GetParam() == Backend::cuda) cudaDeviceSynchronize();
#endif
    const std::vector<float> got = recv.download();
    for (int j = 0; j < n; ++j) EXPECT_EQ(got[5 * j + 4], float(j) + 0.5f);
    comm.barrier();
}

INSTANTIATE_TEST_SUITE_P(Backends, DistComm, ::testing::Values(Backend::cpu, Backend::cuda),
                         [](const auto &info) { return std::string(test::to_string(info.param)); });

// Ranks that disagree on a head dim: every rank throws the same clear error, none hangs.
TEST(DistErrors, MismatchedShapesAcrossRanks) {
    if (const std::string why = skip_for(Backend::cpu); !why.empty()) GTEST_SKIP() << why;
    Communicator &comm = *world().cpu;
    if (comm.size() < 2) GTEST_SKIP() << "needs 2 ranks";
    const int64_t B = 1, T = 5, H = 2, K = comm.rank() == 1 ? 32 : 64, V = 16;
    std::vector<float> q(B * T * H * K, 0.1f), v(B * T * H * V, 0.1f), g(B * T * H * K, -0.1f), o(B * T * H * V);
    auto t = [](std::vector<float> &x, std::vector<int64_t> s) { return Tensor::contiguous(x.data(), std::move(s)); };
    try {
        dist::gla(comm, t(q, {B, T, H, K}), t(q, {B, T, H, K}), t(v, {B, T, H, V}), t(g, {B, T, H, K}), t(o, {B, T, H, V}));
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_NE(std::string(e.what()).find("the ranks disagree on K: rank 0 has 64, rank 1 has 32"), std::string::npos)
            << e.what();
    }
}

// One rank's own bad argument: it says why, the others say which rank stopped them.
TEST(DistErrors, OneRankRejectsItsArguments) {
    if (const std::string why = skip_for(Backend::cpu); !why.empty()) GTEST_SKIP() << why;
    Communicator &comm = *world().cpu;
    if (comm.size() < 2) GTEST_SKIP() << "needs 2 ranks";
    const int64_t B = 1, T = 5, H = 2, K = 16, V = 16, Tv = comm.rank() == 1 ? 4 : 5;
    std::vector<float> q(B * T * H * K, 0.1f), v(B * Tv * H * V, 0.1f), g(B * T * H * K, -0.1f), o(B * T * H * V);
    auto t = [](std::vector<float> &x, std::vector<int64_t> s) { return Tensor::contiguous(x.data(), std::move(s)); };
    try {
        dist::gla(comm, t(q, {B, T, H, K}), t(q, {B, T, H, K}), t(v, {B, Tv, H, V}), t(g, {B, T, H, K}), t(o, {B, T, H, V}));
        FAIL() << "no error";
    } catch (const Error &e) {
        const std::string want = comm.rank() == 1 ? "v has shape [1,4,2,16], expected [1,5,2,16]" : "rank 1 rejected its arguments";
        EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
    }
}

std::string temp_dir(const std::string &what) {
    auto dir = std::filesystem::temp_directory_path() /
               ("seqmix_dist_test_" + what + "_" + std::to_string(::getpid()) + "_" + std::to_string(world().rank));
    std::filesystem::remove_all(dir);
    return dir.string();
}

TEST(Rendezvous, ThreeRanksExchangeRankZerosPayload) {
    dist::RendezvousOptions opt;
    opt.dir = temp_dir("three");
    opt.tag = "t";
    opt.timeout_s = 30;
    std::vector<std::string> got(3);
    std::vector<std::thread> ranks;
    for (int r = 0; r < 3; ++r) {
        ranks.emplace_back([&, r] { got[r] = dist::file_rendezvous(opt, r, 3, r == 0 ? std::string("id\0x", 4) : ""); });
    }
    for (auto &t : ranks) t.join();
    for (int r = 0; r < 3; ++r) EXPECT_EQ(got[r], std::string("id\0x", 4)) << "rank " << r;
    // Rank 0 cleaned up: the directory serves the next job.
    EXPECT_TRUE(std::filesystem::is_empty(opt.dir));
    std::filesystem::remove_all(opt.dir);
}

TEST(Rendezvous, TimeoutIsAClearError) {
    dist::RendezvousOptions opt;
    opt.dir = temp_dir("timeout");
    opt.timeout_s = 0.2;
    try {
        dist::file_rendezvous(opt, 1, 2, "");
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_NE(std::string(e.what()).find("timed out after 0.2 s: rank 1 of world size 2 waited for rank 0"),
                  std::string::npos)
            << e.what();
    }
    try {
        dist::file_rendezvous(opt, 0, 3, "x");
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_NE(std::string(e.what()).find("rank(s) 1,2 of world size 3 never read"), std::string::npos) << e.what();
    }
    std::filesystem::remove_all(opt.dir);
}

TEST(Rendezvous, NoDirectoryIsAClearError) {
    const char *saved = std::getenv("SEQMIX_DIST_RENDEZVOUS");
    const std::string keep = saved ? saved : "";
    ::unsetenv("SEQMIX_DIST_RENDEZVOUS");
    EXPECT_THROW(
        {
            try {
                dist::file_rendezvous({}, 1, 2, "");
            } catch (const Error &e) {
                EXPECT_NE(std::string(e.what()).find("SEQMIX_DIST_RENDEZVOUS"), std::string::npos) << e.what();
                throw;
            }
        },
        Error);
    if (saved) ::setenv("SEQMIX_DIST_RENDEZVOUS", keep.c_str(), 1);
}

TEST(Ranks, FromTorchrunAndOpenMpiVariables) {
    const dist::RankInfo launched = dist::ranks_from_env();
    if (world().cpu && launched.source == "openmpi") {
        EXPECT_EQ(launched.rank, world().cpu->rank());
        EXPECT_EQ(launched.size, world().cpu->size());
    }
    if (std::getenv("RANK")) GTEST_SKIP() << "launched with RANK set";
    ::setenv("RANK", "3", 1), ::setenv("WORLD_SIZE", "4", 1), ::setenv("LOCAL_RANK", "1", 1);
    const dist::RankInfo t = dist::ranks_from_env();
    EXPECT_EQ(t.rank, 3);
    EXPECT_EQ(t.size, 4);
    EXPECT_EQ(t.local_rank, 1);
    EXPECT_EQ(t.source, "torchrun");
    ::setenv("RANK", "4", 1);
    EXPECT_THROW(dist::ranks_from_env(), Error);
    ::unsetenv("WORLD_SIZE");
    EXPECT_THROW(dist::ranks_from_env(), Error);
    ::unsetenv("RANK"), ::unsetenv("LOCAL_RANK");
}

TEST(Nccl, UnloadableLibraryIsAClearError) {
    dist::NcclOptions opt;
    opt.library = "libnccl-not-here.so.2";
    opt.rank = 0, opt.size = 1;
    try {
        dist::nccl(opt);
        FAIL() << "no error";
    } catch (const Error &e) {
        const std::string what = e.what();
        // Built with CUDA: the dlopen failure, naming LD_LIBRARY_PATH; without: the build says so.
        EXPECT_TRUE(what.find("cannot load libnccl-not-here.so.2") != std::string::npos ||
                    what.find("has no CUDA") != std::string::npos)
            << what;
    }
}

// Only rank 0 prints the usual report; the others print their failures, prefixed with the rank.
class RankFailurePrinter : public ::testing::EmptyTestEventListener {
public:
    explicit RankFailurePrinter(int rank) : rank_(rank) {}
    void OnTestPartResult(const ::testing::TestPartResult &r) override {
        if (r.failed()) std::fprintf(stderr, "[rank %d] %s:%d: failure\n%s\n", rank_, r.file_name() ? r.file_name() : "?", r.line_number(), r.summary());
    }
    void OnTestEnd(const ::testing::TestInfo &info) override {
        if (info.result()->Failed()) std::fprintf(stderr, "[rank %d] FAILED %s.%s\n", rank_, info.test_suite_name(), info.name());
    }

private:
    int rank_;
};

}  // namespace
}  // namespace seqmix::test

int main(int argc, char **argv) {
    using namespace seqmix;
    using seqmix::test::world;
    ::testing::InitGoogleTest(&argc, argv);
    auto &w = world();
#ifdef SEQMIX_DIST_TEST_MPI
    MPI_Init(&argc, &argv);
    MPI_Comm mpi_world = MPI_COMM_WORLD;  // a handle value in OpenMPI, not an lvalue
    w.cpu = dist::mpi(&mpi_world);
    w.rank = w.cpu->rank(), w.size = w.cpu->size();
#else
    const dist::RankInfo env = dist::ranks_from_env();
    w.rank = env.rank, w.size = env.size;
#endif
#ifdef SEQMIX_TEST_CUDA
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess) devices = 0;
    if (!seqmix::cuda_available() || devices == 0) {
        w.cuda_skip = "no CUDA device on this host";
    } else if (devices < w.size) {
        w.cuda_skip = "needs one GPU per rank: " + std::to_string(w.size) + " ranks, " + std::to_string(devices) + " GPU(s)";
    } else {
        dist::NcclOptions opt;
        opt.bootstrap = w.cpu.get();  // MPI when there is one, else the file rendezvous
        if (!opt.bootstrap && !std::getenv("SEQMIX_DIST_RENDEZVOUS")) opt.rendezvous.dir = "/tmp/seqmix_dist_test_rendezvous";
        opt.rendezvous.timeout_s = 120;
        if (w.cpu) opt.device = w.rank;  // one node under mpirun
        w.cuda = dist::nccl(opt);        // an error here fails the run: GPUs are there, NCCL must work
        cudaGetDevice(&seqmix::test::cuda_device);
    }
#else
    w.cuda_skip = "built without the CUDA runtime in tests";
#endif
    if (w.rank > 0) {
        auto &listeners = ::testing::UnitTest::GetInstance()->listeners();
        delete listeners.Release(listeners.default_result_printer());
        listeners.Append(new seqmix::test::RankFailurePrinter(w.rank));
    }
    const int rc = RUN_ALL_TESTS();
    w.cuda.reset();
    w.cpu.reset();
#ifdef SEQMIX_DIST_TEST_MPI
    MPI_Finalize();
#endif
    return rc;
}
