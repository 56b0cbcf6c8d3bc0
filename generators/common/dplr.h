// The diagonal-plus-rank-one (DPLR) linear recurrence shared by the delta-rule mixers and RWKV-7
// (MIXERS.md, "Linear recurrences"): per head, with the state S [K,V],
//   S_t = D_t S_{t-1} + alpha_t (a_t^T S_{t-1}) + k_t vin_t^T,   o_t = scale * S_t^T q_t,
//   D_t = Diag(exp(g_t)) (g per channel, or one scalar per token: `scalar_decay`).
// Each mixer is a thin Generator that defines q, k, alpha, a, vin and g as Funcs of
// (x, t, h, b) and calls one of the two blocks below:
//   delta_rule         D = I,              alpha = k, a = -beta k,                  vin = beta v
//   gated_delta_rule   D = exp(g) I,       alpha = k, a = -beta exp(g) k,           vin = beta v
//   kda                D = Diag(exp(g)),   alpha = k, a = -beta (exp(g) * k),       vin = beta v
//   gated_delta_rule2  D = Diag(exp(g)),   alpha = k, a = -(exp(g) * b * k),        vin = w * v
//   rwkv7              D = Diag(exp(w)),   alpha = b, a = a,                         vin = v, q = r
//
// Chunked form (WY / UT transform; no per-token loop). For a chunk of C tokens entering with
// state S_0, G_i the inclusive cumulative log-decay inside the chunk (per channel, G_0 = 0 before
// the first token) and u_i = a_i^T S_{i-1} (a V-vector), unrolling the recurrence gives
//   S_i = Gam_i S_0 + sum_{j <= i} (Gam_i / Gam_j) (alpha_j u_j^T + k_j vin_j^T)
//   u_i = (Gam_{i-1} a_i)^T S_0 + sum_{j < i} a_i^T (Gam_{i-1} / Gam_j) (alpha_j u_j^T + k_j vin_j^T)
// so (I - L) U = Bg S_0 + Lk Vin, with the strictly lower-triangular
//   L[i,j] = a_i^T (Gam_{i-1}/Gam_j) alpha_j,   Lk[i,j] = a_i^T (Gam_{i-1}/Gam_j) k_j,   Bg_i = Gam_{i-1} a_i.
// Forward substitution over the rows (the UT transform; W = (I - L)^-1 Bg without
// forming the inverse, which costs the same per chunk and saves the two products with it):
//   W_i  = Bg_i + sum_{j<i} L[i,j] W_j                                   (wy_w,  C x K)
//   U0_i = sum_{j<i} Lk[i,j] vin_j + sum_{j<i} L[i,j] U0_j                (wy_u0, C x V)
// so that U = W S_0 + U0. With Aa_j = (Gam_C/Gam_j) alpha_j, Kd_j = (Gam_C/Gam_j) k_j:
//   S_{c+1} = M_c S_c + kv_c,   M_c = Diag(Gam_C) + Aa^T W (K x K),   kv_c = Aa^T U0 + Kd^T Vin
// (mmat and kv: per chunk, in parallel; state: sequential over chunks, a K x K by K x V product
// each; M_c and kv_c are also what a sequence-parallel scan over chunks needs), and
//   o_i = scale [ (Gam_i q_i)^T S_c + sum_{j<=i} (q_i^T (Gam_i/Gam_j) alpha_j) u_j
//                                  + sum_{j<=i} (q_i^T (Gam_i/Gam_j) k_j) vin_j ].
// Every exponent is a difference G_a - G_b <= 0 (clamped at 0 where the masked upper triangle
// would make it positive), so gates near 0 stay finite. With per-channel decay the four C x C
// products need one exp per (i, j, kd) inside the reduction; with scalar decay they are plain dot
// products times one exp per (i, j), applied in the masked copies l_aa_m, l_ak_m (strictly lower)
// and l_qa_m, l_qk_m (lower with the diagonal), which are what the substitutions and o_intra read:
// a schedule that stores them computes each exp once, vectorised over j, and the consumers run
// over whole rows with the zeros doing the masking. `scale` multiplies o at the end.
// Padded tokens past T have every input 0 (decay exp(0) = 1, no update): the state is unchanged.
//
// Stages (Funcs named as the schedules name them; dimensions innermost first, chunk-indexed
// stages (x, i, c, h, b) with t = c * C + i; C x C stages (j, i, c, h, b), j the key/column):
//   q_pad k_pad alpha_pad a_pad vin_pad g_pad init -> gcum -> bg, g_col, alpha_col, k_col
//   -> l_aa, l_ak -> l_aa_m, l_ak_m -> wy_w, wy_u0
//   -> alpha_state, k_state -> mmat (-> mtrans), kv -> state -> u (-> uv), q_inter, l_qa, l_qk -> l_qa_m, l_qk_m
//   -> o_inter -> o_intra (o_inter plus the intra-chunk sums) -> o, final_state.
// When alpha is k (the four delta-rule mixers), k_col is alpha_col, l_ak is l_aa, l_qk is l_qa,
// k_state is alpha_state and the masked copies alias too (pure aliases the schedule leaves
// inline), and the alpha and k terms of wy_u0, kv and o_intra are merged: wy_u0 holds
// Z = U0 + Vin (Z_i = Vin_i + sum_{j<i} L[i,j] Z_j), kv_c = Kd^T Z, and u = W S_c + Z = U + Vin is
// what o_intra mixes (through uv, the same rows as a stage a schedule can store).
#pragma once

