// An experiment design: which scenario keys a study varies and the values of every point.
// A point is one variant of the scenario; its values are override texts, exactly what
// `--set key=value` takes, so a point runs as `campaign-sim run --set ...` would.
//
// Designs (docs/experiments.md):
//   grid    every combination of the factors' levels, the first factor varying slowest;
//           levels are a list (key=v1,v2,...) or evenly spaced (key=lo:hi:n, lo:hi:n:log).
//   lhs     Latin hypercube: N points, each factor's range cut into N equal strata and
//           every stratum hit exactly once (McKay, Beckman & Conover 1979).
//   sobol   the first N points of a Sobol sequence (Joe & Kuo 2008 direction numbers),
//           scrambled by a random linear matrix and a digital shift (Matousek 1998);
//           the first N points of a larger design are the smaller design.
//   random  N independent uniform points; prefix-stable like sobol.
//   file    one row per point from a CSV file with a column per key.
// Sampled designs take key=lo:hi (or lo:hi:log) ranges and are a pure function of
// (factors, N, design seed). Integer keys get each integer of [lo, hi] with equal
// chance; real values are rounded to 6 significant digits, so names stay readable.
//
//   const Design d = sample_design(DesignKind::sobol, {parse_factor("media.wearout=0.5:1")}, 64, 1);
//   d.points[3][0]  // "0.553459": the value of media.wearout in point 3, as override text
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/key_registry.h"

namespace campaign {

enum class DesignKind { grid, lhs, sobol, random, file };
std::string_view name_of(DesignKind kind);
DesignKind parse_design_kind(const std::string& text);  // InputError naming the allowed ones

// One `--vary key=SPEC`: a list of levels or a numeric range.
struct Factor {
  std::string key;
  ValueKind kind = ValueKind::real;
  std::string spec;                 // as given, for messages and the study manifest
  std::vector<std::string> levels;  // the listed or evenly spaced values (grid)
  bool is_range = false;            // lo:hi (sampled designs), no level count
  double lo = 0, hi = 0;
  bool log = false;
};

// InputError for an unknown key, an empty list, lo > hi, n < 1, a range for a text key,
// an integer range whose rounding repeats a value.
Factor parse_factor(const std::string& text);

struct Design {
  DesignKind kind = DesignKind::grid;
  std::vector<std::string> keys;
  std::vector<ValueKind> kinds;
  std::vector<std::vector<std::string>> points;  // [point][key]: the override text
};

// Every combination (the first factor varying slowest). No factors: one empty point.
Design grid_design(const std::vector<Factor>& factors);
// lhs, sobol or random: `samples` points over the factors' ranges.
Design sample_design(DesignKind kind, const std::vector<Factor>& factors, std::uint64_t samples,
                     std::uint64_t seed);
// One column per key (a header row of keys), one row per point; cells as --set takes
// them (CSV quoting for values with commas, e.g. "[0.1, 0.2]"). Errors name file:line.
Design read_design_file(const std::string& path);

// The Sobol sequence's point `index` (unscrambled), dimension `dim` < SOBOL_DIMENSIONS,
// as a fraction of 2^32: index 0 is 0, 1 is 1/2 in every dimension, ...
inline constexpr std::size_t SOBOL_DIMENSIONS = 64;
std::uint32_t sobol_point(std::uint64_t index, std::size_t dim);

// Keys are unique and no factor is empty; called by the generators.
void check_factors(const std::vector<Factor>& factors);

}  // namespace campaign
