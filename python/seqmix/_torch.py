"""torch.library custom ops (torch.ops.seqmix.<op>) with fake implementations, so that
torch.compile traces through seqmix calls instead of breaking the graph. Registered on first use
when torch is importable; seqmix never imports torch otherwise.

Each op's schema comes from the table: the inputs (optional ones as Tensor?), the output flags,
the options fields and the variant; it returns every output of the op, those not asked for as
empty tensors (a schema has a fixed number of results), and seqmix.<op> drops them again.
"""
from . import _ops

_state = {"registered": None, "lib": None}
_SCHEMA_TYPES = {bool: "bool", int: "int", float: "float", str: "str"}


def _field_schema(spec, field, default):
    if field == "activation":
        return f"str? {field}"
    if default is None:  # scale: std::optional<float>
        return f"float? {field}"
    return f"{_SCHEMA_TYPES[type(default)]} {field}"


def schema(spec):
    params = [f"Tensor {p.name}" for p in spec.inputs] + [f"Tensor? {p.name}" for p in spec.optional_inputs]
    params += [f"bool {f}" for f in spec.flags]
    params += [_field_schema(spec, f, d) for f, d in zip(spec.fields, spec.field_defaults)]
    params += ["str variant"]
    results = ", ".join("Tensor" for _ in spec.outputs)
    return f"({', '.join(params)}) -> " + (results if len(spec.outputs) == 1 else f"({results})")


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
            outs = tuple(torch.empty(0, device=first.device) if o is None else o for o in outs)
            return outs[0] if len(outs) == 1 else outs

        def fake(*args, _spec=spec):
            inputs, optional_inputs, flags, _, _ = _split(_spec, args)
            sizes = _ops.bind_sizes(_spec, inputs, optional_inputs)
            wanted = dict(zip(_spec.flags, flags))
            first = inputs[0]
            outs = []
            for p in _spec.outputs:
                shape = _ops.output_shape(p.dims, sizes) if p.flag is None or wanted[p.flag] else (0,)
                outs.append(first.new_empty(shape if shape is not None else (1,), dtype=torch.float32))
            return outs[0] if len(outs) == 1 else tuple(outs)

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
