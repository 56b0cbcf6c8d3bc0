"""PyTorch: every op on torch tensors (CPU, and CUDA where a GPU is visible) vs the float64 references,
strided tensors, the current CUDA stream, the torch.library custom ops (opcheck: schema, fake
implementation) and a torch.compile'd module calling seqmix. Skipped where torch is not installed
(this repo's CI machine); the GPU host runs it (scripts/gpu_python.sh)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import seqmix  # noqa: E402
from cases import CASES, SHAPES  # noqa: E402
from test_ops import assert_close, call_with_outputs, results, strided  # noqa: E402

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
OPS = sorted(CASES)


def to_torch(x, device):
    if isinstance(x, np.ndarray):
        return torch.from_numpy(np.ascontiguousarray(x)).to(device)
    return x


def numpy(x):
    return x.detach().cpu().numpy()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("name", OPS)
def test_op_vs_float64_reference(name, shape, device):
    args, kwargs, expected = CASES[name](SHAPES[shape], np.random.default_rng(hash((name, shape)) % 2**32))
    args = [to_torch(a, device) for a in args]
    kwargs = {k: to_torch(v, device) for k, v in kwargs.items()}
    got = results(getattr(seqmix, name)(*args, **kwargs))
    assert len(got) == len(expected)
    for i, (a, e) in enumerate(zip(got, expected)):
        assert isinstance(a, torch.Tensor) and a.device.type == device and a.dtype == torch.float32
        assert_close(numpy(a), e, f"{name}[{i}] {device} ({seqmix.last_variant()})")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", OPS)
def test_strided_and_out(name, device):
    args, kwargs, expected = CASES[name](SHAPES["T37_odd"], np.random.default_rng(7))

    def tstrided(x):
        if not isinstance(x, np.ndarray) or x.ndim < 2 or x.dtype != np.float32:
            return to_torch(x, device)
        wide = torch.zeros(x.shape[:-1] + (x.shape[-1] + 3,), device=device)
        wide[..., 1 : 1 + x.shape[-1]] = torch.from_numpy(x).to(device)
        return wide[..., 1 : 1 + x.shape[-1]]

    args = [tstrided(a) for a in args]
    kwargs = {k: tstrided(v) for k, v in kwargs.items()}
    outs, got = call_with_outputs(name, args, kwargs, [tstrided(np.zeros(e.shape, np.float32)) for e in expected])
    for i, (a, o, e) in enumerate(zip(got, outs, expected)):
        assert a is o
        assert_close(numpy(a), e, f"{name}[{i}] strided {device}")


@pytest.mark.parametrize("device", DEVICES)
def test_errors_surface(device):
    args, kwargs, _ = CASES["gla"](SHAPES["T37_odd"], np.random.default_rng(1))
    args = [to_torch(a, device) for a in args]
    args[0] = args[0].double()
    with pytest.raises(seqmix.Error, match="q has dtype f64, expected f32"):
        seqmix.gla(*args)
    args[0] = args[0].float().transpose(-1, -2).contiguous().transpose(-1, -2)
    with pytest.raises(seqmix.Error, match="in its last dimension, expected 1"):
        seqmix.gla(*args)
    if device == "cuda":
        args = [to_torch(a, "cpu") for a in CASES["gla"](SHAPES["T1"], np.random.default_rng(1))[0]]
        args[1] = args[1].cuda()
        with pytest.raises(seqmix.Error, match="is on"):
            seqmix.gla(*args)


@pytest.mark.skipif("cuda" not in DEVICES, reason="no CUDA device")
def test_current_stream():
    args, kwargs, expected = CASES["gla"](SHAPES["T70"], np.random.default_rng(2))
    side = torch.cuda.Stream()
    with torch.cuda.stream(side):
        targs = [to_torch(a, "cuda") for a in args]
        tkw = {k: to_torch(v, "cuda") for k, v in kwargs.items()}
        o, s = seqmix.gla(*targs, **tkw)  # enqueued on `side`, after the copies above
        o2 = o * 1.0  # reads o on the same stream: correct without a sync
    side.synchronize()
    assert_close(numpy(o2), expected[0], "gla on a side stream")


@pytest.mark.parametrize("name", ["gla", "gla_step", "attention", "ssd", "causal_conv1d", "selective_scan", "gla_inter",
                                  "monarch", "long_conv", "lmu", "lstm", "pararnn"])
def test_opcheck(name):
    """torch.library.opcheck: schema, fake implementation and dispatch agree with the real op."""
    args, kwargs, _ = CASES[name](SHAPES["T37_odd"], np.random.default_rng(3))
    spec = seqmix._ops.SPECS[name]
    device = DEVICES[-1]
    inputs = [to_torch(a, device) for a in args]
    optional = [to_torch(kwargs.get(p.name), device) for p in spec.optional_inputs]
    flags = [bool(kwargs.get(f, False)) for f in spec.flags]
    fields = [kwargs.get(f, d) for f, d in zip(spec.fields, spec.field_defaults)]
    torch.library.opcheck(getattr(torch.ops.seqmix, name).default, (*inputs, *optional, *flags, *fields, ""))


class GlaMixer(torch.nn.Module):
    """The README's example: seqmix.gla for prefill, seqmix.gla_step for decode."""

    def __init__(self, d_model, heads, head_k, head_v):
        super().__init__()
        self.h, self.dk, self.dv = heads, head_k, head_v
        self.qkg = torch.nn.Linear(d_model, heads * head_k * 3, bias=False)
        self.v = torch.nn.Linear(d_model, heads * head_v, bias=False)
        self.o = torch.nn.Linear(heads * head_v, d_model, bias=False)

    def project(self, x):
        q, k, g = self.qkg(x).unflatten(-1, (3, self.h, self.dk)).unbind(-3)
        return q, k, torch.nn.functional.logsigmoid(g) / 16, self.v(x).unflatten(-1, (self.h, self.dv))

    def forward(self, x):  # prefill: x [B,T,d_model] -> y, state [B,H,K,V]
        q, k, g, v = self.project(x)
        o, state = seqmix.gla(q.contiguous(), k.contiguous(), v.contiguous(), g.contiguous(), output_final_state=True)
        return self.o(o.flatten(-2)), state

    def step(self, x, state):  # decode: x [B,d_model]
        q, k, g, v = self.project(x)
        o, state = seqmix.gla_step(q.contiguous(), k.contiguous(), v.contiguous(), g.contiguous(), state)
        return self.o(o.flatten(-2)), state