#include "Halide.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace seqmix::dplr {

using Halide::Expr;
using Halide::Func;
using Halide::RDom;
using Halide::Var;

// What a mixer hands to the blocks: Funcs of (x, t, h, b) for the chunked form and of (x, h, b)
// for the step form; g has a channel dimension x in both cases (ignored with scalar_decay).
struct Recurrence {
    Func q, k, alpha, a, vin, g;
    bool alpha_is_k = false;
    bool scalar_decay = false;
};

// The algorithm's loop-order and splitting choices, each a schedule param (the file's `param
// NAME = ...`, read by the generator through options()): Halide refuses to reorder the RVars of
// the forward substitutions and the state pass, so their loop orders belong to the algorithm.
//   column_updates: the substitutions destination-row innermost (each finished row updates the
//     rows after it) instead of source-row innermost (each row gathers the rows before it).
//   state_column_updates: the same for the state pass S_(c+1) = M_c S_c + kv_c (default:
//     column_updates). A GPU runs the pass's output rows on threads, which Halide allows only
//     outside the source-row loop.
//   sub_chunk: the split of the per-channel decay products into sub-chunks (0: none).
//   source_group: the substitutions' source rows applied per update (G): each update adds
//     sum_{q<G} L[dst, G g + q] row(G g + q), so that a CPU loop loads and stores the destination
//     row once per G source rows instead of once per row (a store through a buffer that the source
//     rows' loads may alias keeps a compiler from holding the destination in registers). The masked
//     copies are zero for src >= dst, so a group straddling the diagonal adds zeros times rows not
//     yet final (finite values), and the rows before dst in it are final when it runs (dst ascends).
//   state_source_group: the same for the state pass (default: source_group); K need not be a
//     multiple of it (the rows past K add zero).
struct Options {
    bool column_updates = false;
    bool state_column_updates = false;
    int sub_chunk = 0;
    int source_group = 1;
    int state_source_group = 1;
};

// Options from a generator's params: param_or(name, fallback) as ScheduledGenerator's.
template<typename ParamOr>
Options options(ParamOr param_or) {
    Options o;
    o.column_updates = param_or("column_updates", 0) != 0;
    o.state_column_updates = param_or("state_column_updates", o.column_updates ? 1 : 0) != 0;
    o.sub_chunk = param_or("sub_chunk", 0);
    o.source_group = param_or("source_group", 1);
    o.state_source_group = param_or("state_source_group", o.source_group);
    return o;
}

