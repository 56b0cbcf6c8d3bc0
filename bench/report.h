// seqmix-bench: the printed table and the JSON document.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ceilings.h"
#include "machine.h"
#include "rows.h"

namespace seqmix::bench {

void print_header();
void print_row(const RowResult &row);
void print_ceilings(const Ceilings &c, const Machine &m);

nlohmann::json row_json(const RowResult &row);
nlohmann::json report_json(const Machine &m, const Ceilings &c, const std::vector<RowResult> &rows,
                           const nlohmann::json &run);

// Attaches the GPU peers that bench/peers/gpu_peers.py measured (its JSON) to the CUDA rows of
// the same mixer and shape, as extra["gpu_peers"][name] = {ms, speedup, ...}.
void merge_gpu_peers(std::vector<RowResult> &rows, const nlohmann::json &peers);

}  // namespace seqmix::bench
