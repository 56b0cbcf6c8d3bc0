"""The op table: every seqmix op, its C++ parameters in declaration order, its options.

One line per op (adding an op: a line here, a ``def_op`` line in python/src/module.cpp, a
docstring in _docs.py; the Python function, the torch custom op, its fake and the .pyi stub come
from the line). The line reads:

    name   param param ... | OptionsClass field field ... [-> ResultClass]

with each param, in the C++ declaration's order:
    x[B,T,H,K]      a required input; the bracket names the sizes that output shapes use
                    ('_' = not needed; no bracket = nothing needed from this input)
    x?              an optional input (keyword argument, default None)
    <>o[B,T,H,V]    a required input that the op reads and updates in place; returned
    >y[B,T,H,V]     an output, always returned
    >y[B,H,K,V]?f   an optional output, returned when the keyword flag `f` is true or out= gives it
    >y[B,H,K]?f&o=v the same, and only while the options field `o` is `v` (pararnn's LSTM-only final_c)
    n:int           a required integer (C++ int64_t); binds the size `n`
    n:size?         a keyword integer that only sizes outputs (not a C++ parameter: the C++ op reads
                    that size from its output's shape), e.g. lmu's memory order d
and the fields are the options struct's own (stream and variant are every op's; an enum field takes
its C++ value names as strings, _ops._ENUMS). A size may be `N-1` (causal_conv1d's state) or one
that no input gives (_ops.DERIVED: long_conv_filter's F, from long_conv_fft_length). A ":"
instead of a param list repeats the previous line's params. `-> ResultClass`: the C++ function
returns that struct (bound in module.cpp); the Python function returns it after the arrays.
long_conv's kf_spectrum is LongConvOptions' one tensor field: the binding's adapter
(module.cpp, long_conv_with_spectrum) takes it as a trailing optional input instead.
"""

TABLE = """
attention              q[B,T,H,K] k v[_,_,_,V] >o[B,T,H,V] >lse[B,H,T]?return_lse | AttentionOptions scale causal window
decode_attention       q[B,T,H,K] k v[_,_,_,V] lens >o[B,T,H,V] >lse[B,H,T]?return_lse | DecodeAttentionOptions scale
gla                    q[B,T,H,K] k v[_,_,_,V] g >o[B,T,H,V] initial_state? >final_state[B,H,K,V]?output_final_state | GlaOptions scale
gla_step               q[B,H,K] k v[_,_,V] g state >o[B,H,V] >new_state[B,H,K,V] | GlaOptions scale
gla_state              k[B,T,H,K] v[_,_,_,V] g >final_state[B,H,K,V] >decay[B,H,K] | GlaOptions scale
gla_decay              g[B,T,H,K] >decay[B,H,K] | GlaOptions scale
linear_attn            q[B,T,H,K] k v[_,_,_,V] >o[B,T,H,V] initial_state? >final_state[B,H,K,V]?output_final_state | RecurrenceOptions scale
retention              : | RecurrenceOptions scale
simple_gla             q[B,T,H,K] k v[_,_,_,V] g >o[B,T,H,V] initial_state? >final_state[B,H,K,V]?output_final_state | RecurrenceOptions scale
linear_attn_step       q[B,H,K] k v[_,_,V] state >o[B,H,V] >new_state[B,H,K,V] | RecurrenceOptions scale
retention_step         : | RecurrenceOptions scale
simple_gla_step        q[B,H,K] k v[_,_,V] g state >o[B,H,V] >new_state[B,H,K,V] | RecurrenceOptions scale
delta_rule             q[B,T,H,K] k v[_,_,_,V] beta >o[B,T,H,V] initial_state? >final_state[B,H,K,V]?output_final_state | DeltaRuleOptions scale qk_l2norm
gated_delta_rule       q[B,T,H,K] k v[_,_,_,V] g beta >o[B,T,H,V] initial_state? >final_state[B,H,K,V]?output_final_state | DeltaRuleOptions scale qk_l2norm
kda                    : | DeltaRuleOptions scale qk_l2norm
gated_delta_rule2      q[B,T,H,K] k v[_,_,_,V] g b w >o[B,T,H,V] initial_state? >final_state[B,H,K,V]?output_final_state | DeltaRuleOptions scale qk_l2norm
delta_rule_step        q[B,H,K] k v[_,_,V] beta state >o[B,H,V] >new_state[B,H,K,V] | DeltaRuleOptions scale qk_l2norm
gated_delta_rule_step  q[B,H,K] k v[_,_,V] g beta state >o[B,H,V] >new_state[B,H,K,V] | DeltaRuleOptions scale qk_l2norm
kda_step               : | DeltaRuleOptions scale qk_l2norm
gated_delta_rule2_step q[B,H,K] k v[_,_,V] g b w state >o[B,H,V] >new_state[B,H,K,V] | DeltaRuleOptions scale qk_l2norm
rwkv7                  r[B,T,H,K] w k v[_,_,_,V] a b >o[B,T,H,V] initial_state? >final_state[B,H,K,V]?output_final_state | Rwkv7Options scale
rwkv7_step             r[B,H,K] w k v[_,_,V] a b state >o[B,H,V] >new_state[B,H,K,V] | Rwkv7Options scale
ssd                    x[B,T,H,P] dt A Bm[_,_,_,N] Cm >y[B,T,H,P] Dskip? dt_bias? initial_state? >final_state[B,H,P,N]?output_final_state | SsdOptions dt_softplus
ssd_step               x[B,H,P] dt A Bm[_,_,N] Cm state >y[B,H,P] >new_state[B,H,P,N] Dskip? dt_bias? | SsdOptions dt_softplus
ssd_bidirectional      x[B,T,H,P] dt_f Bm_f Cm_f dt_b Bm_b Cm_b A >y[B,T,H,P] Dskip? dt_bias? | SsdOptions dt_softplus
causal_conv1d          x[B,T,D] weight[_,W] >y[B,T,D] bias? initial_state? >final_state[B,D,W-1]?output_final_state | CausalConv1dOptions activation
causal_conv1d_step     x[B,D] weight[_,W] state >y[B,D] >new_state[B,D,W-1] bias? | CausalConv1dOptions activation
selective_scan         x[B,D,T] delta A[_,N] Bm Cm >y[B,D,T] Dskip? z? delta_bias? initial_state? >final_state[B,D,N]?output_final_state | SelectiveScanOptions delta_softplus
selective_scan_step    x[B,D] delta A[_,N] Bm Cm state >y[B,D] >new_state[B,D,N] Dskip? z? delta_bias? | SelectiveScanOptions delta_softplus
token_mix              x[B,T,C] W >y[B,T,C] bias? | TokenMixOptions causal
gla_inter              q g state <>o | GlaOptions scale
monarch                x[B,T,C] L R >y[B,T,C] | MonarchOptions axis
long_conv              u[B,D,T] kf >y[B,D,T] Dskip? gate? kf_spectrum? | LongConvOptions
long_conv_filter       kf[D,L] B:int T:int >kf_spectrum[F,2,D] | CallOptions
lmu                    u[B,T,C] >m[B,T,C,d] initial_state[_,_,d]? >final_state[B,C,d]?output_final_state d:size? | LmuOptions theta
lmu_step               u[B,C] state[_,_,d] >new_state[B,C,d] | LmuOptions theta
lstm                   G[B,T,H,_] R[_,Hd,_] >y[B,T,H,Hd] bias? initial_h? initial_c? >final_h[B,H,Hd]?output_final_state >final_c[B,H,Hd]?output_final_state | RnnOptions
lstm_step              G[B,H,_] R[_,Hd,_] h c >h_out[B,H,Hd] >c_out[B,H,Hd] bias? | RnnOptions
gru                    G[B,T,H,_] R[_,Hd,_] >y[B,T,H,Hd] bias? initial_h? >final_h[B,H,Hd]?output_final_state | RnnOptions
gru_step               G[B,H,_] R[_,Hd,_] h >h_out[B,H,Hd] bias? | RnnOptions
pararnn                G[B,T,H,_] Rd[_,Hd,_] >y[B,T,H,Hd] bias? initial_h? initial_c? >final_h[B,H,Hd]?output_final_state >final_c[B,H,Hd]?output_final_state&cell=lstm | ParaRnnOptions cell max_iters tol -> ParaRnnInfo
"""