class Chunked {
public:
    Var kd{"kd"}, vd{"vd"}, kd2{"kd2"}, t{"t"}, i{"i"}, j{"j"}, c{"c"}, h{"h"}, b{"b"};
    Func q_pad{"q_pad"}, k_pad{"k_pad"}, alpha_pad{"alpha_pad"}, a_pad{"a_pad"}, vin_pad{"vin_pad"}, g_pad{"g_pad"};
    Func init{"init"}, gcum{"gcum"}, glast{"glast"}, bg{"bg"}, l_aa{"l_aa"}, l_ak{"l_ak"};
    Func l_aa_m{"l_aa_m"}, l_ak_m{"l_ak_m"}, l_qa_m{"l_qa_m"}, l_qk_m{"l_qk_m"}, alpha_sub{"alpha_sub"}, k_sub{"k_sub"};
    Func alpha_col{"alpha_col"}, k_col{"k_col"}, g_col{"g_col"};
    Func wy_w{"wy_w"}, wy_u0{"wy_u0"}, alpha_state{"alpha_state"}, k_state{"k_state"}, mmat{"mmat"}, kv{"kv"};
    Func mtrans{"mtrans"};
    Func state{"state"}, u{"u"}, uv{"uv"}, q_inter{"q_inter"}, l_qa{"l_qa"}, l_qk{"l_qk"}, o_inter{"o_inter"};
    Func o_intra{"o_intra"};

