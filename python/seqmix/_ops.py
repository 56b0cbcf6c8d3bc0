"""The Python functions of the ops, built from the table (_table.py) around the C++ binding.

A call: bind the sizes the outputs need from the inputs' shapes, allocate the outputs not given
in ``out=`` in the framework of the first input (numpy, torch, cupy; seqmix-owned memory handed
over by DLPack for other frameworks), pick the CUDA stream, and call the C++ function with every
array viewed in place. The C++ runtime validates everything (shapes, strides, dtypes, devices):
its message arrives as seqmix.Error. torch tensors go through torch.ops.seqmix (see _torch.py)
so that torch.compile sees custom ops.
"""
import numpy as np

from . import _seqmix as _C
from ._docs import DOCS
from ._table import SPECS

Error = _C.Error
KernelError = _C.KernelError

# Enum options fields: the strings each takes (None: the C++ default, where the signature says None).
_ENUMS = {
    "activation": {None: _C.Activation.identity, "identity": _C.Activation.identity, "silu": _C.Activation.silu},
    "axis": {"channel": _C.MonarchAxis.channel, "sequence": _C.MonarchAxis.sequence},
    "cell": {"gru": _C.RnnCell.gru, "lstm": _C.RnnCell.lstm},
}
ParaRnnInfo = _C.ParaRnnInfo


def device_of(x):
    """(is_cuda, index) of an array: torch's .device, else DLPack's __dlpack_device__, else the CPU."""
    device = getattr(x, "device", None)
    if hasattr(device, "type") and hasattr(device, "index"):  # torch (fake and meta tensors too)
        return device.type == "cuda", device.index or 0
    if hasattr(x, "__dlpack_device__"):
        device_type, index = x.__dlpack_device__()
        return int(device_type) == 2, int(index)  # kDLCUDA
    return False, 0


def long_conv_fft_length(B, D, T, L, *, device="cpu", variant=None):
    """The FFT length n that the long_conv variant dispatched for these shapes uses (0: the direct form,
    which takes no kf_spectrum). device: "cpu", "cuda" or "cuda:<index>" (a torch.device works too)."""
    kind, _, index = str(device).partition(":")
    if kind not in ("cpu", "cuda"):
        raise Error(f"long_conv_fft_length: device must be 'cpu', 'cuda' or 'cuda:<index>', got {device!r}")
    return _C.long_conv_fft_length(B, D, T, L, kind == "cuda", int(index or 0), variant or "")


def _fft_bins(sizes, first, variant):
    """long_conv_filter's F: n/2+1 bins for the FFT length n of the long_conv variant it feeds."""
    is_cuda, index = device_of(first)
    n = _C.long_conv_fft_length(sizes["B"], sizes["D"], sizes["T"], sizes["L"], is_cuda, index, variant or "")
    return n // 2 + 1


# Sizes that no input gives (_table.py): name -> (sizes, first input, variant) -> the size.
DERIVED = {"F": _fft_bins}


class _Framework:
    """How to allocate outputs like `first`, and which stream its CUDA work belongs to."""

    def __init__(self, name, empty, stream=None, wrap=None, prepare=None, finish=None, view=None):
        self.name = name
        self.view = view  # (arrays) -> arrays the binding can import, or None: as they are
        self.empty = empty  # (first, shape, dtype_name) -> array
        self.stream = stream  # (first) -> int or None (None: the stream= argument)
        self.wrap = wrap  # (array) -> the caller's framework's array, or None: returned as is
        self.prepare = prepare  # (inputs) before the call, or None
        self.finish = finish  # (first, stream) after the call, or None


def _numpy_empty(first, shape, dtype):
    return np.empty(shape, dtype)


def _torch_framework():
    import torch

    def empty(first, shape, dtype):
        return torch.empty(shape, dtype=getattr(torch, dtype), device=first.device)

    def stream(first):
        return torch.cuda.current_stream(first.device).cuda_stream if first.is_cuda else None

    from torch.utils.dlpack import to_dlpack

    def view(arrays):
        # DLPack capsules made in C++ (to_dlpack: 0.25 us a tensor, Tensor.__dlpack__ 2.3 us: its
        # Python-level checks and stream handshake, needless here since the kernels run on the
        # tensors' current stream). The ops have no backward formula yet: a tensor that requires
        # grad is viewed detached, and torch's fallback for ops without an autograd kernel warns
        # if a backward reaches them.
        return tuple(to_dlpack(x.detach() if x.requires_grad else x) if isinstance(x, torch.Tensor) else x
                     for x in arrays)

    return _Framework("torch", empty, stream, view=view)


