// The metadata exchange that opens every sequence-parallel call: each rank's shapes, dtype,
// device type and local-check outcome, gathered (a few dozen bytes, on the host) so that every
// rank sees the same disagreement and throws the same error instead of hanging in a collective
// whose sizes differ.
#pragma once

#include "internal.h"

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace seqmix::dist::detail {

struct Meta {
    static constexpr int kFields = 16;
    std::array<int64_t, kFields> f{};
};

// Field names for the messages, "" for a field that may differ across ranks (T).
using FieldNames = std::array<const char *, Meta::kFields>;

// Runs `local_check` (which throws seqmix::Error for this rank's own bad arguments), gathers
// `mine` (with its outcome) from every rank, and throws on every rank if any rank failed its
// checks or if a named field differs. Returns every rank's Meta.
std::vector<Meta> exchange_meta(Communicator &comm, const char *fn, const std::function<Meta()> &local_check,
                                const FieldNames &names);

}  // namespace seqmix::dist::detail