    // Defines every stage; the generator then sets o(vd, h, t, b) = o_at(...) and
    // final_state(vd, kd, h, b) = final_state_at(...). T, K: the sequence length and key dim;
    // initial(vd, kd, h, b) the entering state; C the chunk length (the schedule's `chunk`), opt
    // the loop orders and splits (Options).
    void define(const Recurrence &r, Func initial, Expr scale, Expr T, Expr K, int C, const Options &opt) {
        const bool column_updates = opt.column_updates;
        const int sub_chunk = opt.sub_chunk;
        auto pad = [&](Func &dst, const Func &src, Var x) {
            dst(x, t, h, b) = Halide::select(t < T, src(x, Halide::clamp(t, 0, T - 1), h, b), 0.0f);
        };
        pad(q_pad, r.q, kd);
        pad(k_pad, r.k, kd);
        pad(alpha_pad, r.alpha, kd);
        pad(a_pad, r.a, kd);
        pad(vin_pad, r.vin, vd);
        pad(g_pad, r.g, kd);
        init(vd, kd, h, b) = initial(vd, kd, h, b);

        Expr nc = (T + C - 1) / C;
        Expr tc = c * C + i, tj = c * C + j;

        // G(x, i): inclusive cumulative log-decay; Gp(x, i) = G(x, i - 1), 0 before the chunk.
        gcum(kd, i, c, h, b) = g_pad(kd, c * C + i, h, b);
        RDom ri(1, C - 1, "ri");
        gcum(kd, ri, c, h, b) += gcum(kd, ri - 1, c, h, b);
        auto ch = [&](Expr x) { return r.scalar_decay ? Expr(0) : x; };
        auto G = [&](Expr x, Expr pos) { return gcum(ch(x), pos, c, h, b); };
        // The column (key-side) operands of the C x C products, chunk-indexed (x, j, c, h, b) so
        // that a schedule can store them j-innermost and vectorise the products over j.
        g_col(kd, j, c, h, b) = gcum(kd, j, c, h, b);
        alpha_col(kd, j, c, h, b) = alpha_pad(kd, tj, h, b);
        if (r.alpha_is_k) {
            k_col(kd, j, c, h, b) = alpha_col(kd, j, c, h, b);
        } else {
            k_col(kd, j, c, h, b) = k_pad(kd, tj, h, b);
        }
        auto Gcol = [&](Expr x, Expr pos) { return g_col(ch(x), pos, c, h, b); };
        auto Gp = [&](Expr x, Expr pos) {
            return Halide::select(pos > 0, gcum(ch(x), Halide::max(pos - 1, 0), c, h, b), 0.0f);
        };
        glast(kd, c, h, b) = gcum(ch(kd), C - 1, c, h, b);

        bg(kd, i, c, h, b) = a_pad(kd, tc, h, b) * Halide::exp(Gp(kd, i));

        // The C x C products; the decay exp(min(G_row - G_j, 0)) is inside the kd sum per
        // channel, outside it (one scalar) for scalar decay.
        RDom rk(0, K, "rk");
        // With per-channel decay and sub_chunk > 0, the products split into sub-chunks of Cs rows
        // as gla's intra-chunk scores: for a key j in an earlier sub-chunk than the row i, the
        // decay factors through r, the last position of j's sub-chunk,
        //   exp(Grow_i - G_j) = exp(Grow_i - G_r) * exp(G_r - G_j),   both factors <= 1,
        // so those blocks are a plain product of f_rsub (row operand times its decay to r, per
        // sub-chunk s) and alpha_sub / k_sub (column operand times its decay from r); only the
        // diagonal blocks f_diag keep an exp per (i, j, kd): (Cs + C / Cs + 1) / C of the exps.
        const bool split = sub_chunk > 0 && !r.scalar_decay;
        if (split && C % sub_chunk != 0) {
            throw Halide::CompileError("dplr: chunk (" + std::to_string(C) + ") must be a multiple of sub_chunk (" +
                                       std::to_string(sub_chunk) + ")");
        }
        const int Cs = split ? sub_chunk : 1;
        Var s{"s"}, jj{"jj"};
        // Names are fixed strings, never built from a Func's name(): a multitarget build makes
        // the generator once per target in one process, and Halide's "$N" suffixes on the later
        // ones would end up inside the name (the schedules name the base).
        // grow(x, pos): the row's cumulative gate (Gp for a, G for q).
        // cs: the column operand decayed from its block's end (alpha_sub or k_sub), defined by the
        // first product that reads it.
        auto product = [&](Func &f, const std::string &base, const Func &row, const Func &col, Func &cs,
                           const std::function<Expr(Expr, Expr)> &grow) {
            if (!split) {
                Expr x = row(rk, tc, h, b) * col(rk, j, c, h, b);
                Expr d = Halide::exp(Halide::min(grow(rk, i) - Gcol(rk, j), 0.0f));
                f(j, i, c, h, b) = 0.0f;
                f(j, i, c, h, b) += r.scalar_decay ? x : x * d;
                return;
            }
            Func rsub(base + "_rsub"), off(base + "_off"), diag(base + "_diag");
            if (!cs.defined()) {
                cs(kd, j, c, h, b) = col(kd, j, c, h, b) * Halide::exp(Gcol(kd, (j / Cs) * Cs + Cs - 1) - Gcol(kd, j));
                split_.push_back(cs);
            }
            rsub(kd, i, s, c, h, b) =
                row(kd, tc, h, b) * Halide::exp(Halide::min(grow(kd, i) - G(kd, s * Cs + Cs - 1), 0.0f));
            off(j, i, c, h, b) = 0.0f;
            off(j, i, c, h, b) += rsub(rk, i, j / Cs, c, h, b) * cs(rk, j, c, h, b);
            Expr jd = (i / Cs) * Cs + jj;
            diag(jj, i, c, h, b) = 0.0f;
            diag(jj, i, c, h, b) += row(rk, tc, h, b) * col(rk, jd, c, h, b) *
                                    Halide::exp(Halide::min(grow(rk, i) - Gcol(rk, jd), 0.0f));
            f(j, i, c, h, b) = Halide::select(j / Cs < i / Cs, off(j, i, c, h, b), j / Cs == i / Cs,
                                              diag(j % Cs, i, c, h, b), 0.0f);
            split_.insert(split_.end(), {rsub, off, diag});
        };
        // The masked copy m of the product f: the scalar decay's exp applied, zero above the
        // diagonal (on it too unless inclusive).
        auto masked = [&](Func &m, const Func &f, bool inclusive) {
            Expr e = Halide::exp(Halide::min((inclusive ? G(0, i) : Gp(0, i)) - Gcol(0, j), 0.0f));
            Expr x = r.scalar_decay ? f(j, i, c, h, b) * e : f(j, i, c, h, b);
            m(j, i, c, h, b) = Halide::select(inclusive ? j <= i : j < i, x, 0.0f);
        };
        product(l_aa, "l_aa", a_pad, alpha_col, alpha_sub, Gp);
        masked(l_aa_m, l_aa, false);
        if (r.alpha_is_k) {
            l_ak(j, i, c, h, b) = l_aa(j, i, c, h, b);
            l_ak_m(j, i, c, h, b) = l_aa_m(j, i, c, h, b);
        } else {
            product(l_ak, "l_ak", a_pad, k_col, k_sub, Gp);
            masked(l_ak_m, l_ak, false);
        }

        // Forward substitution: row dst += L[dst, src] * row src for every src < dst, each row
        // final before it is read. Row-oriented (rs.x = src innermost: each row gathers the rows
        // above it, an accumulation a GPU thread keeps in a register) or column-oriented
        // (column_updates, rs.x = dst innermost: each finished row updates the rows below it, with
        // no chain through memory from one update to the next, which a CPU loop wants). Halide
        // refuses to reorder the two RVars, so the order is the algorithm's choice.
        // With source_group, rs runs over (dst, source group) and each update adds `rows` rows.
        const int rows = opt.source_group;
        if (rows < 1 || C % rows != 0) {
            throw Halide::CompileError("dplr: chunk (" + std::to_string(C) + ") must be a multiple of source_group (" +
                                       std::to_string(rows) + ")");
        }
        RDom rs(0, column_updates ? C : C / rows, 0, column_updates ? C / rows : C, "rs");
        Expr group = column_updates ? rs.y : rs.x, dst = column_updates ? rs.x : rs.y;
        rs.where(rows * group < dst);
        wy_w(kd, i, c, h, b) = bg(kd, i, c, h, b);
        // With alpha = k the substitution runs on Z = U0 + Vin (Z_i = Vin_i + sum_{j<i} L[i,j] Z_j),
        // which is what kv and o_intra read: no Vin + U0 per source row and update.
        wy_u0(vd, i, c, h, b) = r.alpha_is_k ? vin_pad(vd, tc, h, b) : Expr(0.0f);
        Expr w_sum, u0_sum;
        for (int q = 0; q < rows; ++q) {
            Expr src = rows * group + q;
            Expr w_term = l_aa_m(src, dst, c, h, b) * wy_w(kd, src, c, h, b);
            Expr vin_src = vin_pad(vd, c * C + src, h, b), u0_src = wy_u0(vd, src, c, h, b);
            Expr u0_term = r.alpha_is_k ? l_aa_m(src, dst, c, h, b) * u0_src
                                        : l_ak_m(src, dst, c, h, b) * vin_src + l_aa_m(src, dst, c, h, b) * u0_src;
            w_sum = q == 0 ? w_term : w_sum + w_term;
            u0_sum = q == 0 ? u0_term : u0_sum + u0_term;
        }
        wy_w(kd, dst, c, h, b) += w_sum;
        wy_u0(vd, dst, c, h, b) += u0_sum;

        // Chunk transition M_c and contribution kv_c.
        alpha_state(kd, j, c, h, b) = alpha_pad(kd, tj, h, b) * Halide::exp(glast(kd, c, h, b) - G(kd, j));
        if (r.alpha_is_k) {
            k_state(kd, j, c, h, b) = alpha_state(kd, j, c, h, b);
        } else {
            k_state(kd, j, c, h, b) = k_pad(kd, tj, h, b) * Halide::exp(glast(kd, c, h, b) - G(kd, j));
        }
        RDom rj(0, C, "rj");
        mmat(kd2, kd, c, h, b) = Halide::select(kd == kd2, Halide::exp(glast(kd, c, h, b)), 0.0f);
        mmat(kd2, kd, c, h, b) += alpha_state(kd, rj, c, h, b) * wy_w(kd2, rj, c, h, b);
        Expr vin_j = vin_pad(vd, c * C + rj, h, b);
        kv(vd, kd, c, h, b) = 0.0f;
        if (r.alpha_is_k) {
            kv(vd, kd, c, h, b) += k_state(kd, rj, c, h, b) * wy_u0(vd, rj, c, h, b);
        } else {
            kv(vd, kd, c, h, b) += alpha_state(kd, rj, c, h, b) * wy_u0(vd, rj, c, h, b) + k_state(kd, rj, c, h, b) * vin_j;
        }

        // M_c as the state pass reads it: a pure alias, so that a schedule can stage it per chunk
        // (mtrans.in(state)) while mmat itself runs as register tiles through mmat.in().
        mtrans(kd2, kd, c, h, b) = mmat(kd2, kd, c, h, b);

        // state(c) enters chunk c, c in [0, nc]: state(c + 1) = M_c state(c) + kv_c. The K x K
        // product is one RDom (rm.x, rm.y = source row kd2 and output row kd, or output and source
        // with state_column_updates; then the chunk), since the rows of state(c) must all be final
        // before chunk c + 1 reads them.
        state(vd, kd, c, h, b) = Halide::select(c == 0, init(vd, kd, h, b), kv(vd, kd, Halide::max(c - 1, 0), h, b));
        // With state_source_group Gs the source rows come in groups (rm over source groups).
        const int Gs = opt.state_source_group;
        if (Gs < 1) throw Halide::CompileError("dplr: state_source_group must be >= 1");
        Expr ngroups = (K + Gs - 1) / Gs;
        RDom rm(0, opt.state_column_updates ? K : ngroups, 0, opt.state_column_updates ? ngroups : K, 1, nc, "rm");
        Expr mgroup = opt.state_column_updates ? rm.y : rm.x, mdst = opt.state_column_updates ? rm.x : rm.y;
        Expr m_sum;
        for (int q = 0; q < Gs; ++q) {
            Expr msrc = Gs * mgroup + q;
            Expr term;
            if (Gs == 1) {
                term = mtrans(msrc, mdst, rm.z - 1, h, b) * state(vd, msrc, rm.z - 1, h, b);
            } else {
                // Rows past K (K not a multiple of Gs): a zero factor times a real row.
                Expr in = Halide::min(msrc, K - 1);
                term = Halide::select(msrc < K, mtrans(in, mdst, rm.z - 1, h, b), 0.0f) * state(vd, in, rm.z - 1, h, b);
            }
            m_sum = q == 0 ? term : m_sum + term;
        }
        state(vd, mdst, rm.z, h, b) += m_sum;

        // u = W S_c + U0 (+ Vin with alpha = k: wy_u0 holds Z = U0 + Vin).
        u(vd, i, c, h, b) = wy_u0(vd, i, c, h, b);
        u(vd, i, c, h, b) += wy_w(rk, i, c, h, b) * state(vd, rk, c, h, b);

        // Outputs, before the scale.
        q_inter(kd, i, c, h, b) = q_pad(kd, tc, h, b) * Halide::exp(G(kd, i));
        o_inter(vd, i, c, h, b) = 0.0f;
        o_inter(vd, i, c, h, b) += q_inter(rk, i, c, h, b) * state(vd, rk, c, h, b);
        product(l_qa, "l_qa", q_pad, alpha_col, alpha_sub, G);
        masked(l_qa_m, l_qa, true);
        if (r.alpha_is_k) {
            l_qk(j, i, c, h, b) = l_qa(j, i, c, h, b);
            l_qk_m(j, i, c, h, b) = l_qa_m(j, i, c, h, b);
        } else {
            product(l_qk, "l_qk", q_pad, k_col, k_sub, G);
            masked(l_qk_m, l_qk, true);
        }
        // o_intra accumulates onto o_inter: one tile holds the whole output row block.
        o_intra(vd, i, c, h, b) = o_inter(vd, i, c, h, b);
        if (r.alpha_is_k) {
            // The rows o_intra mixes, U + Vin (u itself, from Z): a stage of its own that a
            // schedule stores while u's products stay register tiles.
            uv(vd, i, c, h, b) = u(vd, i, c, h, b);
            o_intra(vd, i, c, h, b) += l_qa_m(rj, i, c, h, b) * uv(vd, rj, c, h, b);
        } else {
            o_intra(vd, i, c, h, b) += l_qa_m(rj, i, c, h, b) * u(vd, rj, c, h, b) + l_qk_m(rj, i, c, h, b) * vin_j;
        }

        C_ = C;
        nc_ = nc;
        scale_ = scale;
    }

