"""Peers for issue 9's structured and dense token mixing (imported by gpu_peers.py): cuBLAS sgemm
through torch.matmul (TF32 off) for token_mix, and the Monarch product as two batched einsums (the
blockdiag_matmul form of M2's code) for monarch / monarch_seq. Row names follow seqmix-bench's
(bench/counts.h: B{B}_T{T}_C{C}); each peer is checked against a float64 computation on a subset.
seqmix-bench attaches peers by (mixer, shape): both token_mix rows (full, causal) list both peers.
"""
import json
import math
import traceback

from gpu_peers_common import graph_time, log, rel_rms

# The CUDA shapes of bench/rows_mixing.cpp.
TOKEN_MIX = (16, 2048, 1024)
MONARCH = (16, 2048, 1024)       # channel axis, m = 32
MONARCH_SEQ = (16, 4096, 256)    # sequence axis, m = 64


def _finish(rows, save, row):
    rows.append(row)
    save()
    log(json.dumps({k: row.get(k) for k in ("peer", "mixer", "shape", "ms", "gflops", "error") if k in row}))


def run_token_mix(torch, args, rows, save):
    B, T, C = (1, 256, 128) if args.quick else TOKEN_MIX
    for causal in (False, True):
        row = {"peer": "torch_tril_matmul" if causal else "torch_matmul", "mixer": "token_mix",
               "form": "causal" if causal else "full", "shape": f"B{B}_T{T}_C{C}", "dtype": "float32",
               "flops": (T * (T + 1) if causal else 2.0 * T * T) * B * C}
        try:
            prev = torch.backends.cuda.matmul.allow_tf32
            torch.backends.cuda.matmul.allow_tf32 = False
            gen = torch.Generator(device="cuda").manual_seed(9)
            x = torch.randn(B, T, C, device="cuda", generator=gen)
            W = torch.randn(T, T, device="cuda", generator=gen) / math.sqrt(T)
            if causal:
                W = torch.tril(W)
            out = torch.empty(B, T, C, device="cuda")

            def call(i):
                torch.matmul(W, x, out=out)
            ms, stats = graph_time(torch, call, calls=args.calls, replays=args.replays)
            call(0)
            torch.cuda.synchronize()
            want = W.double() @ x[0, :, :8].double()
            row.update(ms=ms, stats=stats, gflops=row["flops"] / (ms * 1e-3) / 1e9,
                       check={"rel_rms": rel_rms(out[0, :, :8], want), "subset": "b=0, channels 0..7"},
                       note="torch.matmul(W, x) (cuBLAS sgemm, allow_tf32 False)"
                            + ("; W = tril(W), a dense GEMM: cuBLAS skips nothing" if causal else ""))
            torch.backends.cuda.matmul.allow_tf32 = prev
            del x, W, out
        except Exception as e:  # noqa: BLE001 - one peer failing must not stop the others
            row["error"] = f"{type(e).__name__}: {e}"
            row["traceback"] = traceback.format_exc(limit=3)
        _finish(rows, save, row)


def run_monarch(torch, args, rows, save):
    for seq in (False, True):
        B, T, C = ((1, 256, 64) if seq else (1, 64, 256)) if args.quick else (MONARCH_SEQ if seq else MONARCH)
        n = T if seq else C
        m = math.isqrt(n - 1) + 1 if n > 1 else 1
        row = {"peer": "torch_einsum", "mixer": "monarch_seq" if seq else "monarch", "form": "sequence" if seq else "channel",
               "shape": f"B{B}_T{T}_C{C}", "dtype": "float32", "flops": 4.0 * m ** 3 * B * (C if seq else T)}
        try:
            prev = torch.backends.cuda.matmul.allow_tf32
            torch.backends.cuda.matmul.allow_tf32 = False
            gen = torch.Generator(device="cuda").manual_seed(10)
            x = torch.randn(B, T, C, device="cuda", generator=gen)
            L = torch.randn(m, m, m, device="cuda", generator=gen) / math.sqrt(m)
            R = torch.randn(m, m, m, device="cuda", generator=gen) / math.sqrt(m)
            out = torch.empty(B, T, C, device="cuda")

            def monarch(xs):
                # xs [lines, n] -> [lines, n]: u[k][i] = R[k,i,:] . x[k*m:], z[l][i] = L[i,l,:] . u[:, i]
                lines = xs.shape[0]
                xp = torch.nn.functional.pad(xs, (0, m * m - n)).view(lines, m, m)
                u = torch.einsum("kij,nkj->nki", R, xp)
                z = torch.einsum("ilk,nki->nli", L, u)
                return z.reshape(lines, m * m)[:, :n]

            def call(i):
                if seq:
                    out.copy_(monarch(x.transpose(1, 2).reshape(B * C, T)).view(B, C, T).transpose(1, 2))
                else:
                    out.copy_(monarch(x.view(B * T, C)).view(B, T, C))
            ms, stats = graph_time(torch, call, calls=args.calls, replays=args.replays)
            call(0)
            torch.cuda.synchronize()
            # float64 check on 4 lines through the dense matrix built from the same factors.
            eye = torch.eye(n, device="cuda", dtype=torch.float64)
            Ld, Rd = L.double(), R.double()
            xp = torch.nn.functional.pad(eye, (0, m * m - n)).view(n, m, m)
            M = torch.einsum("ilk,nki->nli", Ld, torch.einsum("kij,nkj->nki", Rd, xp)).reshape(n, m * m)[:, :n]
            if seq:
                got, xs = out[0, :, :4].T, x[0, :, :4].T
            else:
                got, xs = out[0, :4], x[0, :4]
            want = xs.double() @ M
            row.update(ms=ms, stats=stats, gflops=row["flops"] / (ms * 1e-3) / 1e9,
                       check={"rel_rms": rel_rms(got, want), "subset": "b=0, 4 lines"},
                       note="two torch.einsum batched products over the padded blocks (M2's blockdiag_matmul form), "
                            "allow_tf32 False" + ("; x transposed to [B,C,T] and back" if seq else ""))
            torch.backends.cuda.matmul.allow_tf32 = prev
            del x, L, R, out
        except Exception as e:  # noqa: BLE001
            row["error"] = f"{type(e).__name__}: {e}"
            row["traceback"] = traceback.format_exc(limit=3)
        _finish(rows, save, row)


def run(torch, args, rows, save=lambda: None):
    run_token_mix(torch, args, rows, save)
    run_monarch(torch, args, rows, save)
