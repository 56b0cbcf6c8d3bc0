"""Arrays that speak only DLPack (dlpack_only.py: JAX's path) and JAX itself where installed (the GPU
host): ops vs the float64 references, outputs returned in the caller's framework."""
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


def test_seqmix_owned_cuda_memory():
    if not seqmix.cuda_available():
        with pytest.raises(seqmix.Error, match="CUDA|cuda"):
            seqmix._seqmix._empty_cuda([2, 3], 0)
        return
    a = seqmix._seqmix._empty_cuda([2, 3], 0)
    assert tuple(a.__dlpack_device__()) == (2, 0)