    // The outputs, for the generator's o(vd, h, t, b) and final_state(vd, kd, h, b).
    Expr o_at(Expr x, Expr hh, Expr tt, Expr bb) const {
        return scale_ * o_intra(x, tt % C_, tt / C_, hh, bb);
    }
    Expr final_state_at(Expr x, Expr k, Expr hh, Expr bb) const {
        return state(x, k, nc_, hh, bb);
    }

    std::vector<Func> funcs() const {
        std::vector<Func> fs{q_pad, k_pad, alpha_pad, a_pad, vin_pad, g_pad, init, gcum, glast, bg, alpha_col,
                             k_col, g_col, l_aa, l_ak, l_aa_m, l_ak_m, wy_w, wy_u0, alpha_state, k_state, mmat, mtrans,
                             kv, state, u, q_inter, l_qa, l_qk, l_qa_m, l_qk_m, o_inter, o_intra};
        if (uv.defined()) fs.push_back(uv);
        fs.insert(fs.end(), split_.begin(), split_.end());
        return fs;
    }

private:
    int C_ = 1;
    Expr nc_, scale_;
    std::vector<Func> split_;  // sub_chunk's stages: alpha_sub, k_sub and each product's _rsub, _off, _diag
};

// Step form, one token per (h, b): with the state S [K,V] read once per (h, b),
//   ua = a^T S (V),   S' = exp(g) * S + alpha ua^T + k vin^T,   o = scale * S'^T q.
// Stages: ua -> updated -> o_sum; the generator sets o = scale * o_sum and new_state = updated.
// The per-token operands (q, k, alpha, a, vin and the decay) are schedulable too: a kernel that
// owns a (h, b) can stage them once instead of recomputing a key norm or an exp per state element.
class Step {
public:
    Var kd{"kd"}, vd{"vd"}, h{"h"}, b{"b"};
    Func ua{"ua"}, updated{"updated"}, o_sum{"o_sum"}, decay{"decay"};

