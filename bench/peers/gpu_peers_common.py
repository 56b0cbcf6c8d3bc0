"""What every GPU peer script shares: logging, CUDA-graph timing, the error metric, shape names."""
import time

T0 = time.time()


def log(msg):
    print(f"[{time.time() - T0:7.1f}s] {msg}")

def shape_name(B, H, K, V, T=None):
    return f"B{B}_T{T}_H{H}_K{K}_V{V}" if T is not None else f"B{B}_H{H}_K{K}_V{V}"


# ---- timing ------------------------------------------------------------------------------------
def graph_time(torch, fn, calls, replays, warmup=3):
    """Median ms per call of `fn(i)` (i = call index) over `replays` replays of one CUDA graph
    that holds `calls` calls. Returns (median_ms, stats dict)."""
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        for i in range(max(warmup, 1)):
            fn(i % calls)
    torch.cuda.current_stream().wait_stream(stream)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        for i in range(calls):
            fn(i)
    for _ in range(3):
        graph.replay()
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    per_call = []
    for _ in range(replays):
        start.record()
        graph.replay()
        stop.record()
        stop.synchronize()
        per_call.append(start.elapsed_time(stop) / calls)
    per_call.sort()
    n = len(per_call)

    def q(p):
        pos = p * (n - 1)
        i = int(pos)
        return per_call[i] if i + 1 >= n else per_call[i] * (1 - (pos - i)) + per_call[i + 1] * (pos - i)

    med = q(0.5)
    stats = {"n": n, "calls_per_graph": calls, "median_ms": med, "min_ms": per_call[0], "max_ms": per_call[-1],
             "q25_ms": q(0.25), "q75_ms": q(0.75), "spread": (q(0.75) - q(0.25)) / med if med > 0 else 0.0}
    return med, stats


def rel_rms(got, want):
    got, want = got.double(), want.double()
    return float(((got - want).norm() / want.norm().clamp_min(1e-300)).item())
