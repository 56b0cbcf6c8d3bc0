"""The forms and options of the ops that test_ops.py's one case per op leaves out: pararnn's info and
both cells, long_conv's FFT form with a reused kf_spectrum, lmu's d=, monarch's two axes, the
identities between forms (gla from a state == gla from zero + gla_inter; step == one-token
sequence for the RNNs and the LMU)."""
import numpy as np
import pytest

import references as ref
import seqmix
from cases import CASES, SHAPES, _monarch, _pararnn, long_conv_fft_shape, normal
from test_ops import assert_close, results

S = SHAPES["T37_odd"]


@pytest.mark.parametrize("cell", ["gru", "lstm"])
@pytest.mark.parametrize("variant", [None, "newton"])
def test_pararnn_cells_and_info(cell, variant):
    args, kwargs, expected = _pararnn(S, np.random.default_rng(20), cell)
    if variant:
        target = next(v["target"] for v in seqmix.variants() if v["mixer"] == "pararnn" and v["runnable"])
        kwargs["variant"] = f"{target}/{variant}"
    *arrays, info = seqmix.pararnn(*args, **kwargs)
    assert isinstance(info, seqmix.ParaRnnInfo) and info.converged and info.iterations >= 1
    assert "ParaRnnInfo(iterations=" in repr(info)
    assert len(arrays) == len(expected)  # final_c only for the LSTM
    for i, (a, e) in enumerate(zip(arrays, expected)):
        assert_close(a, e, f"pararnn {cell} {variant}[{i}]")
    y, info = seqmix.pararnn(*args, **dict(kwargs, output_final_state=False))
    assert_close(y, expected[0], "pararnn y only")


def test_gla_from_state_is_gla_from_zero_plus_gla_inter():
    args, kwargs, expected = CASES["gla"](S, np.random.default_rng(21))
    q, k, v, g = args
    o = seqmix.gla(q, k, v, g)
    got = seqmix.gla_inter(q, g, kwargs["initial_state"], o)
    assert got is o
    assert_close(o, expected[0], "gla_inter after gla")


