#!/usr/bin/env python3
"""Writes the FFT-form schedule files of long_conv, long_conv_filter and lmu for every target
directory: one bucket per FFT length n (powers of two and 3 * 2^k), `<mixer>@fft<n>.sched`.

The files differ only in n, the bucket condition and the list of radix passes (fwd0.., inv0..,
one Func per pass: generators/common/fft.h), so they are written from one template per
(mixer, CPU|CUDA) here rather than by hand. Edit this script, run it from the repository root
(`python3 schedules/tools/fft_schedules.py`), commit its output. Hand-tuned files (without the
marker line below) are left alone.
"""
import functools
import itertools
import os

MARK = "# Written by schedules/tools/fft_schedules.py"
LENGTHS = [512, 1024, 2048, 3072, 4096, 6144, 8192, 12288, 16384, 32768, 65536, 131072]
CPU = ["x86-64-avx512", "x86-64-avx2", "x86-64"]
GPU = ["cuda-sm90", "cuda-sm80"]
VEC = {"x86-64-avx512": 16, "x86-64-avx2": 8, "x86-64": 4}
# Channel pairs per transform group: one vector of them on CPU; on CUDA the threads of a block
# are (ln, jt): adjacent threads walk adjacent lanes, so every pass reads and writes coalesced.
GPU_LANES, GPU_JT = 16, 16
# CUDA FFT buckets stop at n = 32768: at n = 65536 the generator fails (Halide 21: "signed integer
# overflow during constant-folding" in the block-level Heap stages); longer shapes run the CUDA
# default (direct form) until that is resolved.
GPU_MAX_N = 32768
# The direct form (long_conv's default) below this filter length: measured on the 2-core Xeon,
# B2_D256_T4096, AVX2: direct 10.0 ms vs fft6144 13.8 ms at L = 64, 17.7 vs 14.1 ms at L = 128
# (the FFT's cost does not grow with L). The crossover moves with T (log n): one threshold for now.
DIRECT_L = 96


def radices(n):
    """The radix plan of generators/common/fft.cpp (radix_plan): 4s, one 2 if needed, a 3 last."""
    r, rest = [], n
    three = rest % 3 == 0
    if three:
        rest //= 3
    while rest % 4 == 0:
        r.append(4)
        rest //= 4
    if rest == 2:
        r.append(2)
    if three:
        r.append(3)
    return r


def passes(n):
    return len(radices(n))


# Shared-memory padding of the four-step passes: the j extent of pass s padded by pads[s] (as
# align_storage), chosen by counting bank conflicts (session 8). A row pass is stored j-innermost
# (a warp's 32 threads along j store conflict-free); a column pass m2-innermost (a warp is 16 m2 x
# 2 j). The cost of a padding is the sum over every warp instruction of its stores and of the next
# pass's Stockham loads (generators/common/fft.cpp, Transform::input_of_pass) of the most distinct
# addresses that share a bank; the cheapest padding wins, ties to the least padding (n2 = 128:
# 56 -> 28, n1 = 128: 512 -> 448 wavefront units).
PAD_CHOICES = [0, 1, 2, 4, 8, 16]


def _bank_ways(addresses):
    banks = {}
    for a in set(addresses):
        banks.setdefault(a % 32, set()).add(a)
    return max(len(v) for v in banks.values())