def _cupy_framework():
    import cupy

    def empty(first, shape, dtype):
        with first.device:
            return cupy.empty(shape, dtype)

    return _Framework("cupy", empty, lambda first: cupy.cuda.get_current_stream().ptr)


def dlpack_import(from_dlpack, array):
    """array (with __dlpack__ and __dlpack_device__) imported by a framework's from_dlpack: the
    protocol object itself (JAX 0.11 takes nothing else), or, where from_dlpack refuses it with a
    TypeError (an older one that takes only capsules), a capsule of it."""
    try:
        return from_dlpack(array)
    except TypeError:
        return from_dlpack(array.__dlpack__())


def _dlpack_framework(module):
    """Frameworks with no allocator borrowed here (JAX, ...). Outputs are seqmix-owned memory
    (_seqmix._empty: CPU or CUDA, an object of the DLPack protocol that exports any number of times:
    the binding imports it for the call, the framework after it, jax.numpy.from_dlpack without a
    copy). Such a framework's stream is not known here: its inputs are waited for
    (block_until_ready) and, unless stream= is given, the call's default stream is synchronised
    before the outputs are handed over."""
    import importlib

    # JAX's arrays are jaxlib types; jax (jax.numpy.from_dlpack) is the framework to return to.
    root = importlib.import_module({"jaxlib": "jax"}.get(module, module))
    numpy_like = getattr(root, "numpy", root)
    from_dlpack = getattr(numpy_like, "from_dlpack", None) or getattr(root, "from_dlpack", None)
    block = getattr(root, "block_until_ready", None)

    def empty(first, shape, dtype):
        is_cuda, index = device_of(first)
        return _C._empty(list(shape), is_cuda, index)

    def prepare(inputs):
        if block is not None:
            block([x for x in inputs if hasattr(x, "__dlpack__")])

    def finish(first, stream):
        device_type, device_id = first.__dlpack_device__()
        if device_type == 2 and not stream:
            _C._cuda_synchronize(0, int(device_id))

    return _Framework(module, empty, None, lambda array: dlpack_import(from_dlpack, array), prepare, finish)


_NUMPY = _Framework("numpy", _numpy_empty)
_FRAMEWORKS = {np.ndarray: _NUMPY}


def framework_of(x):
    fw = _FRAMEWORKS.get(type(x))
    if fw is None:
        root = type(x).__module__.split(".")[0]
        if root == "torch":
            from . import _torch

            _torch.registered()
            fw = _torch_framework()
        elif root == "cupy":
            fw = _cupy_framework()
        elif hasattr(x, "__dlpack__"):
            fw = _dlpack_framework(root)
        else:
            raise Error(f"seqmix: a {type(x).__module__}.{type(x).__name__} is not an array (no DLPack, no buffer)")
        _FRAMEWORKS[type(x)] = fw
    return fw


def output_shape(dims, sizes):
    """The shape of an output from the sizes bound so far; None where an input did not give them (its
    rank is wrong: the C++ validation then reports that input)."""
    shape = []
    for d in dims:
        name, _, minus = d.partition("-")
        if name.isdigit():
            shape.append(int(name))
            continue
        if name not in sizes:
            return None
        shape.append(sizes[name] - int(minus or 0))
    return tuple(shape)


def bind_sizes(spec, inputs, optional_inputs, variant=None):
    sizes = {}
    all_inputs = inputs + optional_inputs
    for i, name in spec.int_sizes:  # integer arguments: given sizes come first
        if all_inputs[i] is not None:
            sizes[name] = all_inputs[i]
    for i, dims in spec.binders:
        a = all_inputs[i]
        if a is None:
            continue
        shape = a.shape
        if len(shape) == len(dims):
            for d, s in zip(dims, shape):
                if d != "_" and d not in sizes:
                    sizes[d] = s  # not int(): torch.compile's symbolic sizes stay symbolic
    for name in spec.derived:
        try:
            sizes[name] = DERIVED[name](sizes, inputs[0], variant)
        except KeyError:
            pass  # a size it needs is missing: the C++ validation reports the input
    return sizes


