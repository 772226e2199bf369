// Assertions and small statistics shared by the test files.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"
#include "results/accumulator.h"
#include "scenario/scenario_loader.h"

namespace campaign::testing {

// The one-line InputError that loading `text` (as "bad.toml") gives; a test failure if
// it loads, or if the message spans lines.
inline std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario_text(text, "bad.toml", overrides);
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "error must be one line: " << message;
    return message;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return "";
}

inline double mean_of(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// Sample standard deviation (n - 1).
inline double sd_of(const std::vector<double>& x) {
  const double m = mean_of(x);
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

// Every series and final of two runs are bit-identical.
inline void expect_identical(const RunAccumulator& a, const RunAccumulator& b) {
  ASSERT_EQ(a.metric_names(), b.metric_names());
  for (std::size_t m = 0; m < a.metric_names().size(); ++m) {
    const SeriesSummary x = a.series(m), y = b.series(m);
    for (const auto member : {&SeriesSummary::mean, &SeriesSummary::sd, &SeriesSummary::p05,
                              &SeriesSummary::p50, &SeriesSummary::p95, &SeriesSummary::ci95_lo,
                              &SeriesSummary::ci95_hi}) {
      EXPECT_EQ(x.*member, y.*member) << a.metric_names()[m];
    }
    EXPECT_EQ(a.finals(m), b.finals(m)) << a.metric_names()[m];
  }
}

}  // namespace campaign::testing
