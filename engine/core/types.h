// Core scalar types, named once (as in the GAP Benchmark Suite).
#pragma once

#include <cstdint>

namespace campaign {

using NodeId = std::uint32_t;     // a person in the audience: 0 .. n-1
using ArcIndex = std::uint64_t;   // position in the CSR arc array (2 per undirected edge)
using Step = std::uint32_t;       // simulation step (day or week)
using Replication = std::uint32_t;

}  // namespace campaign
