#!/usr/bin/env python3
"""Writes the FFT-form schedule files of long_conv, long_conv_filter and lmu for every target
directory: one bucket per FFT length n (powers of two and 3 * 2^k), `<mixer>@fft<n>.sched`.

The files differ only in n, the bucket condition and the list of radix passes (fwd0.., inv0..,
one Func per pass: generators/common/fft.h), so they are written from one template per
(mixer, CPU|CUDA) here rather than by hand. Edit this script, run it from the repository root
(`python3 schedules/tools/fft_schedules.py`), commit its output. Hand-tuned files (without the
marker line below) are left alone.
"""
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


def passes(n):
    r, rest = [], n
    if rest % 3 == 0:
        r.append(3)
        rest //= 3
    while rest % 4 == 0:
        r.append(4)
        rest //= 4
    if rest == 2:
        r.append(2)
    return len(r)


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


def gpu_body(mixer, td, n):
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
