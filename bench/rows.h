// seqmix-bench: one benchmark row and what every row family shares (the context it runs in,
// variant selection, inputs, checking against the float64 reference, fractions of ceilings).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ceilings.h"
#include "counts.h"
#include "device.h"
#include "machine.h"
#include "timing.h"

namespace seqmix::bench {

struct Check {
    bool done = false;
    double rel_rms = 0, max_abs = 0, tol = 0;
    bool ok = false;
    std::string subset;  // what part of the output was compared ("all" or a description)
};

// One peer measured in the same run at the same shape. speedup = peer ms / seqmix ms.
struct PeerResult {
    std::string name, note;
    Stats stats;
    double speedup = 0;
    Check check;
};

struct RowResult {
    std::string mixer, form, device, shape;
    std::string requested;  // "dispatch" or the forced "<target>/<bucket>"
    std::string variant;    // seqmix::last_variant() after the call
    std::string target;     // target dir of `variant`
    std::string status = "ok";  // ok | error (the call threw) | skipped (variant refused this shape)
    std::string error;
    Protocol protocol;
    Stats stats;
    bool memory_bound = false;
    // Its traffic is reads (decode attention's KV cache): on the CPU also reported against the
    // read ceiling (extra.read_frac) beside the copy fraction.
    bool reads_only = false;
    double flops = 0, bytes = 0;  // fixed counts (counts.h); one is the row's work
    double rate = 0;              // GFLOP/s or GB/s of the row's work
    std::string ceiling_name;
    std::optional<double> ceiling, fraction;
    Check check;
    std::vector<PeerResult> peers;
    nlohmann::json extra = nlohmann::json::object();  // GPU peers merged from gpu_peers.py
    // Why a CUDA row is not timed as graph replays (empty: it is); e.g. a call that reads device
    // results on the host between its launches, which a stream capture cannot run.
    std::string no_graph;
};

enum class VariantMode { all, dispatch, listed };

struct Context {
    Device device;
    Protocol protocol;  // the default protocol; memory-bound rows switch it to cache rotation
    VariantMode mode = VariantMode::dispatch;
    std::set<std::string> listed;  // VariantMode::listed: these "<target>/<bucket>" only
    bool check = true;
    bool quick = false;
    bool peers = true;
    const Machine *machine = nullptr;
    const Ceilings *ceilings = nullptr;
    std::function<void(const RowResult &)> on_row;  // called as each row finishes
};

std::string device_name(Device d);

// "" (dispatch) or every runnable built "<target>/<bucket>" of `mixer` for the context's device
// (those in ctx.listed for VariantMode::listed).
std::vector<std::string> variants_to_run(const Context &ctx, const std::string &mixer);

// Deterministic inputs: normal(0, sigma), and log-sigmoid gates as fla's tests draw them.
std::vector<float> random_normal(size_t n, unsigned seed, float sigma = 1.0f);
std::vector<float> random_log_gates(size_t n, unsigned seed);
std::vector<double> to_double(const std::vector<float> &x);

// Elements [b in [0,nb), t in [t0,t0+nt), h in [0,nh), d] of a [B,T,H,D] tensor, as float64.
std::vector<double> slice_bthd(const std::vector<float> &x, int64_t B, int64_t T, int64_t H, int64_t D,
                               int64_t nb, int64_t t0, int64_t nt, int64_t nh);

// rel-RMS and max-abs of `got` (float) against `want` (float64); ok when rel_rms <= tol.
Check compare(const std::vector<double> &got, const std::vector<double> &want, double tol, std::string subset);

// Fills rate, ceiling, fraction from stats and the fixed work count.
void finish_rates(RowResult &row, const Context &ctx);

// A row of `mixer` (its form, shape name and the variant asked for, "" = dispatch) on ctx's device
// with ctx's protocol; the caller sets its work count.
RowResult new_row(const Context &ctx, const std::string &mixer, const std::string &form, const std::string &shape,
                  const std::string &variant);

// The cache size that cold-cache rotation must beat on this device (CPU LLC or GPU L2).
double cache_bytes(const Context &ctx);

// Runs `call` once (check), records the variant, times it under `protocol`. `call(i)` runs with
// buffer set i % protocol.sets. Errors from seqmix become the row's status.
void run_row(RowResult &row, const Context &ctx, Runner &runner, const std::function<void(int)> &call,
             const std::function<Check()> &check);

// Row families: each appends its rows (one per shape x variant) and calls ctx.on_row.
void attention_rows(const Context &ctx, std::vector<RowResult> &out);
void gla_rows(const Context &ctx, std::vector<RowResult> &out);
void gla_step_rows(const Context &ctx, std::vector<RowResult> &out);
// linear_attn, retention, simple_gla (chunked) and their `_step` forms (mixer names with the suffix).
void scalar_decay_rows(const Context &ctx, const std::string &mixer, std::vector<RowResult> &out);
void scalar_decay_step_rows(const Context &ctx, const std::string &mixer, std::vector<RowResult> &out);
// Mamba-2 SSD: ssd and ssd_bidirectional (chunked; mixer names), ssd_step.
void ssd_rows(const Context &ctx, const std::string &mixer, std::vector<RowResult> &out);
void ssd_step_rows(const Context &ctx, std::vector<RowResult> &out);
// The delta-rule mixers and RWKV-7 (rows_dplr.cpp): `mixer` is delta_rule, gated_delta_rule, kda,
// gated_delta_rule2 or rwkv7 (chunked) and the same with _step.
void dplr_rows(const Context &ctx, std::vector<RowResult> &out, const std::string &mixer);
void dplr_step_rows(const Context &ctx, std::vector<RowResult> &out, const std::string &mixer);
void causal_conv1d_rows(const Context &ctx, std::vector<RowResult> &out);
void causal_conv1d_step_rows(const Context &ctx, std::vector<RowResult> &out);
void selective_scan_rows(const Context &ctx, std::vector<RowResult> &out);
// Nonlinear RNNs (rows_rnn.cpp, issue 9): lstm, gru (compute-bound), pararnn (both forms).
void lstm_rows(const Context &ctx, std::vector<RowResult> &out);
void gru_rows(const Context &ctx, std::vector<RowResult> &out);
void pararnn_rows(const Context &ctx, std::vector<RowResult> &out);
void selective_scan_step_rows(const Context &ctx, std::vector<RowResult> &out);
void decode_attention_rows(const Context &ctx, std::vector<RowResult> &out);
// monarch (sequence_axis false) or monarch_seq (true); token_mix with the in-run OpenBLAS peer.
void monarch_rows(const Context &ctx, std::vector<RowResult> &out, bool sequence_axis);
void token_mix_rows(const Context &ctx, std::vector<RowResult> &out);
// issue 9 (rows_long_conv.cpp): long_conv (with the FFTW peer on CPU), lmu, lmu_step.
void long_conv_rows(const Context &ctx, std::vector<RowResult> &out);
void lmu_rows(const Context &ctx, std::vector<RowResult> &out);
void lmu_step_rows(const Context &ctx, std::vector<RowResult> &out);

}  // namespace seqmix::bench
