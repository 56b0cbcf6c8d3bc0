// The cost model that guides the evolutionary search: gradient-boosted trees (XGBoost, Debian's
// libxgboost-dev, through its C API), as TVM's MetaSchedule uses, regressing log(time) on the
// candidate's features (log2 of each knob). Why trees: the knobs interact in steps (a tile that
// fits the registers or not, a chunk that divides the sub-chunk), which trees model with a few
// splits from a few dozen measurements; log(time) makes a 2x change weigh the same everywhere.
// Refitted from scratch after every batch (a few hundred rows: milliseconds).
#pragma once

#include <vector>

namespace seqmix::tune {

class CostModel {
public:
    CostModel() = default;
    ~CostModel();
    CostModel(const CostModel &) = delete;
    CostModel &operator=(const CostModel &) = delete;
    // Refits on (features, seconds); rows with seconds <= 0 or not finite are skipped.
    void fit(const std::vector<std::vector<float>> &x, const std::vector<double> &seconds);
    bool trained() const { return booster_ != nullptr; }
    // Predicted log(seconds) per row (lower is better).
    std::vector<float> predict(const std::vector<std::vector<float>> &x) const;
    static constexpr int kMinRows = 6;  // below this the model is not fitted (random proposals)

private:
    void *booster_ = nullptr;
};

}  // namespace seqmix::tune
