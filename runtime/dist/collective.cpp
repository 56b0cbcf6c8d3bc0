#include "collective.h"

#include <fmt/format.h>

namespace seqmix::dist::detail {

std::vector<Meta> exchange_meta(Communicator &comm, const char *fn, const std::function<Meta()> &local_check,
                                const FieldNames &names) {
    constexpr int kOk = Meta::kFields - 1;  // the last field: 1 if this rank's checks passed
    Meta mine;
    std::string my_error;
    try {
        mine = local_check();
        mine.f[kOk] = 1;
    } catch (const Error &e) {
        mine = Meta{};
        mine.f[kOk] = 0;
        my_error = e.what();
    }
    std::vector<Meta> all(comm.size());
    comm.all_gather(&mine, all.data(), sizeof(Meta), Device::cpu());
    if (!my_error.empty()) throw Error(my_error);
    for (int r = 0; r < comm.size(); ++r) {
        if (!all[r].f[kOk]) {
            throw Error(fmt::format("{}: rank {} rejected its arguments (its error says why); every rank stops", fn, r));
        }
    }
    for (int i = 0; i < kOk; ++i) {
        if (!names[i] || !*names[i]) continue;
        for (int r = 1; r < comm.size(); ++r) {
            if (all[r].f[i] != all[0].f[i]) {
                throw Error(fmt::format("{}: the ranks disagree on {}: rank 0 has {}, rank {} has {} (every rank must pass "
                                        "tensors of the same B, H, K, V, dtype and device type; only T may differ)",
                                        fn, names[i], all[0].f[i], r, all[r].f[i]));
            }
        }
    }
    return all;
}

}  // namespace seqmix::dist::detail
