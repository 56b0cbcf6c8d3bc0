"""The Python functions of the ops, built from the table (_table.py) around the C++ binding.

A call: bind the sizes the outputs need from the inputs' shapes, allocate the outputs not given
in ``out=`` in the framework of the first input (numpy, torch, cupy; numpy memory handed over by
DLPack for other CPU frameworks), pick the CUDA stream, and call the C++ function with every
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

_ACTIVATIONS = {None: _C.Activation.identity, "identity": _C.Activation.identity, "silu": _C.Activation.silu}


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


def _dlpack_framework(module):
    """Frameworks with no allocator borrowed here (JAX, ...). CPU outputs are numpy memory, CUDA
    outputs seqmix-owned memory (_seqmix._empty_cuda), both handed to the framework by DLPack after
    the call (jax.numpy.from_dlpack imports without a copy). Such a framework's stream is not
    known here: its inputs are waited for (block_until_ready) and, unless stream= is given, the
    call's default stream is synchronised before the outputs are handed over."""
    import importlib

    # JAX's arrays are jaxlib types; jax (jax.numpy.from_dlpack) is the framework to return to.
    root = importlib.import_module({"jaxlib": "jax"}.get(module, module))
    numpy_like = getattr(root, "numpy", root)
    from_dlpack = getattr(numpy_like, "from_dlpack", None) or getattr(root, "from_dlpack", None)
    block = getattr(root, "block_until_ready", None)

    def empty(first, shape, dtype):
        device_type, device_id = first.__dlpack_device__()
        if device_type == 2:  # kDLCUDA
            return _C._empty_cuda(list(shape), int(device_id))
        return np.empty(shape, dtype)

    def prepare(inputs):
        if block is not None:
            block([x for x in inputs if x is not None])

    def finish(first, stream):
        device_type, device_id = first.__dlpack_device__()
        if device_type == 2 and not stream:
            _C._cuda_synchronize(0, int(device_id))

    return _Framework(module, empty, None, from_dlpack, prepare, finish)


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
        if name not in sizes:
            return None
        shape.append(sizes[name] - int(minus or 0))
    return tuple(shape)


def bind_sizes(spec, inputs, optional_inputs):
    sizes = {}
    all_inputs = inputs + optional_inputs
    for i, dims in spec.binders:
        a = all_inputs[i]
        if a is None:
            continue
        shape = a.shape
        if len(shape) == len(dims):
            for d, s in zip(dims, shape):
                if d != "_" and d not in sizes:
                    sizes[d] = s  # not int(): torch.compile's symbolic sizes stay symbolic
    return sizes


def make_options(spec, fields, stream, variant):
    if stream is None and variant is None and fields == spec.field_defaults:
        return spec.default_options  # shared, read only by C++: saves building one per call
    options = getattr(_C, spec.options_class)()
    for name, value in zip(spec.fields, fields):
        if name == "activation":
            if value not in _ACTIVATIONS:
                raise Error(f"{spec.name}: activation must be None, 'identity' or 'silu', got {value!r}")
            value = _ACTIVATIONS[value]
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
    sizes = bind_sizes(spec, inputs, optional_inputs)
    wanted = dict(zip(spec.flags, flags))
    outputs = []
    for p, o in zip(spec.outputs, given):
        if o is None and (p.flag is None or wanted[p.flag]):
            shape = output_shape(p.dims, sizes)
            # A placeholder where the inputs do not give the shape: C++ rejects the inputs first.
            o = fw.empty(first, shape if shape is not None else (1,), "float32")
        elif o is not None and getattr(getattr(o, "flags", None), "writeable", True) is False:
            raise Error(f"{spec.name}: out array for {p.name} is read-only")
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
    spec.function(*args)
    if fw.finish is not None:
        fw.finish(first, stream)
    if fw.wrap is not None:
        outputs = [None if o is None else fw.wrap(o) for o in outputs]
    if all_outputs:
        return outputs
    return [o for o in outputs if o is not None]


# torch.Tensor once _torch.py has registered the custom ops (torch.ops.seqmix.<op>, spec.torch_op).
TORCH_TENSOR = None
TORCH_COMPILING = None  # torch.compiler.is_compiling


def call(spec, inputs, optional_inputs, flags, fields, out, stream, variant):
    first = inputs[0]
    if (TORCH_TENSOR is not None and isinstance(first, TORCH_TENSOR) and out is None and stream is None
            and (type(first) is not TORCH_TENSOR or TORCH_COMPILING())):
        # Through the custom op when torch.compile traces (or for tensor subclasses: fake and meta
        # tensors); plain eager tensors skip the dispatcher's ~20 us and run below.
        results = spec.torch_op(*inputs, *optional_inputs, *flags, *fields, variant or "")
        if len(spec.outputs) == 1:
            return results
        wanted = dict(zip(spec.flags, flags))
        results = [r for f, r in zip(spec.output_flags, results) if f is None or wanted[f]]
    else:
        fw = _FRAMEWORKS.get(type(first)) or framework_of(first)
        results = execute(spec, fw, inputs, optional_inputs, flags, fields, out, stream, variant)
    return results[0] if len(results) == 1 else tuple(results)


def _prepare(spec):
    """Caches what every call of the op needs: the C++ function, the argument order, the defaults."""
    index = {"in": 0, "opt": 0, "out": 0}
    group = {"in": 0, "opt": 1, "out": 2, "optout": 2}
    order = []
    for p in spec.params:
        kind = "out" if p.kind == "optout" else p.kind
        order.append((group[p.kind], index[kind]))
        index[kind] += 1
    spec.order = order
    spec.output_flags = tuple(p.flag for p in spec.outputs)  # plain data: torch.compile reads it
    spec.function = getattr(_C, spec.name)
    spec.default_options = getattr(_C, spec.options_class)()
    spec.field_defaults = tuple(
        None if f == "activation" else getattr(spec.default_options, f) for f in spec.fields
    )


def signature(spec):
    """The Python signature: required inputs positional, everything else keyword-only."""
    params = [p.name for p in spec.inputs] + ["*"]
    params += [f"{p.name}=None" for p in spec.optional_inputs]
    params += [f"{f}=False" for f in spec.flags]
    params += [f"{f}={d!r}" for f, d in zip(spec.fields, spec.field_defaults)]
    params += ["out=None", "stream=None", "variant=None"]
    return ", ".join(params)


def docstring(spec):
    returned = ", ".join(p.name + (f" (if {p.flag})" if p.flag else "") for p in spec.outputs)
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


def _writable(arrays):
    return all(a is None or getattr(getattr(a, "flags", None), "writeable", True) for a in arrays)


def build(spec):
    """The op's Python function, with its real signature: a generated def (a numpy fast path, then
    the general path) so that a call does no **kwargs parsing and no table walk for numpy."""
    _prepare(spec)
    names = lambda items: "".join(f"{n}, " for n in items)  # noqa: E731
    general_args = (
        f"({names(p.name for p in spec.inputs)}), ({names(p.name for p in spec.optional_inputs)}), "
        f"({names(spec.flags)}), ({names(spec.fields)})"
    )
    lines = [f"def {spec.name}({signature(spec)}):"] + _fast_path(spec, "numpy") + _fast_path(spec, "torch")
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
