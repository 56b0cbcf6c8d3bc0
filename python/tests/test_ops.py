"""Every exposed op vs its float64 numpy reference (references.py, from MIXERS.md) on numpy inputs at
awkward shapes, contiguous and strided; out= and the allocation rules."""
import numpy as np
import pytest

import seqmix
from cases import CASES, SHAPES

OPS = sorted(CASES)


def assert_close(actual, expected, name):
    actual = np.asarray(actual, np.float64)
    expected = np.asarray(expected, np.float64)
    assert actual.shape == expected.shape, name
    finite = np.isfinite(expected)
    assert np.array_equal(finite, np.isfinite(actual)), name
    err = np.abs(actual - expected)[finite].max(initial=0)
    bound = 2e-3 * max(1.0, np.abs(expected[finite]).max(initial=0))
    assert err <= bound, f"{name}: max |err| {err:.3g} > {bound:.3g}"


def results(r):
    """The arrays an op returned (pararnn's ParaRnnInfo left out: test_forms.py checks it)."""
    return tuple(x for x in (r if isinstance(r, tuple) else (r,)) if not isinstance(x, seqmix.ParaRnnInfo))


def test_every_op_has_a_case():
    assert set(CASES) == set(seqmix._ops.OPS), "an exposed op without a reference case (tests/cases.py)"


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("name", OPS)
def test_op_vs_float64_reference(name, shape):
    args, kwargs, expected = CASES[name](SHAPES[shape], np.random.default_rng(hash((name, shape)) % 2**32))
    got = results(getattr(seqmix, name)(*args, **kwargs))
    assert len(got) == len(expected)
    for i, (a, e) in enumerate(zip(got, expected)):
        assert isinstance(a, np.ndarray) and a.dtype == np.float32
        assert_close(a, e, f"{name}[{i}] ({seqmix.last_variant()})")


def strided(x):
    """The same values in a non-contiguous view: every dimension but the last strided (a slice of a
    wider array), the last contiguous, as MIXERS.md allows."""
    if not isinstance(x, np.ndarray) or x.ndim < 2 or x.dtype != np.float32:
        return x
    wide = np.zeros(x.shape[:-1] + (x.shape[-1] + 3,), x.dtype)
    wide[..., 1 : 1 + x.shape[-1]] = x
    view = wide[..., 1 : 1 + x.shape[-1]]
    assert not view.flags.c_contiguous
    return view


def call_with_outputs(name, args, kwargs, outs):
    """Calls op `name` with out=outs, or, for an op that updates an input in place (gla_inter's o),
    without out=: the outputs are then those inputs. Returns (the expected output objects, the results)."""
    spec = seqmix._ops.SPECS[name]
    if any(p.kind == "inout" for p in spec.outputs):
        return tuple(args[spec.inputs.index(p)] for p in spec.outputs), results(getattr(seqmix, name)(*args, **kwargs))
    return tuple(outs), results(getattr(seqmix, name)(*args, out=tuple(outs), **kwargs))


@pytest.mark.parametrize("name", OPS)
def test_noncontiguous_inputs_and_outputs(name):
    args, kwargs, expected = CASES[name](SHAPES["T37_odd"], np.random.default_rng(7))
    args = [strided(a) for a in args]
    kwargs = {k: strided(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    outs, got = call_with_outputs(name, args, kwargs, [strided(np.zeros(e.shape, np.float32)) for e in expected])
    for i, (a, o, e) in enumerate(zip(got, outs, expected)):
        assert a is o, "out= arrays are returned, not copies"
        assert_close(a, e, f"{name}[{i}] strided")


def test_out_first_output_only_and_read_only_out():
    args, kwargs, expected = CASES["gla"](SHAPES["T37_odd"], np.random.default_rng(1))
    o = np.empty(expected[0].shape, np.float32)
    got, state = seqmix.gla(*args, out=o, **kwargs)
    assert got is o
    assert_close(state, expected[1], "gla final_state")
    o.flags.writeable = False
    with pytest.raises(seqmix.Error, match="read-only"):
        seqmix.gla(*args, out=o, **kwargs)


def test_optional_output_flag():
    args, kwargs, expected = CASES["gla"](SHAPES["T1"], np.random.default_rng(2))
    kwargs["output_final_state"] = False
    o = seqmix.gla(*args, **kwargs)
    assert isinstance(o, np.ndarray)
    assert_close(o, expected[0], "gla o")


def test_host_cache():
    seqmix.set_host_cache_limit(64 << 20)
    args, kwargs, expected = CASES["gla"](SHAPES["T1"], np.random.default_rng(4))
    seqmix.gla(*args, **kwargs)
    stats = seqmix.host_cache_stats()
    assert stats["limit"] == 64 << 20
    assert 0 <= stats["cached_bytes"] <= stats["limit"]
    seqmix.empty_host_cache()
    assert seqmix.host_cache_stats()["cached_bytes"] == 0
    seqmix.set_host_cache_limit(1 << 30)


def test_variant_and_introspection():
    args, kwargs, _ = CASES["gla_step"](SHAPES["T1"], np.random.default_rng(3))
    seqmix.gla_step(*args)
    assert "/" in seqmix.last_variant()
    names = {(v["mixer"], v["target"], v["bucket"]) for v in seqmix.variants()}
    assert any(m == "gla_step" for m, _, _ in names)
    with pytest.raises(seqmix.Error, match="no-such-target"):
        seqmix.gla_step(*args, variant="no-such-target/default")