def test_long_conv_fft_with_spectrum():
    B, D, T, L = long_conv_fft_shape(S)
    rng = np.random.default_rng(22)
    u, kf, Dskip = normal(rng, B, D, T), normal(rng, D, L) / np.sqrt(L), normal(rng, D)
    kf = np.ascontiguousarray(kf, np.float32)
    n = seqmix.long_conv_fft_length(B, D, T, L)
    assert n >= T + L - 1
    expected = ref.long_conv(u, kf, Dskip)
    assert_close(seqmix.long_conv(u, kf, Dskip=Dskip), expected, "long_conv fft")
    assert "fft" in seqmix.last_variant()
    spectrum = seqmix.long_conv_filter(kf, B, T)
    assert spectrum.shape == (n // 2 + 1, 2, D)
    assert_close(seqmix.long_conv(u, kf, Dskip=Dskip, kf_spectrum=spectrum), expected, "long_conv with spectrum")
    assert seqmix.long_conv_fft_length(B, D, 8, 4) == 0  # a short filter: the direct form
    with pytest.raises(seqmix.Error, match="device must be"):
        seqmix.long_conv_fft_length(B, D, T, L, device="tpu")


def test_lmu_order_keyword_and_step():
    rng = np.random.default_rng(23)
    u, theta = normal(rng, 2, 37, 3), 12.0
    m, final = seqmix.lmu(u, d=4, theta=theta, output_final_state=True)
    m_ref, final_ref = ref.lmu(u, 4, theta)
    assert_close(m, m_ref, "lmu m, d=4")
    assert_close(final, final_ref, "lmu final_state")
    # one token at a time == the sequence
    state = np.zeros((2, 3, 4), np.float32)
    for t in range(u.shape[1]):
        state = seqmix.lmu_step(np.ascontiguousarray(u[:, t]), state, theta=theta)
    assert_close(state, final_ref, "lmu_step x37")
    with pytest.raises(seqmix.Error, match=r"d= is needed to size m"):
        seqmix.lmu(u, theta=theta)


@pytest.mark.parametrize("axis", ["channel", "sequence"])
def test_monarch_axes(axis):
    args, kwargs, expected = _monarch(S, np.random.default_rng(24), axis)
    assert_close(seqmix.monarch(*args, **kwargs), expected[0], f"monarch {axis}")


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_rnn_step_is_sequence(cell):
    args, kwargs, expected = CASES[cell](S, np.random.default_rng(25))
    G, R = args
    h, c = kwargs["initial_h"], kwargs.get("initial_c")
    for t in range(G.shape[1]):
        Gt = np.ascontiguousarray(G[:, t])
        if cell == "lstm":
            h, c = seqmix.lstm_step(Gt, R, h, c, bias=kwargs["bias"])
        else:
            h = seqmix.gru_step(Gt, R, h, bias=kwargs["bias"])
    assert_close(h, expected[1], f"{cell}_step x{G.shape[1]}")


# One bad shape per new op: the C++ validation's message arrives as seqmix.Error.
BAD_SHAPES = {
    "gla_inter": (lambda a, kw: a.__setitem__(2, a[2][:, :, :-1]), r"seqmix::gla_inter: state has shape"),
    "monarch": (lambda a, kw: a.__setitem__(1, a[1][:-1, :-1, :-1].copy()), r"seqmix::monarch: R has shape"),
    "long_conv": (lambda a, kw: kw.__setitem__("gate", kw["gate"][:, :, :-1]), r"seqmix::long_conv: gate has shape"),
    "long_conv_filter": (lambda a, kw: a.__setitem__(2, 3), r"seqmix::long_conv_filter: T = 3, expected T >= kf's"),
    "lmu": (lambda a, kw: kw.__setitem__("initial_state", kw["initial_state"][:, :-1]),
            r"seqmix::lmu: initial_state has shape"),
    "lmu_step": (lambda a, kw: kw.__setitem__("theta", -1.0), r"seqmix::lmu_step: options.theta = -1"),
    "lstm": (lambda a, kw: kw.__setitem__("initial_c", kw["initial_c"][..., :-1]), r"seqmix::lstm: initial_c has shape"),
    "lstm_step": (lambda a, kw: a.__setitem__(3, a[3][:, :-1]), r"seqmix::lstm_step: c has shape"),
    "gru": (lambda a, kw: kw.__setitem__("bias", kw["bias"][:-1]), r"seqmix::gru: bias has shape"),
    "gru_step": (lambda a, kw: a.__setitem__(2, a[2][:, :-1]), r"seqmix::gru_step: \w+ has shape \[2,3,39\], expected \[2,H,NG\] with H == h.s 2"),
    "pararnn": (lambda a, kw: a.__setitem__(1, a[1][..., :-1]), r"seqmix::pararnn: Rd has last dimension"),
}


@pytest.mark.parametrize("name", sorted(BAD_SHAPES))
def test_bad_shape_new_ops(name):
    args, kwargs, _ = CASES[name](S, np.random.default_rng(26))
    breaks, pattern = BAD_SHAPES[name]
    breaks(args, kwargs)
    with pytest.raises(seqmix.Error, match=pattern):
        results(getattr(seqmix, name)(*args, **kwargs))


def test_enum_and_in_place_errors():
    args, kwargs, _ = CASES["monarch"](S, np.random.default_rng(27))
    with pytest.raises(seqmix.Error, match="axis must be 'channel' or 'sequence'"):
        seqmix.monarch(*args, axis="rows")
    args, kwargs, _ = _pararnn(S, np.random.default_rng(27), "gru")
    with pytest.raises(seqmix.Error, match="cell must be 'gru' or 'lstm'"):
        seqmix.pararnn(*args, **dict(kwargs, cell="rnn"))
    args, _, _ = CASES["gla_inter"](S, np.random.default_rng(27))
    with pytest.raises(seqmix.Error, match="updated in place"):
        seqmix.gla_inter(*args, out=np.zeros_like(args[3]))
    args[3].flags.writeable = False
    with pytest.raises(seqmix.Error, match="read-only"):
        seqmix.gla_inter(*args)
