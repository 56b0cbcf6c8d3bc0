#include "cost_model.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace seqmix::tune {

namespace {

void check(int rc, const char *what) {
    if (rc != 0) throw std::runtime_error(std::string("xgboost ") + what + ": " + XGBGetLastError());
}

DMatrixHandle matrix(const std::vector<std::vector<float>> &x) {
    const size_t cols = x.empty() ? 0 : x[0].size();
    std::vector<float> flat;
    for (const auto &row : x) flat.insert(flat.end(), row.begin(), row.end());
    DMatrixHandle m = nullptr;
    check(XGDMatrixCreateFromMat(flat.data(), x.size(), cols, NAN, &m), "XGDMatrixCreateFromMat");
    return m;
}

}  // namespace

CostModel::~CostModel() {
    if (booster_) XGBoosterFree(booster_);
}

void CostModel::fit(const std::vector<std::vector<float>> &x, const std::vector<double> &seconds) {
    std::vector<std::vector<float>> rows;
    std::vector<float> y;
    for (size_t i = 0; i < x.size(); i++) {
        if (std::isfinite(seconds[i]) && seconds[i] > 0) {
            rows.push_back(x[i]);
            y.push_back(static_cast<float>(std::log(seconds[i])));
        }
    }
    if (rows.size() < static_cast<size_t>(kMinRows)) return;
    DMatrixHandle d = matrix(rows);
    check(XGDMatrixSetFloatInfo(d, "label", y.data(), y.size()), "set label");
    BoosterHandle b = nullptr;
    check(XGBoosterCreate(&d, 1, &b), "XGBoosterCreate");
    // Small trees, shrinkage, one thread: a few hundred rows, and the machine is shared.
    const char *params[][2] = {{"objective", "reg:squarederror"}, {"max_depth", "4"}, {"eta", "0.3"},
                               {"min_child_weight", "1"},          {"nthread", "1"},  {"verbosity", "0"}};
    for (auto &p : params) check(XGBoosterSetParam(b, p[0], p[1]), "XGBoosterSetParam");
    for (int it = 0; it < 60; it++) check(XGBoosterUpdateOneIter(b, it, d), "XGBoosterUpdateOneIter");
    XGDMatrixFree(d);
    if (booster_) XGBoosterFree(booster_);
    booster_ = b;
}

std::vector<float> CostModel::predict(const std::vector<std::vector<float>> &x) const {
    if (!booster_) throw std::logic_error("CostModel::predict before a fit");
    if (x.empty()) return {};
    DMatrixHandle d = matrix(x);
    bst_ulong n = 0;
    const float *out = nullptr;
    check(XGBoosterPredict(booster_, d, 0, 0, 0, &n, &out), "XGBoosterPredict");
    std::vector<float> r(out, out + n);
    XGDMatrixFree(d);
    return r;
}

}  // namespace seqmix::tune