def produced(spec, flags, fields):
    """Per output: whether the call makes it (out= aside): no flag, or its flag on and its options
    condition (pararnn's final_c: cell == 'lstm') true."""
    on = dict(zip(spec.flags, flags))
    field = dict(zip(spec.fields, fields))
    return [p.flag is None or (on[p.flag] and (p.when is None or field[p.when[0]] == p.when[1]))
            for p in spec.outputs]


def make_options(spec, fields, stream, variant):
    if stream is None and variant is None and fields == spec.field_defaults:
        return spec.default_options  # shared, read only by C++: saves building one per call
    options = getattr(_C, spec.options_class)()
    for name, value in zip(spec.fields, fields):
        if name in _ENUMS:
            choices = _ENUMS[name]
            if not isinstance(value, (str, type(None))) or value not in choices:
                raise Error(f"{spec.name}: {name} must be {' or '.join(map(repr, choices))}, got {value!r}")
            value = choices[value]
        setattr(options, name, value)
    if stream:
        options.stream = int(stream)
    if variant:
        options.variant = variant
    return options


def _given_outputs(spec, out):
    n = len(spec.outputs)
    if out is None:
        return [None] * n
    if not isinstance(out, (tuple, list)):
        return [out] + [None] * (n - 1)
    if len(out) > n:
        raise Error(f"{spec.name}: out= has {len(out)} arrays, the op has {n} outputs")
    return list(out) + [None] * (n - len(out))


def execute(spec, fw, inputs, optional_inputs, flags, fields, out, stream, variant, all_outputs=False):
    """Runs the op; returns the outputs it produced (all of them, None for those not asked, when
    all_outputs), allocating those not given in out=."""
    first = inputs[0]
    given = _given_outputs(spec, out)
    sizes = bind_sizes(spec, inputs, optional_inputs, variant)
    outputs = []
    for p, o, make in zip(spec.outputs, given, produced(spec, flags, fields)):
        if p.kind == "inout":
            if o is not None:
                raise Error(f"{spec.name}: {p.name} is updated in place; out= does not apply to it")
            o = inputs[spec.inputs.index(p)]
        elif o is None and make:
            shape = output_shape(p.dims, sizes)
            missing = [d for d in p.dims if d in spec.size_args and d not in sizes]
            if missing:
                raise Error(f"{spec.name}: {missing[0]}= is needed to size {p.name} (or give it in out=)")
            # A placeholder where the inputs do not give the shape: C++ rejects the inputs first.
            o = fw.empty(first, shape if shape is not None else (1,), "float32")
            outputs.append(o)
            continue
        if o is not None and getattr(getattr(o, "flags", None), "writeable", True) is False:
            raise Error(f"{spec.name}: {'array' if p.kind == 'inout' else 'out array for'} {p.name} is read-only")
        outputs.append(o)
    groups = (inputs, optional_inputs, outputs)
    args = [groups[g][i] for g, i in spec.order]
    if fw.view is not None:  # what the binding sees; the caller gets back its own out= objects
        args = list(fw.view(args))
    if fw.stream is not None and stream is None:
        stream = fw.stream(first)
    args.append(make_options(spec, fields, stream, variant))
    if fw.prepare is not None:
        fw.prepare(inputs + optional_inputs)
    result = spec.function(*args)
    if fw.finish is not None:
        fw.finish(first, stream)
    if fw.wrap is not None:
        outputs = [None if o is None or p.kind == "inout" else fw.wrap(o) for p, o in zip(spec.outputs, outputs)]
    if not all_outputs:
        outputs = [o for o in outputs if o is not None]
    return outputs + [result] if spec.result else outputs


# torch.Tensor once _torch.py has registered the custom ops (torch.ops.seqmix.<op>, spec.torch_op).
TORCH_TENSOR = None
TORCH_COMPILING = None  # torch.compiler.is_compiling


def call(spec, inputs, optional_inputs, flags, fields, out, stream, variant):
    first = inputs[0]
    if (TORCH_TENSOR is not None and isinstance(first, TORCH_TENSOR) and out is None and stream is None
            and (type(first) is not TORCH_TENSOR or TORCH_COMPILING())):
        # Through the custom op when torch.compile traces (or for tensor subclasses: fake and meta
        # tensors); plain eager tensors skip the dispatcher's ~20 us and run below.
        allocated = spec.torch_op(*inputs, *optional_inputs, *flags, *fields, variant or "")
        if spec.fast_results:
            return allocated
        allocated = iter((allocated,) if spec.n_allocated == 1 else allocated or ())
        results = [inputs[spec.inputs.index(p)] if p.kind == "inout" else next(allocated) for p in spec.outputs]
        results = [r for r, make in zip(results, produced(spec, flags, fields)) if make]
        if spec.result:
            results.append(None)  # the custom op returns tensors only (see _torch.py)
    else:
        fw = _FRAMEWORKS.get(type(first)) or framework_of(first)
        results = execute(spec, fw, inputs, optional_inputs, flags, fields, out, stream, variant)
    return results[0] if len(results) == 1 else tuple(results)


