"""torch.library custom ops (torch.ops.seqmix.<op>) with fake implementations, so that
torch.compile traces through seqmix calls instead of breaking the graph. Registered on first use
when torch is importable; seqmix never imports torch otherwise.

Each op's schema comes from the table: the inputs (optional ones as Tensor?, integers as int), the
output flags, the options fields and the variant; it returns every output of the op, those not
asked for as empty tensors (a schema has a fixed number of results), and seqmix.<op> drops them
again. An array the op updates in place (gla_inter's o) is a mutated argument (Tensor(a!)), not a
result. A struct the C++ op returns (pararnn's ParaRnnInfo) is not a result either (a fake could
not know its values): eager torch calls, which do not go through the custom op, return it;
where torch.compile traces the call, seqmix.<op> returns None in its place.
"""
import string

from . import _ops

_state = {"registered": None, "lib": None}
_SCHEMA_TYPES = {bool: "bool", int: "int", float: "float", str: "str"}


def _field_schema(spec, field, default):
    if default is None:  # scale: std::optional<float>; activation: an enum that takes None
        return f"{'str' if field in _ops._ENUMS else 'float'}? {field}"
    return f"{_SCHEMA_TYPES[type(default)]} {field}"


def _param_schema(p, i):
    if p.type != "Tensor":
        return f"int{'?' if p.kind == 'opt' else ''} {p.name}"
    if p.kind == "inout":  # alias sets are letters: one per mutated argument
        return f"Tensor({string.ascii_lowercase[i]}!) {p.name}"
    return f"Tensor{'?' if p.kind == 'opt' else ''} {p.name}"


def schema(spec):
    params = [_param_schema(p, i) for i, p in enumerate(spec.inputs + spec.optional_inputs)]
    params += [f"bool {f}" for f in spec.flags]
    params += [_field_schema(spec, f, d) for f, d in zip(spec.fields, spec.field_defaults)]
    params += ["str variant"]
    results = ", ".join("Tensor" for _ in range(spec.n_allocated))
    return f"({', '.join(params)}) -> " + (results if spec.n_allocated == 1 else f"({results})")


def _results(spec, outs):
    """The custom op's results from the op's outputs: in-place arrays left out (they are arguments)."""
    outs = tuple(o for p, o in zip(spec.outputs, outs) if p.kind != "inout")
    return outs[0] if len(outs) == 1 else outs or None


def _split(spec, args):
    n_in, n_opt, n_flags = len(spec.inputs), len(spec.optional_inputs), len(spec.flags)
    inputs = tuple(args[:n_in])
    optional_inputs = tuple(args[n_in : n_in + n_opt])
    flags = tuple(args[n_in + n_opt : n_in + n_opt + n_flags])
    fields = tuple(args[n_in + n_opt + n_flags : -1])
    return inputs, optional_inputs, flags, fields, args[-1] or None


def _register():
    import torch

    lib = torch.library.Library("seqmix", "FRAGMENT")
    fw = _ops._FRAMEWORKS[torch.Tensor] = _ops._torch_framework()
    for name, spec in _ops.SPECS.items():
        lib.define(name + schema(spec))

        def impl(*args, _spec=spec):
            inputs, optional_inputs, flags, fields, variant = _split(_spec, args)
            outs = _ops.execute(_spec, fw, inputs, optional_inputs, flags, fields, None, None, variant, True)
            first = inputs[0]
            outs = [torch.empty(0, device=first.device) if o is None else o for o in outs[: len(_spec.outputs)]]
            return _results(_spec, outs)

        def fake(*args, _spec=spec):
            inputs, optional_inputs, flags, fields, variant = _split(_spec, args)
            sizes = _ops.bind_sizes(_spec, inputs, optional_inputs, variant)
            first = inputs[0]
            outs = []
            for p, make in zip(_spec.outputs, _ops.produced(_spec, flags, fields)):
                shape = _ops.output_shape(p.dims, sizes) if make and p.kind != "inout" else (0,)
                outs.append(first.new_empty(shape if shape is not None else (1,), dtype=torch.float32))
            return _results(_spec, outs)

        lib.impl(name, impl, "CPU")
        lib.impl(name, impl, "CUDA")
        torch.library.register_fake("seqmix::" + name, fake, lib=lib)
        spec.torch_op = getattr(torch.ops.seqmix, name)
    _state["lib"] = lib
    _ops.TORCH_COMPILING = torch.compiler.is_compiling
    _ops.TORCH_TENSOR = torch.Tensor
    # The generated torch fast path (_ops._fast_path): eager plain tensors, no out=.
    hooks = _ops._TorchHooks
    hooks.compiling, hooks.stream, hooks.view = torch.compiler.is_compiling, fw.stream, fw.view
    hooks.empty = lambda shape, like: torch.empty(shape, dtype=torch.float32, device=like.device)
    hooks.tensor = torch.Tensor


def registered():
    """Registers the ops the first time (False where torch cannot be imported)."""
    if _state["registered"] is None:
        try:
            _register()
            _state["registered"] = True
        except ImportError:
            _state["registered"] = False
        except Exception as e:  # noqa: BLE001 - seqmix must stay usable (eagerly) with any torch
            import warnings

            warnings.warn(f"seqmix: torch custom ops not registered ({type(e).__name__}: {e}); "
                          "torch tensors run eagerly, torch.compile breaks the graph at seqmix calls")
            _state["registered"] = False
    return _state["registered"]