@pytest.mark.parametrize("device", DEVICES)
def test_compiled_module(device):
    torch.manual_seed(0)
    model = GlaMixer(48, 3, 16, 8).to(device)
    x = torch.randn(2, 37, 48, device=device)
    with torch.no_grad():
        y, state = model(x)
        compiled = torch.compile(model, fullgraph=True)
        yc, statec = compiled(x)
        torch.testing.assert_close(yc, y, rtol=1e-4, atol=1e-4)
        torch.testing.assert_close(statec, state, rtol=1e-4, atol=1e-4)
        # decode continues the prefill exactly: step over token 37 == prefill over 38 tokens
        x1 = torch.randn(2, 48, device=device)
        y1, _ = torch.compile(model.step, fullgraph=True)(x1, state)
        y38, _ = model(torch.cat([x, x1[:, None]], 1))
        torch.testing.assert_close(y1, y38[:, -1], rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("device", DEVICES)
def test_no_leak_torch(device):
    """10,000 calls through the custom op: host RSS and the device's allocated memory are stable."""
    from test_leak import rss_kib

    args = [to_torch(a, device) for a in CASES["gla_step"](SHAPES["T37_odd"], np.random.default_rng(4))[0]]
    for _ in range(1000):
        seqmix.gla_step(*args)
    before, device_before = rss_kib(), torch.cuda.memory_allocated() if device == "cuda" else 0
    for _ in range(10000):
        seqmix.gla_step(*args)
    if device == "cuda":
        torch.cuda.synchronize()
        assert torch.cuda.memory_allocated() == device_before
    assert rss_kib() - before < 4096


def test_inputs_that_require_grad():
    """Eager calls on tensors that require grad work (forward only: no backward formula yet)."""
    args, kwargs, expected = CASES["gla"](SHAPES["T37_odd"], np.random.default_rng(6))
    args = [to_torch(a, DEVICES[-1]).requires_grad_() for a in args]
    kwargs = {k: to_torch(v, DEVICES[-1]) for k, v in kwargs.items()}
    o, s = seqmix.gla(*args, **kwargs)
    assert_close(numpy(o), expected[0], "gla with requires_grad inputs")
