// The words a .sched file uses for Halide's enums and loop names, in one place for both directions:
// apply() turns words into Halide values, import turns Halide's schedule back into words.
// (The parser, which has no Halide, checks the same words against its own lists.)
#pragma once

#include <Halide.h>

#include <string>
#include <utility>
#include <vector>

namespace seqmix::sched {

template<typename E>
using Names = std::vector<std::pair<const char *, E>>;

inline const Names<Halide::TailStrategy> &tail_strategies() {
    using T = Halide::TailStrategy;
    static const Names<T> n = {{"RoundUp", T::RoundUp},
                               {"GuardWithIf", T::GuardWithIf},
                               {"Predicate", T::Predicate},
                               {"PredicateLoads", T::PredicateLoads},
                               {"PredicateStores", T::PredicateStores},
                               {"ShiftInwards", T::ShiftInwards},
                               {"ShiftInwardsAndBlend", T::ShiftInwardsAndBlend},
                               {"RoundUpAndBlend", T::RoundUpAndBlend},
                               {"Auto", T::Auto}};
    return n;
}

inline const Names<Halide::MemoryType> &memory_types() {
    using M = Halide::MemoryType;
    static const Names<M> n = {{"Auto", M::Auto},           {"Heap", M::Heap},
                               {"Stack", M::Stack},         {"Register", M::Register},
                               {"GPUShared", M::GPUShared}, {"GPUTexture", M::GPUTexture},
                               {"LockedCache", M::LockedCache}, {"VTCM", M::VTCM},
                               {"AMXTile", M::AMXTile}};
    return n;
}

inline const Names<Halide::Partition> &partition_policies() {
    using P = Halide::Partition;
    static const Names<P> n = {{"Auto", P::Auto}, {"Never", P::Never}, {"Always", P::Always}};
    return n;
}

inline const Names<Halide::PrefetchBoundStrategy> &prefetch_bounds() {
    using P = Halide::PrefetchBoundStrategy;
    static const Names<P> n = {{"Clamp", P::Clamp}, {"GuardWithIf", P::GuardWithIf}, {"NonFaulting", P::NonFaulting}};
    return n;
}

inline const Names<Halide::LoopAlignStrategy> &loop_alignments() {
    using A = Halide::LoopAlignStrategy;
    static const Names<A> n = {
        {"AlignStart", A::AlignStart}, {"AlignEnd", A::AlignEnd}, {"NoAlign", A::NoAlign}, {"Auto", A::Auto}};
    return n;
}

// The value of a word the parser already accepted (std::out_of_range would be an internal error).
template<typename E>
E value_of(const Names<E> &names, const std::string &word) {
    for (const auto &[w, v] : names) {
        if (word == w) return v;
    }
    throw std::out_of_range("no Halide value for '" + word + "'");
}

template<typename E>
const char *word_of(const Names<E> &names, E value) {
    for (const auto &[w, v] : names) {
        if (v == value) return w;
    }
    throw std::out_of_range("a Halide value with no schedule word");
}

// Halide qualifies split loops by their parents ("t.to", "rk$x.rk$xi"); a file names a loop by its
// last component, which is also what Halide matches loop levels by.
inline std::string loop_name(const std::string &halide) {
    return halide.substr(halide.rfind('.') + 1);
}

}  // namespace seqmix::sched
