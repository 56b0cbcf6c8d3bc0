"""On the GPU host: seqmix's Python ops vs fla on identical CUDA inputs, and first-call latency.

    python3 python/bench/gpu_compare.py OUT.json [--first-call-only]

1. Outputs: for gla and every linear-recurrence mixer fla has (bench/peers/linear_recurrence_peers.py
   draws the inputs and wraps fla's calls), seqmix.<mixer> and fla's chunked op on the same
   tensors (with an initial state, returning the final state); the relative RMS difference of o
   and of the final state. fla's fp32 path runs tl.dot as TF32 on Hopper: expect ~1e-3, not 1e-6.
2. First call: in fresh child processes (torch imported and the CUDA context made before the
   clock starts), the first seqmix.gla call (Halide's CUDA module load + the driver's PTX JIT;
   the driver's JIT cache disabled: CUDA_CACHE_DISABLE=1) vs fla's first chunk_gla call (Triton
   compile + autotune, an empty TRITON_CACHE_DIR), each followed by a synchronize; then both
   again with warm caches. Issue 10's target: seqmix < 1 s.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "bench", "peers"), os.path.join(ROOT, ".peers")]

SEQMIX_ARGS = {
    "gla": ("q", "k", "v", "g"),
    "linear_attn": ("q", "k", "v"),
    "retention": ("q", "k", "v"),
    "simple_gla": ("q", "k", "v", "g"),
    "delta_rule": ("q", "k", "v", "beta"),
    "gated_delta_rule": ("q", "k", "v", "g", "beta"),
    "kda": ("q", "k", "v", "g", "beta"),
    "gated_delta_rule2": ("q", "k", "v", "g", "b", "w"),
    "rwkv7": ("r", "w", "k", "v", "a", "b"),
}


def rel_rms(a, b):
    a, b = a.double(), b.double()
    return float(((a - b).pow(2).mean() / b.pow(2).mean().clamp_min(1e-300)).sqrt())


def compare(torch, rows):
    import seqmix
    import linear_recurrence_peers as lrp

    B, T, H, K, V = 2, 1000, 4, 64, 64
    for mixer, names in SEQMIX_ARGS.items():
        row = {"mixer": mixer, "shape": f"B{B}_T{T}_H{H}_K{K}_V{V}"}
        try:
            if mixer == "gla":
                from fla.ops.gla import chunk_gla

                import torch.nn.functional as F

                gen = torch.Generator(device="cuda").manual_seed(5)
                x = {n: torch.randn(B, T, H, V if n == "v" else K, device="cuda", generator=gen) for n in names}
                x["g"] = F.logsigmoid(x["g"]) / 16
                fla_name = "chunk_gla"
                fla = lambda x, sc, h0, fs: chunk_gla(  # noqa: E731
                    x["q"], x["k"], x["v"], x["g"], scale=sc, initial_state=h0, output_final_state=fs)
            else:
                x = lrp.make_inputs(torch, mixer, B, T, H, K, V, seed=5)
                chunk_name, chunk, recurrent_name, recurrent = lrp.fla_ops(mixer)
                # fla has no fp32 chunked DeltaNet: its token-by-token kernel is the fp32 peer.
                recurrent_only = mixer in lrp.RECURRENT_AT_CHUNKED_SHAPE
                fla_name, fla = (recurrent_name, recurrent) if recurrent_only else (chunk_name, chunk)
            scale = lrp.default_scale(mixer, K)
            h0 = torch.randn(B, H, K, V, device="cuda") * 0.1
            o_fla, s_fla = fla(x, scale, h0.clone(), True)
            o_sm, s_sm = getattr(seqmix, mixer)(*(x[n] for n in names), initial_state=h0, output_final_state=True,
                                                scale=scale)
            torch.cuda.synchronize()
            row.update(peer="fla." + fla_name, variant=seqmix.last_variant(), rel_rms_o=rel_rms(o_sm, o_fla),
                       rel_rms_final_state=rel_rms(s_sm, s_fla.float()))
        except Exception as e:  # noqa: BLE001 - one failing peer must not stop the others
            row["error"] = f"{type(e).__name__}: {e}"
        print(json.dumps(row), flush=True)
        rows.append(row)


FIRST_CALL = r"""
import json, os, sys, time
sys.path[:0] = [os.path.join(ROOT, ".peers")]
import torch
torch.zeros(1, device="cuda"); torch.cuda.synchronize()  # the CUDA context exists before the clock
B, T, H, K, V = 1, 4096, 8, 64, 64
q, k, v = (torch.randn(B, T, H, K, device="cuda") for _ in range(3))
g = torch.nn.functional.logsigmoid(torch.randn(B, T, H, K, device="cuda")) / 16
t0 = time.perf_counter()
if WHO == "seqmix":
    import seqmix
    t1 = time.perf_counter()
    call = lambda: seqmix.gla(q, k, v, g)
else:
    from fla.ops.gla import chunk_gla
    t1 = time.perf_counter()
    call = lambda: chunk_gla(q, k, v, g, scale=K ** -0.5)
call(); torch.cuda.synchronize()
t2 = time.perf_counter()
call(); torch.cuda.synchronize()
t3 = time.perf_counter()
print(json.dumps({"who": WHO, "import_s": t1 - t0, "first_call_s": t2 - t1, "second_call_s": t3 - t2}))
"""


def first_call(rows):
    for cache in ("cold", "warm"):
        tmp = tempfile.mkdtemp(prefix="seqmix-first-call-")
        for who in ("seqmix", "fla"):
            env = dict(os.environ)
            if cache == "cold":
                env.update(CUDA_CACHE_DISABLE="1", TRITON_CACHE_DIR=os.path.join(tmp, "triton"))
            code = f"ROOT = {ROOT!r}\nWHO = {who!r}\n" + FIRST_CALL
            start = time.perf_counter()
            p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
            row = {"what": "first_call", "cache": cache, "who": who, "process_s": time.perf_counter() - start}
            try:
                row.update(json.loads(p.stdout.strip().splitlines()[-1]))
            except Exception:  # noqa: BLE001
                row["error"] = (p.stdout + p.stderr)[-2000:]
            print(json.dumps(row), flush=True)
            rows.append(row)


def main():
    import torch

    out = sys.argv[1] if len(sys.argv) > 1 else "gpu_compare.json"
    rows = []
    first_call(rows)
    if "--first-call-only" not in sys.argv:
        compare(torch, rows)
    report = {"tool": "python/bench/gpu_compare.py", "device": torch.cuda.get_device_name(0),
              "torch": torch.__version__, "rows": rows}
    with open(out, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