def _conflicts(n, pads, kind):
    rs = radices(n)
    strides = [1]
    for r in rs[:-1]:
        strides.append(strides[-1] * r)

    def warps(extent):  # the (j, m2) of each warp's threads
        if kind == "row":
            return [[(j, 0) for j in range(w, min(extent, w + 32))] for w in range(0, extent, 32)]
        return [[(j + t // 16, t % 16) for t in range(32) if j + t // 16 < extent] for j in range(0, extent, 2)]

    total = 0
    for s, r in enumerate(rs):
        stride = n // r + pads[s]

        def addr(p, j, m2):
            return j + stride * p if kind == "row" else m2 + 16 * (j + stride * p)

        for w in warps(n // r):
            total += sum(_bank_ways([addr(p, j, m2) for j, m2 in w]) for p in range(r))
        if s + 1 < len(rs):
            r2, ns = rs[s + 1], strides[s]
            for w in warps(n // r2):
                for q in range(r2):
                    ms = [j + q * (n // r2) for j, _ in w]
                    total += _bank_ways([addr((m // ns) % r, (m // (ns * r)) * ns + m % ns, m2)
                                         for m, (_, m2) in zip(ms, w)])
    return total


def _best_pads(n, kind):
    best = None
    for pads in itertools.product(PAD_CHOICES, repeat=passes(n)):
        key = (_conflicts(n, pads, kind), sum(pads))
        if best is None or key < best[0]:
            best = (key, list(pads))
    return best[1]


@functools.lru_cache(maxsize=None)
def row_pads(n2):
    return _best_pads(n2, "row")


@functools.lru_cache(maxsize=None)
def col_pads(n1):
    return _best_pads(n1, "col")


def conditions(mixer, n, prev):
    if mixer == "long_conv":
        lo = f" and T + L - 1 > {prev}" if prev else ""
        return f"L > {DIRECT_L}{lo} and T + L - 1 <= {n}"
    lo = f"2 * T - 1 > {prev}" if prev else "T > 32"
    return f"{lo} and 2 * T - 1 <= {n}"


def header(mixer, td, n, prev):
    what = {"long_conv": "the FFT form of long_conv", "long_conv_filter": "the filter spectrum of long_conv",
            "lmu": "lmu's parallel form as a long convolution"}[mixer]
    lines = [MARK + "; edit it there.",
             f"# {mixer}@fft{n}, {td}: {what} with FFT length n = {n}."]
    if mixer == "long_conv_filter":
        lines.append("# Run only as long_conv's or lmu's companion of the same bucket (the runtime names it).")
        lines.append("explicit")
    else:
        lines.append(f"when {conditions(mixer, n, prev)}")
    return lines


def cpu_body(mixer, td, n):
    v = VEC[td]
    out = [f"param n = {n}", f"param lanes = {v}"]
    if mixer != "lmu":
        out.append("param n1 = 0  # one Stockham transform per group of pairs (the four-step form is for GPUs)")
    p = passes(n)
    if mixer == "long_conv":
        out.append("# One task per (group of `lanes` channel pairs, batch): both transforms and the product")
        out.append("# in between stay in the task's buffers; vectors across the pairs (ln).")
        out.append("func y : split d into g, dl by 2 * lanes tail GuardWithIf ; reorder t, dl, g, b ; fuse g, b into gb ; parallel gb ; vectorize t by lanes tail GuardWithIf")
        at = "y gb"
        stages = ["x0"] + [f"fwd{s}" for s in range(p)] + ["prod"] + [f"inv{s}" for s in range(p)]
    elif mixer == "long_conv_filter":
        out.append("func kf_spec : split d into g, dl by 2 * lanes tail GuardWithIf ; reorder dl, c, k, g ; parallel g ; vectorize dl by lanes tail GuardWithIf")
        at = "kf_spec g"
        stages = ["x0"] + [f"fwd{s}" for s in range(p)]
    else:
        out.append("# One task per (group of channel pairs, batch): the forward transform once, then per memory")
        out.append("# dimension i the product and the inverse transform.")
        out.append("func m : split c into g, cl by 2 * lanes tail GuardWithIf ; reorder cl, t, i, g, b ; fuse g, b into gb ; parallel gb ; vectorize cl by lanes tail GuardWithIf")
        out.append("func free_resp : compute_at m i ; vectorize c by lanes tail GuardWithIf")
        out.append("  update 0 : vectorize c by lanes tail GuardWithIf")
        out.append("func final_state : parallel b ; vectorize c by lanes tail GuardWithIf")
        out.append("func last : compute_at final_state b ; vectorize c by lanes tail GuardWithIf")
        out.append("  update 0 : vectorize c by lanes tail GuardWithIf")
        out.append("  update 1 : vectorize c by lanes tail GuardWithIf")
        for s in ["x0"] + [f"fwd{s}" for s in range(p)]:
            out.append(f"func {s} : compute_at m gb ; vectorize ln by lanes" + (" ; unroll p" if s != "x0" else ""))
        at = "m i"
        stages = ["prod"] + [f"inv{s}" for s in range(p)]
    out.append("func twiddle : compute_root ; vectorize m by lanes tail GuardWithIf")
    for s in stages:
        out.append(f"func {s} : compute_at {at} ; vectorize ln by lanes" + (" ; unroll p" if s not in ("x0", "prod") else ""))
    return out


def four_step_split(n):
    """n = n1 * n2 for the four-step form: n2 = 2^ceil(log2(n) / 2), n1 = n / n2 (carries the 3)."""
    import math
    n2 = 2 ** math.ceil(math.log2(n) / 2)
    return n // n2, n2


# Four-step tiles: columns per block (m2 tile), row pairs per block, threads along a transform.
COL_TILE, PAIR_TILE, ROW_THREADS, COL_THREADS = 16, 2, 32, 16
# A pass's gathered, twiddled inputs in registers, per thread before its butterflies: inlined, the
# butterflies reloaded every input from shared memory per output (PTX of the rows kernel: 290
# shared loads for 58 stores) and redid each twiddle product r times.
IN_REGS = "func {0}_in : compute_at {0} jo ; unroll q"


def gpu_four_step_body(mixer, n):
    n1, n2 = four_step_split(n)
    out = [f"param n = {n}", "param lanes = 1", f"param n1 = {n1}  # n2 = {n2}"]
    out.append("# The four-step form (generators/common/fft.h, FourStepPlan): each short transform runs in")
    out.append(f"# shared memory; columns by blocks of {COL_TILE} m2 (threads along m2: coalesced), rows by")
    out.append(f"# blocks of {PAIR_TILE} row pairs; the signal crosses global memory between the steps only.")
    # The twiddle tables: each four-step transform has its own (generators/common/fft.h,
    # FourStepTwiddles: 128 + n/128 entries for the four-step twiddle, n1 and n2 for the short
    # transforms), computed in the blocks of the one kernel that reads it: no kernel of their own
    # (~2.6 us each on the H100 at small shapes, session 8 calls C and I).
    # Every thread of the block computes entries (a table on one thread dimension left 15 of 16
    # threads idle: the blocks' sine/cosine time outgrew the saved launches, call I).
    on_cols = (f"split m into mo, mi by {COL_THREADS} tail GuardWithIf ; split mo into mo, mt by {COL_THREADS} tail GuardWithIf ; "
               f"gpu_threads mi, mt")
    on_rows = (f"split m into mo, mi by {ROW_THREADS} tail GuardWithIf ; split mo into mo, mt by {PAIR_TILE} tail GuardWithIf ; "
               f"split mo into mo, mu by 2 tail GuardWithIf ; gpu_threads mi, mt, mu")

    def tables(prefix, placed):
        for t, at, on in placed:
            out.append(f"func {prefix}_{t} : compute_at {at} ; {on}")

    if mixer == "long_conv_filter":
        rows_at = "spec_rows pio"
    else:
        rows_at = "inv_mid r1"
    tables("fwd", [("twl", "fwd_cols m2o", on_cols), ("twh", "fwd_cols m2o", on_cols), ("tw1", "fwd_cols m2o", on_cols),
                   ("tw2", rows_at, on_rows)])
    if mixer != "long_conv_filter":
        # the inverse: its four-step twiddle (twl, twh) and rows in the rows kernel, its columns in res
        tables("inv", [("twl", rows_at, on_rows), ("twh", rows_at, on_rows), ("tw2", rows_at, on_rows),
                       ("tw1", "res m2o", on_cols)])
    rest_cols = "r0" if mixer == "long_conv_filter" else "r0, r1"
    # A column pass is (ln, p, j, r0 = m2, rest...): m2, the threads' x, innermost in shared memory
    # too (with the default order, (ln, p, j) innermost, a warp's 16 m2 hit one bank: 32-way
    # conflicts measured 4.4 ms of 12 ms at B8_D768_T8192 on the H100, session 7 call A), then j
    # (the threads' y: the warp's two rows of 16 land in different banks; p before j measured
    # 0.69 + 0.52 ms vs 0.60 + 0.43 ms for the two column kernels, call C).
    col_storage = "r0, ln, j, p, r1" + ("" if mixer == "long_conv_filter" else ", r2")

    def col_passes(prefix, at):
        for s, (r, pad) in enumerate(zip(radices(n1), col_pads(n1))):
            align = f" ; align_storage j {n1 // r + pad}" if pad else ""
            out.append(f"func {prefix}{s} : compute_at {at} ; reorder_storage {col_storage}{align} ; "
                       f"split j into jo, jt by {COL_THREADS} tail GuardWithIf ; "
                       f"reorder ln, p, jo, r0, jt ; gpu_threads r0, jt ; unroll p")
            out.append(IN_REGS.format(f"{prefix}{s}"))

    def row_passes(prefix, at):
        for s, (r, pad) in enumerate(zip(radices(n2), row_pads(n2))):
            align = f" ; align_storage j {n2 // r + pad}" if pad else ""
            out.append(f"func {prefix}{s} : compute_at {at} ; reorder_storage ln, j, p{align} ; "
                       f"split j into jo, jt by {ROW_THREADS} tail GuardWithIf ; "
                       f"reorder ln, p, jo, jt, r0, r1 ; gpu_threads jt, r0, r1 ; unroll p")
            out.append(IN_REGS.format(f"{prefix}{s}"))

    out.append(f"func fwd_cols : compute_root ; reorder_storage ln, m2, k1, {rest_cols} ; "
               f"split m2 into m2o, m2i by {COL_TILE} tail GuardWithIf ; split k1 into k1o, k1t by {COL_THREADS} tail GuardWithIf ; "
               f"reorder ln, k1o, m2i, k1t, m2o, {rest_cols} ; gpu_blocks m2o, {rest_cols} ; gpu_threads m2i, k1t")
    col_passes("fwdc", "fwd_cols m2o")
    if mixer == "long_conv_filter":
        # spec_rows(c2, ...): the two channels' spectra (re, im each), c2 innermost in memory, so that
        # kf_spec's gather reads one sector per channel pair.
        out.append(f"func spec_rows : compute_root ; split pi into pio, pit by {PAIR_TILE} tail GuardWithIf ; "
                   f"split k2 into k2o, k2t by {ROW_THREADS} tail GuardWithIf ; reorder c2, ln, k2o, k2t, pit, which, pio, g ; "
                   f"gpu_blocks pio, g ; gpu_threads k2t, pit, which ; unroll c2")
        row_passes("fwdr", "spec_rows pio")
        # kf_spec gathers one value per output from spec_rows (scattered reads along d). Tiles of
        # 64 d x 4 k, measured when it still gathered the pair's four values and split them itself:
        # 1.836 vs 1.853 ms (32 x 8) at B8_D768_T8192 (16 x 16, 8 x 32: 1.841, 1.854; call D).
        out.append("func kf_spec : bound c min 0 extent 2 ; gpu_tile d, k into dO, ko, di, ki by 64, 4 tail GuardWithIf")
        return out
    # The filter's spectrum transposed into the rows' order (spec_t, one kernel): spec_half reads
    # kf_spec along d into shared memory (padded to 33: conflict-free reads along k2), tiles of
    # 32 k2 x 32 d, four d per thread (8 d per block: 125 us at B8_D768_T8192; these: 39 us, call C).
    out.append("func spec_t : compute_root ; split k2 into k2o, k2i by 32 tail GuardWithIf ; split d into dO, di by 32 tail GuardWithIf ; "
               "split di into dv, dt by 8 ; reorder k2i, dt, dv, k2o, dO, pi ; gpu_blocks k2o, dO, pi ; gpu_threads k2i, dt ; unroll dv")
    out.append("func spec_half : compute_at spec_t k2o ; align_storage d 33 ; split k2 into k2v, k2t by 8 tail GuardWithIf ; "
               "reorder d, k2t, k2v ; gpu_threads d, k2t ; unroll k2v")
    # Rows: the batch is the fastest block index, so that the blocks of one channel pair's row
    # pairs in all batches run together and share spec_t through L2.
    out.append(f"func inv_mid : compute_root ; split pi into pio, pit by {PAIR_TILE} tail GuardWithIf ; "
               f"split m2 into m2o, m2t by {ROW_THREADS} tail GuardWithIf ; reorder ln, m2o, m2t, pit, which, r1, pio, r0 ; "
               f"gpu_blocks r1, pio, r0 ; gpu_threads m2t, pit, which")
    row_passes("fwdr", "inv_mid r1")
    out.append(f"func prod : compute_at inv_mid r1 ; split k2 into k2o, k2t by {ROW_THREADS} tail GuardWithIf ; "
               f"reorder ln, k2o, k2t, pi, which, g, b ; gpu_threads k2t, pi, which")
    row_passes("invr", "inv_mid r1")
    # res(c, ...): c = 0 the real, 1 the imaginary results, stored apart (c outside m1), so that y
    # reads only its channel's half.
    out.append(f"func res : compute_root ; reorder_storage ln, m2, m1, c, g, b ; "
               f"split m2 into m2o, m2i by {COL_TILE} tail GuardWithIf ; split m1 into m1o, m1t by {COL_THREADS} tail GuardWithIf ; "
               f"reorder c, ln, m1o, m2i, m1t, m2o, g, b ; gpu_blocks m2o, g, b ; gpu_threads m2i, m1t ; unroll c")
    col_passes("invc", "res m2o")
    # y: four t per thread, 128 apart (coalesced per load; 316 -> 275 us at B8_D768_T8192, call C).
    out.append("func y : fuse d, b into db ; split t into to, ti by 512 tail GuardWithIf ; split ti into tv, tt by 128 ; "
               "reorder tt, tv, to, db ; gpu_blocks to, db ; gpu_threads tt ; unroll tv")
    return out


def gpu_body(mixer, td, n):
    if mixer != "lmu":
        return gpu_four_step_body(mixer, n)
    out = [f"param n = {n}", f"param lanes = {GPU_LANES}", f"param jt = {GPU_JT}"]
    p = passes(n)
    out.append("# One block per (group of `lanes` channel pairs, batch); every pass of the transforms is a")
    out.append("# block-wide stage (threads over lanes x butterflies) in global memory (store_in Heap: a")
    out.append("# group's transform does not fit 48 KB of shared memory).")
    if mixer == "long_conv":
        out.append("func y : split d into g, dl by 2 * lanes tail GuardWithIf ; split t into to, tt by jt tail GuardWithIf ; reorder dl, tt, to, g, b ; fuse g, b into gb ; gpu_blocks gb ; gpu_threads dl, tt")
        at = "y gb"
        stages = ["x0"] + [f"fwd{s}" for s in range(p)] + ["prod"] + [f"inv{s}" for s in range(p)]
    elif mixer == "long_conv_filter":
        out.append("func kf_spec : split d into g, dl by 2 * lanes tail GuardWithIf ; split k into ko, kt by jt tail GuardWithIf ; reorder dl, c, kt, ko, g ; gpu_blocks g ; gpu_threads dl, kt")
        at = "kf_spec g"
        stages = ["x0"] + [f"fwd{s}" for s in range(p)]
    else:
        out.append("func m : split c into g, cl by 2 * lanes tail GuardWithIf ; split t into to, tt by jt tail GuardWithIf ; reorder cl, tt, i, to, g, b ; fuse g, b into gb ; gpu_blocks gb ; gpu_threads cl, tt")
        out.append("func free_resp : compute_at m tt")
        out.append("func final_state : gpu_tile c, b into co, bo, ci, bi by 32, 1 tail GuardWithIf")
        out.append("func last : compute_at final_state ci")
        at = "m gb"
        stages = ["x0"] + [f"fwd{s}" for s in range(p)] + ["prod"] + [f"inv{s}" for s in range(p)]
    out.append("func twiddle : compute_root ; gpu_tile m into mo, mi by 64 tail GuardWithIf")
    for s in stages:
        j = "k" if s in ("x0", "prod") else "j"
        line = f"func {s} : compute_at {at} ; store_in Heap ; split {j} into {j}o, {j}t by jt tail GuardWithIf ; gpu_threads ln, {j}t"
        if s not in ("x0", "prod"):
            line += " ; unroll p"
        out.append(line)
    return out


def main():
    for mixer in ["long_conv", "long_conv_filter", "lmu"]:
        prev = 0
        for n in LENGTHS:
            for td in CPU + (GPU if n <= GPU_MAX_N else []):
                path = os.path.join("schedules", td, f"{mixer}@fft{n}.sched")
                if os.path.exists(path) and MARK not in open(path).read():
                    continue
                body = cpu_body(mixer, td, n) if td in CPU else gpu_body(mixer, td, n)
                with open(path, "w") as f:
                    f.write("\n".join(header(mixer, td, n, prev) + body) + "\n")
            prev = n


if __name__ == "__main__":
    main()
