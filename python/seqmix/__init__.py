"""seqmix: sequence mixers (GLA, DeltaNet, Mamba, RWKV-7, attention, ...) compiled ahead of time
from Halide pipelines, for numpy, PyTorch, JAX and CuPy arrays on CPU and CUDA, without copies.

Every op takes and returns arrays of the caller's framework (DLPack: nothing is copied; the last
dimension must be contiguous, other strides any positive value), with the C++ API's names and
options (seqmix.h, MIXERS.md):

    o, state = seqmix.gla(q, k, v, g, output_final_state=True)   # prefill
    o, state = seqmix.gla_step(q1, k1, v1, g1, state)            # one decode token

Bad arguments raise seqmix.Error (a ValueError) with the runtime's message; a failing kernel raises
seqmix.KernelError. With torch installed, the ops are also torch.ops.seqmix.<op> custom ops with
fake implementations (torch.compile traces through seqmix.<op> on torch tensors).
"""
import sys as _sys

from . import _seqmix
from ._ops import OPS as _OPS
from ._ops import Error, KernelError, ParaRnnInfo, long_conv_fft_length

globals().update(_OPS)

if "torch" in _sys.modules:  # else on the first torch tensor seen: seqmix never imports torch itself
    from . import _torch

    _torch.registered()

__all__ = sorted(_OPS) + ["Error", "KernelError", "ParaRnnInfo", "long_conv_fft_length", "last_variant", "variants",
                         "cuda_available", "host_cache_stats", "set_host_cache_limit", "empty_host_cache", "__version__"]

last_variant = _seqmix.last_variant
cuda_available = _seqmix.cuda_available
# The host scratch cache of the CPU kernels (seqmix::host_cache_stats in seqmix.h): a dict with
# limit, cached_bytes, cached_blocks, hits, misses; the limit in bytes; release of the idle blocks.
host_cache_stats = _seqmix.host_cache_stats
set_host_cache_limit = _seqmix.set_host_cache_limit
empty_host_cache = _seqmix.empty_host_cache
__version__ = _seqmix.version()


def variants():
    """Every built kernel variant: dicts with mixer, target, bucket, condition, symbol, runnable,
    explicit_only (seqmix::variants())."""
    return _seqmix.variants()
