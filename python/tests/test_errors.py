"""Every kind of validation error the runtime raises arrives as seqmix.Error (a ValueError) with the
C++ message, for every op; bad Python-side arguments too."""
import numpy as np
import pytest

import seqmix
from cases import CASES, SHAPES

OPS = sorted(CASES)


def case(name):
    return CASES[name](SHAPES["T37_odd"], np.random.default_rng(11))


def call(name, args, kwargs):
    return getattr(seqmix, name)(*args, **kwargs)


def test_error_types():
    assert issubclass(seqmix.Error, ValueError)
    assert issubclass(seqmix.KernelError, seqmix.Error) and issubclass(seqmix.KernelError, RuntimeError)


def _wrong_dtype(args):
    args[0] = args[0].astype(np.float64)
    return r"seqmix::{name}: \w+ has dtype f64, expected f32"


def _wrong_rank(args):
    args[0] = args[0][..., None]
    return r"seqmix::{name}: \w+ has rank"


def _mismatched_shape(args):
    # One more row in the second input's first dimension (batch, or the channels of a weight).
    if len(args) < 2 or not isinstance(args[1], np.ndarray):
        pytest.skip("one input array: no second shape to mismatch (test_bad_shape_new_ops)")
    args[1] = np.ascontiguousarray(np.concatenate([args[1], args[1][:1]], axis=0))
    return r"seqmix::{name}: .* has shape"


def _last_dim_not_contiguous(args):
    args[0] = np.repeat(args[0], 2, axis=-1)[..., ::2]  # same values, stride 2 in the last dimension
    return r"stride 2 in its last dimension, expected 1"


def _negative_stride(args):
    a = args[0]
    if a.ndim >= 2 and a.shape[0] < 2:
        a = np.ascontiguousarray(np.concatenate([a, a], axis=0))
    args[0] = a[::-1]
    return r"seqmix::{name}: "


BREAKS = [_wrong_dtype, _wrong_rank, _mismatched_shape, _last_dim_not_contiguous, _negative_stride]


@pytest.mark.parametrize("breaks", BREAKS, ids=lambda f: f.__name__[1:])
@pytest.mark.parametrize("name", OPS)
def test_bad_input(name, breaks):
    args, kwargs, _ = case(name)
    pattern = breaks(args).format(name=name)
    with pytest.raises(seqmix.Error, match=pattern):
        call(name, args, kwargs)


@pytest.mark.parametrize("name", OPS)
def test_output_overlapping_input(name):
    args, kwargs, expected = case(name)
    if any(p.kind == "inout" for p in seqmix._ops.SPECS[name].outputs):
        pytest.skip("updated in place: no out= (test_bad_shape_new_ops)")
    out = tuple(np.zeros(e.shape, np.float32) for e in expected)
    first_out_like_input = next(
        (a for a in args if isinstance(a, np.ndarray) and a.shape == expected[0].shape and a.dtype == np.float32), None
    )
    if first_out_like_input is None:
        pytest.skip("no input of the output's shape")
    with pytest.raises(seqmix.Error, match="overlap"):
        call(name, args, dict(kwargs, out=(first_out_like_input,) + out[1:]))


def test_wrong_output_shape():
    args, kwargs, expected = case("gla")
    with pytest.raises(seqmix.Error, match=r"seqmix::gla: o has shape"):
        seqmix.gla(*args, out=np.zeros((1, 2, 3, 4), np.float32), **kwargs)


def test_python_side_errors():
    args, kwargs, _ = case("causal_conv1d")
    with pytest.raises(seqmix.Error, match="activation must be"):
        seqmix.causal_conv1d(*args, **dict(kwargs, activation="relu"))
    with pytest.raises(seqmix.Error, match="not an array"):
        seqmix.gla([1.0], [1.0], [1.0], [1.0])
    with pytest.raises(seqmix.Error, match="out= has 3 arrays"):
        args, kwargs, _ = case("gla")
        seqmix.gla(*args, out=(None, None, None), **kwargs)
    with pytest.raises(TypeError):
        seqmix.gla(*args[:3])  # missing g
    with pytest.raises(TypeError):
        seqmix.gla(*args, no_such_option=1)