def _prepare(spec):
    """Caches what every call of the op needs: the C++ function, the argument order, the defaults."""
    groups = (spec.inputs, spec.optional_inputs, spec.outputs)
    # An in/out param goes to C++ from the outputs (which hold its input): every output is there.
    group = {"in": 0, "opt": 1, "out": 2, "optout": 2, "inout": 2}
    spec.order = [(group[p.kind], groups[group[p.kind]].index(p)) for p in spec.params if p.type != "size"]
    spec.size_args = {p.name for p in spec.params if p.type == "size"}
    spec.derived = {d for p in spec.outputs for d in p.dims or () if d in DERIVED}
    spec.n_allocated = sum(p.kind != "inout" for p in spec.outputs)
    # The custom op's result is the function's as is (one array, every one always made).
    spec.fast_results = len(spec.outputs) == 1 and spec.n_allocated == 1 and not spec.result
    spec.function = getattr(_C, spec.name)
    spec.default_options = getattr(_C, spec.options_class)()
    spec.field_defaults = tuple(_field_default(f, getattr(spec.default_options, f)) for f in spec.fields)


def _field_default(field, value):
    """An options field's default as Python writes it: an enum's value name (None where the enum
    takes None), a float32 field's value as seqmix.h writes it (1e-05, not 9.99999974e-06)."""
    if field in _ENUMS:
        return None if None in _ENUMS[field] else value.name
    if isinstance(value, float):
        return float(f"{value:.7g}")
    return value


def signature(spec):
    """The Python signature: required inputs positional, everything else keyword-only."""
    params = [p.name for p in spec.inputs] + ["*"]
    params += [f"{p.name}=None" for p in spec.optional_inputs]
    params += [f"{f}=False" for f in spec.flags]
    params += [f"{f}={d!r}" for f, d in zip(spec.fields, spec.field_defaults)]
    params += ["out=None", "stream=None", "variant=None"]
    return ", ".join(params)


def _returned(p):
    if p.kind == "inout":
        return f"{p.name} (updated in place)"
    if p.flag and p.when:
        return f"{p.name} (if {p.flag} and {p.when[0]} == {p.when[1]!r})"
    return p.name + (f" (if {p.flag})" if p.flag else "")


def docstring(spec):
    returned = ", ".join(map(_returned, spec.outputs))
    if spec.result:
        returned += f", then a seqmix.{spec.result} (None where torch.compile traces the call)"
    return (
        f"{DOCS[spec.name]}\n\n"
        f"Returns {returned}: one array, or a tuple when more than one is returned. out= takes the first\n"
        "output's array or a tuple of them (None: allocated); outputs are allocated in the framework of the\n"
        "first input, on its device. stream: a cudaStream_t as int (torch and cupy arrays use the current\n"
        "stream); variant: force a kernel variant (seqmix.variants()). Raises seqmix.Error on bad input."
    )


class _TorchHooks:
    """What the generated torch fast path calls; filled in by _torch.py when torch registers (until
    then `tensor` is a type no object has, so the path is never taken)."""

    tensor = type("_NoTensor", (), {})
    compiling = empty = stream = view = None