    void define(const Recurrence &r, Func state, Expr K) {
        operands_ = {r.q, r.k, r.alpha, r.a, r.vin, r.g};
        RDom rk(0, K, "rk");
        ua(vd, h, b) = 0.0f;
        ua(vd, h, b) += r.a(rk, h, b) * state(vd, rk, h, b);
        decay(kd, h, b) = Halide::exp(r.g(r.scalar_decay ? Expr(0) : Expr(kd), h, b));
        updated(vd, kd, h, b) =
            decay(kd, h, b) * state(vd, kd, h, b) + r.alpha(kd, h, b) * ua(vd, h, b) + r.k(kd, h, b) * r.vin(vd, h, b);
        o_sum(vd, h, b) = 0.0f;
        o_sum(vd, h, b) += r.q(rk, h, b) * updated(vd, rk, h, b);
    }

    std::vector<Func> funcs() const {
        std::vector<Func> fs{ua, updated, o_sum, decay};
        for (const Func &f : operands_) {
            auto same = [&](const Func &g) { return g.name() == f.name(); };
            if (std::none_of(fs.begin(), fs.end(), same)) fs.push_back(f);
        }
        return fs;
    }

private:
    std::vector<Func> operands_;
};

// fla's l2norm (use_qk_l2norm_in_kernel): x / sqrt(sum x^2 + 1e-6) over the key dim, applied
// when `enable` holds. ss(rest...) is the sum of squares (a named reduction), x(kd, rest...); the
// result is the Func `name` (not derived from ss.name(): Halide appends "$N" to a name made twice
// in one process, and a schedule names the base).
inline Func l2_normalised(Func &ss, const std::string &name, const Func &x, Expr K, Expr enable,
                          const std::vector<Var> &rest) {
    RDom rk(0, K, "rk");
    std::vector<Expr> at_rk{rk}, at_kd;
    Var kd("kd");
    at_kd.push_back(kd);
    std::vector<Var> lhs{kd};
    for (const Var &v : rest) {
        at_rk.push_back(v);
        at_kd.push_back(v);
        lhs.push_back(v);
    }
    std::vector<Expr> rest_e(rest.begin(), rest.end());
    ss(rest) = 0.0f;
    ss(rest_e) += x(at_rk) * x(at_rk);
    // One reciprocal per row, a multiply per element (a divide per element was 5% of delta_rule).
    Expr inv = Halide::select(enable, 1.0f / Halide::sqrt(ss(rest_e) + 1e-6f), 1.0f);
    Func out(name);
    out(lhs) = x(at_kd) * inv;
    return out;
}

}  // namespace seqmix::dplr
