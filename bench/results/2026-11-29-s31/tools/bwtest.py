import halide as hl, numpy as np, time
N = 64*8*64*64  # floats per state buffer (B64 H8 K64 V64): 8 MiB... use ssd: 128*64
N = 64*8*64*128
sets = 8
ins = [np.random.rand(N).astype(np.float32).reshape(64*8, 64*128) for _ in range(sets)]
outs = [np.zeros_like(ins[0]) for _ in range(sets)]
inp = hl.ImageParam(hl.Float(32), 2, "inp")
x, b = hl.Var("x"), hl.Var("b")
f = hl.Func("f")
f[x, b] = inp[x, b] * 0.99 + 0.01
f.vectorize(x, 16).parallel(b)
t = hl.get_jit_target_from_environment()
f.compile_jit(t)
def run(i):
    inp.set(hl.Buffer(ins[i % sets]))
    f.realize(hl.Buffer(outs[i % sets]))
for i in range(sets): run(i)
ts=[]
for r in range(5):
    a=time.perf_counter()
    for i in range(sets*4): run(i)
    ts.append((time.perf_counter()-a)/(sets*4))
best=min(ts)
print(f"halide scale: {best*1e3:.3f} ms, {2*N*4/best/1e9:.1f} GB/s (read+write)")
ts=[]
for r in range(5):
    a=time.perf_counter()
    for i in range(sets*4): np.copyto(outs[i%sets], ins[i%sets])
    ts.append((time.perf_counter()-a)/(sets*4))
best=min(ts); print(f"numpy copy (1 thread): {best*1e3:.3f} ms, {2*N*4/best/1e9:.1f} GB/s")