def _fast_path(spec, framework):
    """Source lines of the op's fast path for numpy or eager torch tensors: sizes unpacked from the
    shapes, outputs allocated directly, the C++ function called directly (the general path,
    call(), spends ~10 us more per call on its table walk: measured by python/bench/overhead.py).
    torch.compile tracing and out= on torch tensors take the general path."""
    first = spec.inputs[0].name
    if framework == "numpy":
        test = f"type({first}) is _ndarray and stream is None and variant is None"
    else:
        test = f"type({first}) is _T.tensor and stream is None and variant is None and not _T.compiling()"
    lines = [f"    if {test}:", "        try:"]
    bound = set()
    for i, dims in spec.binders:
        names = []
        for d in dims:
            names.append(d if d != "_" and d not in bound else f"_{len(names)}")
            bound.add(d)
        lines.append(f"            {', '.join(names)}, = {spec.inputs[i].name}.shape")
    outs = [p.name for p in spec.outputs]
    general = "return _call(_spec, {args}, out, stream, variant)"
    lines += [
        "        except ValueError:",
        "            pass  # a wrong rank: the general path lets the runtime report it",
        "        else:",
        "            if out is None:",
        f"                {', '.join(outs)}, = {', '.join('None' for _ in outs)},",
    ]
    if framework == "numpy":
        lines += [
            f"            elif type(out) is tuple and len(out) == {len(outs)} and _writable(out):",
            f"                {', '.join(outs)}, = out",
        ]
    lines += ["            else:", f"                {general}"]
    for p in spec.outputs:
        shape = ", ".join(d.replace("-", " - ") for d in p.dims)
        cond = f"{p.name} is None" + (f" and {p.flag}" if p.flag else "")
        lines.append(f"            if {cond}:")
        alloc = f"_empty(({shape},), _float32)" if framework == "numpy" else f"_T.empty(({shape},), {first})"
        lines.append(f"                {p.name} = {alloc}")
    order = ", ".join(p.name for p in spec.params)
    fields = "".join(f"{f}, " for f in spec.fields)
    if framework == "numpy":
        lines.append(
            f"            _spec.function({order}, _spec.default_options if ({fields}) == _spec.field_defaults "
            f"else _options(_spec, ({fields}), None, None))"
        )
    else:
        lines.append(f"            _s = _T.stream({first})")
        lines.append(
            f"            _spec.function(*_T.view(({order},)), _spec.default_options if not _s and ({fields}) == "
            f"_spec.field_defaults else _options(_spec, ({fields}), _s, None))"
        )
    required = [p.name for p in spec.outputs if p.flag is None]
    optional = [p.name for p in spec.outputs if p.flag is not None]
    if not optional:
        lines.append(f"            return {', '.join(required)}")
    else:
        # Optional outputs are returned when produced (asked for by their flag or given in out=).
        lines.append(f"            _r = ({', '.join(required)},)")
        for name in optional:
            lines.append(f"            if {name} is not None:")
            lines.append(f"                _r += ({name},)")
        lines.append("            return _r[0] if len(_r) == 1 else _r")
    return lines


def _has_fast_path(spec):
    """Ops made of arrays whose output sizes the required inputs give (the decode steps, every
    recurrence): the rest (in/out arrays, integers, derived sizes, a returned struct, outputs made
    under an options condition) take the general path only."""
    plain = all(p.type == "Tensor" and p.kind != "inout" and p.when is None for p in spec.params)
    return plain and not spec.result and not spec.derived and all(i < len(spec.inputs) for i, _ in spec.binders)


def _writable(arrays):
    return all(a is None or getattr(getattr(a, "flags", None), "writeable", True) for a in arrays)


def build(spec):
    """The op's Python function, with its real signature: a generated def (a numpy fast path, then
    the general path) so that a call does no **kwargs parsing and no table walk for numpy."""
    _prepare(spec)
    fast = _has_fast_path(spec)
    names = lambda items: "".join(f"{n}, " for n in items)  # noqa: E731
    general_args = (
        f"({names(p.name for p in spec.inputs)}), ({names(p.name for p in spec.optional_inputs)}), "
        f"({names(spec.flags)}), ({names(spec.fields)})"
    )
    lines = [f"def {spec.name}({signature(spec)}):"]
    if fast:
        lines += _fast_path(spec, "numpy") + _fast_path(spec, "torch")
    lines.append(f"    return _call(_spec, {general_args}, out, stream, variant)")
    source = "\n".join(lines).replace("{args}", general_args) + "\n"
    namespace = {"_call": call, "_spec": spec, "_ndarray": np.ndarray, "_empty": np.empty,
                 "_float32": np.float32, "_options": make_options, "_writable": _writable, "_T": _TorchHooks}
    exec(source, namespace)  # noqa: S102 - the source is built from the table above, not from input
    fn = namespace[spec.name]
    fn.__doc__ = docstring(spec)
    fn.__module__ = "seqmix"
    spec.source = source
    return fn


OPS = {name: build(spec) for name, spec in SPECS.items()}
