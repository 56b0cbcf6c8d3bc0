"""A framework that speaks only DLPack (no buffer protocol, no allocator seqmix knows): the path JAX
and other frameworks take, testable where none of them is installed."""
import numpy as np


class Array:
    def __init__(self, data):
        self.data = data  # numpy, possibly a strided view
        self.shape = data.shape

    def __dlpack__(self, **kwargs):
        return self.data.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self.data.__dlpack_device__()


def from_dlpack(x):
    return Array(np.from_dlpack(x))