class Param:
    """One C++ parameter: kind is 'in', 'opt' (optional input), 'inout', 'out' or 'optout'; type is
    'Tensor', 'int' or 'size' (a keyword integer that only sizes outputs: not passed to C++)."""

    __slots__ = ("name", "kind", "type", "dims", "flag", "when")

    def __init__(self, text):
        self.kind, self.type, self.flag, self.when, self.dims = "in", "Tensor", None, None, None
        if text.startswith("<>"):
            self.kind, text = "inout", text[2:]
        elif text.startswith(">"):
            self.kind, text = "out", text[1:]
        if "?" in text:
            text, flag = text.split("?")
            flag, _, when = flag.partition("&")
            self.flag = flag or None
            self.when = tuple(when.split("=")) if when else None
            self.kind = "optout" if self.kind == "out" else "opt"
        if ":" in text:
            text, self.type = text.split(":")
        if "[" in text:
            text, dims = text[:-1].split("[")
            self.dims = tuple(dims.split(","))
        self.name = text


class Spec:
    """One op: its parameters (C++ order), its options class and fields, the struct it returns."""

    def __init__(self, name, params, options_class, fields, result=None):
        self.name = name
        self.params = params
        self.options_class = options_class
        self.fields = fields
        self.result = result
        self.inputs = [p for p in params if p.kind in ("in", "inout")]
        self.optional_inputs = [p for p in params if p.kind == "opt"]
        self.outputs = [p for p in params if p.kind in ("out", "optout", "inout")]  # the returned arrays
        self.flags = list(dict.fromkeys(p.flag for p in self.outputs if p.flag))
        # Where each input's sizes bind: (position among all inputs, dims); integers bind their name.
        all_inputs = self.inputs + self.optional_inputs
        self.binders = [(i, p.dims) for i, p in enumerate(all_inputs) if p.dims]
        self.int_sizes = [(i, p.name) for i, p in enumerate(all_inputs) if p.type != "Tensor"]


def parse(table=TABLE):
    specs = {}
    previous = None
    for line in table.strip().splitlines():
        head, options = line.split("|")
        options, _, result = options.partition("->")
        name, *params = head.split()
        if params == [":"]:
            params = previous
        previous = params
        options_class, *fields = options.split()
        specs[name] = Spec(name, [Param(p) for p in params], options_class, fields, result.strip() or None)
    return specs


SPECS = parse()
