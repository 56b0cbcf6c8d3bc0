"""Arrays that speak only DLPack (dlpack_only.py: JAX's path), and JAX and CuPy themselves where
installed (the GPU host): ops vs the float64 references, outputs returned in the caller's framework."""
import numpy as np
import pytest

import dlpack_only
import seqmix
from cases import CASES, SHAPES
from test_ops import assert_close, results, strided

NAMES = ["gla", "gla_step", "ssd", "causal_conv1d", "decode_attention"]


@pytest.mark.parametrize("name", NAMES)
def test_dlpack_only_arrays(name):
    args, kwargs, expected = CASES[name](SHAPES["T37_odd"], np.random.default_rng(9))
    wrap = lambda x: dlpack_only.Array(strided(x)) if isinstance(x, np.ndarray) else x  # noqa: E731
    got = results(getattr(seqmix, name)(*[wrap(a) for a in args], **{k: wrap(v) for k, v in kwargs.items()}))
    for i, (a, e) in enumerate(zip(got, expected)):
        assert isinstance(a, dlpack_only.Array)
        assert_close(a.data, e, f"{name}[{i}] via DLPack")


def test_dlpack_only_error():
    args, _, _ = CASES["gla"](SHAPES["T1"], np.random.default_rng(9))
    args = [dlpack_only.Array(a) for a in args]
    args[2] = dlpack_only.Array(args[2].data.astype(np.float64))
    with pytest.raises(seqmix.Error, match="v has dtype f64"):
        seqmix.gla(*args)


def _jax_devices():
    jax = pytest.importorskip("jax")
    devices = ["cpu"]
    try:
        if jax.devices("gpu"):
            devices.append("gpu")
    except RuntimeError:
        pass
    return jax, devices


@pytest.mark.parametrize("name", NAMES)
def test_jax(name):
    jax, devices = _jax_devices()
    args, kwargs, expected = CASES[name](SHAPES["T37_odd"], np.random.default_rng(10))
    for device in devices:
        dev = jax.devices(device)[0]
        put = lambda x: jax.device_put(x, dev) if isinstance(x, np.ndarray) else x  # noqa: E731
        got = results(getattr(seqmix, name)(*[put(a) for a in args], **{k: put(v) for k, v in kwargs.items()}))
        for i, (a, e) in enumerate(zip(got, expected)):
            assert isinstance(a, jax.Array) and a.devices() == {dev}
            assert_close(np.asarray(a), e, f"{name}[{i}] jax {device}")


@pytest.mark.parametrize("name", NAMES)
def test_cupy(name):
    """CuPy arrays on the GPU: outputs allocated as CuPy arrays on that device, the work on CuPy's
    current stream (a side stream here: reading the outputs on it needs no synchronisation)."""
    cupy = pytest.importorskip("cupy")
    if not seqmix.cuda_available():
        pytest.skip("seqmix built without CUDA or no GPU")
    args, kwargs, expected = CASES[name](SHAPES["T37_odd"], np.random.default_rng(11))
    side = cupy.cuda.Stream(non_blocking=True)
    with side:
        put = lambda x: cupy.asarray(x) if isinstance(x, np.ndarray) else x  # noqa: E731
        got = results(getattr(seqmix, name)(*[put(a) for a in args], **{k: put(v) for k, v in kwargs.items()}))
        copies = [a * 1.0 for a in got]  # on `side`, after the kernel
    side.synchronize()
    for i, (a, c, e) in enumerate(zip(got, copies, expected)):
        assert isinstance(a, cupy.ndarray) and a.device.id == 0
        assert_close(cupy.asnumpy(c), e, f"{name}[{i}] cupy")


def test_seqmix_owned_memory():
    """The outputs of DLPack-only frameworks: seqmix-owned memory as an object of the DLPack
    protocol (JAX 0.11's from_dlpack takes nothing else), exported more than once (the binding's
    own import of an output consumes one capsule, the framework's another)."""
    a = seqmix._seqmix._empty([2, 3], False, 0)
    assert tuple(a.__dlpack_device__()) == (1, 0)  # kDLCPU
    x, y = np.from_dlpack(a), np.from_dlpack(a)
    x[...] = 7
    assert x.shape == (2, 3) and x.dtype == np.float32 and (y == 7).all()  # one memory
    if not seqmix.cuda_available():
        with pytest.raises(seqmix.Error, match="CUDA|cuda"):
            seqmix._seqmix._empty([2, 3], True, 0)
        return
    assert tuple(seqmix._seqmix._empty([2, 3], True, 0).__dlpack_device__()) == (2, 0)  # kDLCUDA


class _ProtocolOnly:
    """from_dlpack as JAX 0.11 has it: an object with __dlpack__ and __dlpack_device__, nothing else."""

    @staticmethod
    def from_dlpack(x):
        if not hasattr(x, "__dlpack__") or not hasattr(x, "__dlpack_device__"):
            raise TypeError("The array passed to from_dlpack must have __dlpack__ and __dlpack_device__ methods.")
        return dlpack_only.Array(np.from_dlpack(x))


class _CapsuleOnly:
    """from_dlpack as older frameworks had it: a DLPack capsule, nothing else."""

    @staticmethod
    def from_dlpack(x):
        if type(x).__name__ != "PyCapsule":
            raise TypeError("expected a DLPack capsule")

        class Legacy:  # numpy imports a capsule through the protocol: hand this one over once
            def __dlpack__(self, **kwargs):
                return x

            def __dlpack_device__(self):
                return (1, 0)

        return dlpack_only.Array(np.from_dlpack(Legacy()))


@pytest.mark.parametrize("framework", [_ProtocolOnly, _CapsuleOnly], ids=["protocol_only", "capsule_only"])
def test_dlpack_import_of_outputs(framework):
    """seqmix-owned outputs reach a framework's from_dlpack whichever of the two it takes."""
    a = seqmix._seqmix._empty([4, 5], False, 0)
    np.from_dlpack(a)[...] = np.arange(20, dtype=np.float32).reshape(4, 5)
    got = seqmix._ops.dlpack_import(framework.from_dlpack, a)
    assert isinstance(got, dlpack_only.Array)
    np.testing.assert_array_equal(got.data, np.arange(20, dtype=np.float32).reshape(4, 5))


def test_dlpack_framework_outputs_through_the_binding():
    """The whole DLPack-framework path with a protocol-only from_dlpack (JAX 0.11's): outputs
    allocated by seqmix, written by the kernel, imported by the framework."""
    fw = seqmix._ops._dlpack_framework("numpy")
    fw.wrap = lambda array: seqmix._ops.dlpack_import(_ProtocolOnly.from_dlpack, array)
    args, kwargs, expected = CASES["gla"](SHAPES["T37_odd"], np.random.default_rng(12))
    spec = seqmix._ops.SPECS["gla"]
    inputs = [dlpack_only.Array(a) for a in args]
    optional = [dlpack_only.Array(kwargs["initial_state"])]
    got = seqmix._ops.execute(spec, fw, inputs, optional, (True,), (None,), None, None, None)
    for i, (a, e) in enumerate(zip(got, expected)):
        assert isinstance(a, dlpack_only.Array)
        assert_close(a.data, e, f"gla[{i}] protocol-only framework")
