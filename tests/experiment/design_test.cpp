// Experiment designs: factor parsing (exact levels, every documented error), grid order,
// Latin hypercube and scrambled Sobol stratification, Sobol direction numbers against the
// published points, prefix stability, seeds, and design files.
#include "experiment/design.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The one-line InputError that `action` throws; a test failure if it throws none.
std::string input_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "error must be one line: " << message;
    return message;
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

std::string factor_error(const std::string& text) {
  return input_error_of([&] { parse_factor(text); });
}

double number(const std::string& text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_TRUE(ec == std::errc() && end == text.data() + text.size()) << "not a number: " << text;
  return value;
}

std::vector<double> column(const Design& d, std::size_t key) {
  std::vector<double> out;
  for (const auto& point : d.points) out.push_back(number(point.at(key)));
  return out;
}

// Every one of the n = values.size() equal strata of [lo, hi] (of [log lo, log hi] when
// `log`) holds exactly one value. Values are rounded to 6 significant digits, which may
// move a value by half a unit in its 6th digit (relative 5e-6) across a stratum's edge;
// that is the tolerance, in units of a stratum. With the values sorted, the i-th must lie
// in stratum i: then no stratum holds two and none is empty.
void expect_one_per_stratum(std::vector<double> values, double lo, double hi, bool log,
                            const std::string& what) {
  const double n = static_cast<double>(values.size());
  const auto g = [&](double v) { return log ? std::log(v) : v; };
  const double width = g(hi) - g(lo);
  const double tolerance =
      n * (log ? 5e-6 : 5e-6 * std::max(std::abs(lo), std::abs(hi))) / width;  // strata
  std::sort(values.begin(), values.end());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_GE(values[i], lo) << what;
    ASSERT_LE(values[i], hi) << what;
    const double s = (g(values[i]) - g(lo)) / width * n;  // position in strata
    EXPECT_GE(s, static_cast<double>(i) - tolerance) << what << ": sorted value " << i << " = " << values[i];
    EXPECT_LT(s, static_cast<double>(i + 1) + tolerance) << what << ": sorted value " << i << " = " << values[i];
  }
}

// --- parse_factor --------------------------------------------------------------------

TEST(ParseFactor, ListsOfNumbersStringsAndArrays) {
  const Factor t = parse_factor("diffusion.transmission=0.1, 0.2,0.35");
  EXPECT_EQ(t.key, "diffusion.transmission");
  EXPECT_EQ(t.kind, ValueKind::real);
  EXPECT_EQ(t.spec, "0.1, 0.2,0.35");
  EXPECT_FALSE(t.is_range);
  EXPECT_EQ(t.levels, (std::vector<std::string>{"0.1", "0.2", "0.35"}));

  const Factor single = parse_factor("audience.size=500");
  EXPECT_EQ(single.kind, ValueKind::integer);
  EXPECT_EQ(single.levels, std::vector<std::string>{"500"});

  const Factor model = parse_factor("graph.model=erdos_renyi, ring_lattice");
  EXPECT_EQ(model.kind, ValueKind::choice);
  EXPECT_EQ(model.levels, (std::vector<std::string>{"erdos_renyi", "ring_lattice"}));

  // Commas inside [...] or "..." do not split; the text is kept as --set takes it.
  const Factor shares = parse_factor("segments.shares=[0.5, 0.5],[0.3, 0.7]");
  EXPECT_EQ(shares.kind, ValueKind::real_list);
  EXPECT_EQ(shares.levels, (std::vector<std::string>{"[0.5, 0.5]", "[0.3, 0.7]"}));

  const Factor names = parse_factor("run.name=\"a,b\",c");
  EXPECT_EQ(names.kind, ValueKind::text);
  EXPECT_EQ(names.levels, (std::vector<std::string>{"\"a,b\"", "c"}));

  // A ':' in a list is a value, not a range.
  const Factor path = parse_factor("graph.path=\"a:b.txt\",c.txt");
  EXPECT_FALSE(path.is_range);
  EXPECT_EQ(path.levels, (std::vector<std::string>{"\"a:b.txt\"", "c.txt"}));
}

TEST(ParseFactor, EvenlySpacedLevelsAreExact) {
  EXPECT_EQ(parse_factor("diffusion.transmission=0:1:5").levels,
            (std::vector<std::string>{"0", "0.25", "0.5", "0.75", "1"}));
  EXPECT_EQ(parse_factor("diffusion.transmission=0.1:0.3:3").levels,
            (std::vector<std::string>{"0.1", "0.2", "0.3"}));
  // n = 1 is lo alone.
  EXPECT_EQ(parse_factor("diffusion.transmission=0.2:0.9:1").levels, std::vector<std::string>{"0.2"});
  const Factor f = parse_factor("diffusion.transmission=0.1:0.3:3");
  EXPECT_FALSE(f.is_range);
  EXPECT_DOUBLE_EQ(f.lo, 0.1);
  EXPECT_DOUBLE_EQ(f.hi, 0.3);
  EXPECT_FALSE(f.log);
}

TEST(ParseFactor, LogSpacedLevelsAreGeometric) {
  const Factor f = parse_factor("graph.mean_degree=1:1000:4:log");
  EXPECT_TRUE(f.log);
  EXPECT_EQ(f.levels, (std::vector<std::string>{"1", "10", "100", "1000"}));
  EXPECT_EQ(parse_factor("diffusion.transmission=0.01:1:3:log").levels,
            (std::vector<std::string>{"0.01", "0.1", "1"}));
  EXPECT_EQ(parse_factor("audience.size=10:10000:4:log").levels,
            (std::vector<std::string>{"10", "100", "1000", "10000"}));
}

TEST(ParseFactor, IntegerKeysAreRoundedToTheNearestInteger) {
  // 100 + 100 i / 3: 133.33 -> 133, 166.67 -> 167.
  EXPECT_EQ(parse_factor("audience.size=100:200:4").levels,
            (std::vector<std::string>{"100", "133", "167", "200"}));
  // 2 x 10^(1/2) = 6.32 -> 6 (log spaced, then rounded).
  EXPECT_EQ(parse_factor("audience.size=2:20:3:log").levels,
            (std::vector<std::string>{"2", "6", "20"}));
}

TEST(ParseFactor, RangesWithoutACountAreForSampledDesigns) {
  const Factor f = parse_factor("diffusion.transmission=0.1:0.3");
  EXPECT_TRUE(f.is_range);
  EXPECT_TRUE(f.levels.empty());
  EXPECT_DOUBLE_EQ(f.lo, 0.1);
  EXPECT_DOUBLE_EQ(f.hi, 0.3);
  EXPECT_FALSE(f.log);
  const Factor g = parse_factor("graph.mean_degree=2:50:log");
  EXPECT_TRUE(g.is_range);
  EXPECT_TRUE(g.log);
  EXPECT_DOUBLE_EQ(g.lo, 2);
  EXPECT_DOUBLE_EQ(g.hi, 50);
  // lo = hi is a range of one value, not an error.
  EXPECT_TRUE(parse_factor("diffusion.transmission=0.2:0.2").is_range);
}

TEST(ParseFactor, UnknownKeyNamesItAndTheNearestKey) {
  const std::string m = factor_error("diffusion.transmision=0.1,0.2");
  EXPECT_THAT(m, StartsWith("--vary diffusion.transmision=0.1,0.2: "));
  EXPECT_THAT(m, HasSubstr("diffusion.transmision is not a scenario key"));
  EXPECT_THAT(m, HasSubstr("did you mean diffusion.transmission?"));
  EXPECT_THAT(factor_error("0.1,0.2"), HasSubstr("expected section.key=v1,v2"));
  EXPECT_THAT(factor_error("=0.1"), HasSubstr("expected section.key=v1,v2"));
}

TEST(ParseFactor, EmptyListsAndEmptyValuesAreErrors) {
  EXPECT_THAT(factor_error("diffusion.transmission="), HasSubstr("no values"));
  EXPECT_THAT(factor_error("diffusion.transmission=0.1,,0.2"), HasSubstr("an empty value in the list"));
  EXPECT_THAT(factor_error("diffusion.transmission=0.1, "), HasSubstr("an empty value in the list"));
}

TEST(ParseFactor, LoAboveHiIsAnError) {
  const std::string m = factor_error("diffusion.transmission=0.5:0.1:3");
  EXPECT_THAT(m, HasSubstr("--vary diffusion.transmission=0.5:0.1:3"));
  EXPECT_THAT(m, HasSubstr("lo 0.5 is above hi 0.1"));
  EXPECT_THAT(factor_error("diffusion.transmission=0.5:0.1"), HasSubstr("lo 0.5 is above hi 0.1"));
}

TEST(ParseFactor, LevelCountBelowOneOrNotAnIntegerIsAnError) {
  EXPECT_THAT(factor_error("diffusion.transmission=0.1:0.5:0"), HasSubstr("n = 0 is not allowed"));
  EXPECT_THAT(factor_error("diffusion.transmission=0.1:0.5:-2"), HasSubstr("n = -2 is not allowed"));
  EXPECT_THAT(factor_error("diffusion.transmission=0.1:0.5:2.5"), HasSubstr("n = 2.5 is not allowed"));
}

TEST(ParseFactor, MalformedRangesAreErrors) {
  for (const char* bad : {"diffusion.transmission=0.1:x:3", "diffusion.transmission=0.1:",
                          "diffusion.transmission=0.1:0.2:3:4", "diffusion.transmission=0.1:log"}) {
    EXPECT_THAT(factor_error(bad), HasSubstr("a range is lo:hi")) << bad;
  }
  EXPECT_THAT(factor_error("diffusion.transmission=0:1:3:log"), HasSubstr("a log range needs lo > 0"));
  EXPECT_THAT(factor_error("audience.size=1.2:1.8"), HasSubstr("no integer lies in 1.2 .. 1.8"));
}

TEST(ParseFactor, RangeForATextOrChoiceKeyIsAnError) {
  const std::string m = factor_error("graph.path=a.txt:b.txt");
  EXPECT_THAT(m, HasSubstr("graph.path takes"));
  EXPECT_THAT(m, HasSubstr("not a numeric range"));
  EXPECT_THAT(factor_error("graph.model=erdos_renyi:ring_lattice"), HasSubstr("not a numeric range"));
  EXPECT_THAT(factor_error("run.name=a:b:3"), HasSubstr("not a numeric range"));
}

TEST(ParseFactor, IntegerRoundingThatRepeatsALevelIsAnError) {
  // 1, 1.5, 2, 2.5, 3 round to 1, 2, 2, ...
  const std::string m = factor_error("audience.size=1:3:5");
  EXPECT_THAT(m, HasSubstr("5 levels of an integer key repeat 2 after rounding"));
  // The same count of real levels is fine.
  EXPECT_EQ(parse_factor("graph.mean_degree=1:3:5").levels.size(), 5u);
}

TEST(ParseFactor, ARepeatedValueIsAnError) {
  EXPECT_THAT(factor_error("diffusion.transmission=0.1,0.2,0.1"), HasSubstr("the value 0.1 is listed twice"));
  EXPECT_THAT(factor_error("graph.model=complete, complete"), HasSubstr("the value complete is listed twice"));
}

TEST(ParseDesignKind, NamesAndErrors) {
  EXPECT_EQ(parse_design_kind("grid"), DesignKind::grid);
  EXPECT_EQ(parse_design_kind("lhs"), DesignKind::lhs);
  EXPECT_EQ(parse_design_kind("sobol"), DesignKind::sobol);
  EXPECT_EQ(parse_design_kind("random"), DesignKind::random);
  for (DesignKind k : {DesignKind::grid, DesignKind::lhs, DesignKind::sobol, DesignKind::random}) {
    EXPECT_EQ(parse_design_kind(std::string(name_of(k))), k);
  }
  const std::string m = input_error_of([] { parse_design_kind("halton"); });
  EXPECT_THAT(m, HasSubstr("--design halton is not a design"));
  EXPECT_THAT(m, HasSubstr("allowed: grid, lhs, sobol, random"));
  // A file design comes from --design-file, not --design.
  EXPECT_THAT(input_error_of([] { parse_design_kind("file"); }), HasSubstr("is not a design"));
}

// --- grid ----------------------------------------------------------------------------

TEST(GridDesign, EveryCombinationWithTheFirstFactorVaryingSlowest) {
  const Design d = grid_design({parse_factor("audience.size=100,200"),
                                parse_factor("diffusion.transmission=0.1,0.2,0.3"),
                                parse_factor("graph.model=complete,ring_lattice")});
  EXPECT_EQ(d.kind, DesignKind::grid);
  EXPECT_EQ(d.keys, (std::vector<std::string>{"audience.size", "diffusion.transmission", "graph.model"}));
  EXPECT_EQ(d.kinds, (std::vector<ValueKind>{ValueKind::integer, ValueKind::real, ValueKind::choice}));
  ASSERT_EQ(d.points.size(), 2u * 3u * 2u);
  const std::vector<std::string> sizes = {"100", "200"}, ts = {"0.1", "0.2", "0.3"},
                                 models = {"complete", "ring_lattice"};
  std::size_t i = 0;
  for (const auto& size : sizes) {
    for (const auto& t : ts) {
      for (const auto& model : models) {
        EXPECT_EQ(d.points[i], (std::vector<std::string>{size, t, model})) << "point " << i;
        ++i;
      }
    }
  }
}

TEST(GridDesign, NoFactorsIsOneEmptyPoint) {
  const Design d = grid_design({});
  ASSERT_EQ(d.points.size(), 1u);
  EXPECT_TRUE(d.points[0].empty());
  EXPECT_TRUE(d.keys.empty());
}

TEST(GridDesign, RangesAndRepeatedKeysAreErrors) {
  EXPECT_THAT(input_error_of([] { grid_design({parse_factor("diffusion.transmission=0.1:0.3")}); }),
              HasSubstr("a grid needs levels"));
  EXPECT_THAT(input_error_of([] {
                grid_design({parse_factor("diffusion.transmission=0.1,0.2"),
                             parse_factor("diffusion.transmission=0.3")});
              }),
              HasSubstr("--vary diffusion.transmission: the key is varied twice"));
}

// --- sampled designs -----------------------------------------------------------------

const std::vector<std::string> RANGES = {"diffusion.transmission=0.05:0.35", "graph.mean_degree=1:1000:log",
                                         "media.wearout=0.5:1", "diffusion.q=0:0.2"};

std::vector<Factor> range_factors() {
  std::vector<Factor> out;
  for (const auto& r : RANGES) out.push_back(parse_factor(r));
  return out;
}

TEST(LatinHypercube, EachOfTheNStrataOfEveryDimensionIsHitOnce) {
  const std::vector<Factor> factors = range_factors();
  for (std::uint64_t n : {1u, 2u, 7u, 50u, 333u}) {
    for (std::uint64_t seed : {1u, 99u}) {
      const Design d = sample_design(DesignKind::lhs, factors, n, seed);
      ASSERT_EQ(d.points.size(), n);
      EXPECT_EQ(d.kind, DesignKind::lhs);
      EXPECT_EQ(d.keys[1], "graph.mean_degree");
      for (std::size_t j = 0; j < factors.size(); ++j) {
        expect_one_per_stratum(column(d, j), factors[j].lo, factors[j].hi, factors[j].log,
                               RANGES[j] + " n=" + std::to_string(n) + " seed=" + std::to_string(seed));
      }
    }
  }
}

TEST(LatinHypercube, IntegerKeyWithOneStratumPerIntegerTakesEachIntegerOnce) {
  const Design d = sample_design(DesignKind::lhs, {parse_factor("audience.size=11:30")}, 20, 5);
  std::multiset<std::string> values;
  for (const auto& p : d.points) values.insert(p[0]);
  std::multiset<std::string> expected;
  for (int v = 11; v <= 30; ++v) expected.insert(std::to_string(v));
  EXPECT_EQ(values, expected);
}

TEST(Sobol, UnscrambledPointsEqualThePublishedSequence) {
  // scipy.stats.qmc.Sobol(d=4, scramble=False).random(8) (Joe & Kuo 2008 direction numbers).
  const double expected[4][8] = {{0, .5, .75, .25, .375, .875, .625, .125},
                                 {0, .5, .25, .75, .375, .875, .125, .625},
                                 {0, .5, .25, .75, .625, .125, .875, .375},
                                 {0, .5, .25, .75, .875, .375, .625, .125}};
  for (std::size_t dim = 0; dim < 4; ++dim) {
    for (std::uint64_t i = 0; i < 8; ++i) {
      EXPECT_EQ(std::ldexp(static_cast<double>(sobol_point(i, dim)), -32), expected[dim][i])
          << "point " << i << " dim " << dim;
    }
  }
}

TEST(Sobol, UnscrambledSequenceIsANetInEveryDimension) {
  // Each coordinate of the first 2^m points has distinct leading m bits ((0,m,1)-net),
  // in all 64 dimensions; dimensions 0 and 1 together are a (0,m,2)-net: each of the
  // 2^m elementary boxes 2^-a x 2^-(m-a) holds one point.
  for (std::size_t dim = 0; dim < SOBOL_DIMENSIONS; ++dim) {
    for (int m = 1; m <= 10; ++m) {
      std::set<std::uint32_t> tops;
      for (std::uint64_t i = 0; i < (std::uint64_t{1} << m); ++i) tops.insert(sobol_point(i, dim) >> (32 - m));
      EXPECT_EQ(tops.size(), std::size_t{1} << m) << "dim " << dim << " m " << m;
    }
  }
  for (int m = 1; m <= 10; ++m) {
    for (int a = 0; a <= m; ++a) {
      std::set<std::pair<std::uint32_t, std::uint32_t>> boxes;
      for (std::uint64_t i = 0; i < (std::uint64_t{1} << m); ++i) {
        const std::uint32_t x = a == 0 ? 0 : sobol_point(i, 0) >> (32 - a);
        const std::uint32_t y = a == m ? 0 : sobol_point(i, 1) >> (32 - (m - a));
        boxes.insert({x, y});
      }
      EXPECT_EQ(boxes.size(), std::size_t{1} << m) << "m " << m << " a " << a;
    }
  }
  EXPECT_THROW(sobol_point(0, SOBOL_DIMENSIONS), std::out_of_range);
}

TEST(Sobol, ScrambledPointsLieInTheRangeAndEveryPowerOfTwoPrefixIsStratified) {
  const std::vector<Factor> factors = range_factors();
  for (std::uint64_t seed : {1u, 2u, 12345u}) {
    const Design d = sample_design(DesignKind::sobol, factors, 512, seed);
    ASSERT_EQ(d.points.size(), 512u);
    for (std::size_t j = 0; j < factors.size(); ++j) {
      const std::vector<double> all = column(d, j);
      for (double v : all) {
        ASSERT_GE(v, factors[j].lo);
        ASSERT_LE(v, factors[j].hi);
      }
      for (std::size_t k = 0; k <= 9; ++k) {
        const std::vector<double> prefix(all.begin(), all.begin() + (std::ptrdiff_t{1} << k));
        expect_one_per_stratum(prefix, factors[j].lo, factors[j].hi, factors[j].log,
                               RANGES[j] + " first 2^" + std::to_string(k) + " seed " + std::to_string(seed));
      }
    }
  }
}

TEST(Sobol, IntegerKeyIsExactlyBalanced) {
  // 4096 = 2^12 points: each quarter of [0, 1) holds 1024, and floor(1 + 4u) maps them
  // to 1, 2, 3, 4.
  const Design d = sample_design(DesignKind::sobol, {parse_factor("audience.size=1:4")}, 4096, 3);
  std::map<std::string, int> counts;
  for (const auto& p : d.points) ++counts[p[0]];
  EXPECT_EQ(counts, (std::map<std::string, int>{{"1", 1024}, {"2", 1024}, {"3", 1024}, {"4", 1024}}));
}

TEST(SampledDesigns, ScramblingDependsOnTheSeed) {
  const std::vector<Factor> factors = range_factors();
  const Design a = sample_design(DesignKind::sobol, factors, 64, 1);
  const Design b = sample_design(DesignKind::sobol, factors, 64, 2);
  // Not the unscrambled points either: point 0 of an unscrambled Sobol design is lo.
  EXPECT_NE(a.points[0][0], "0.05");
  EXPECT_NE(a.points, b.points);
}

TEST(SampledDesigns, FirstNPointsOfALargerDesignAreTheSmallerDesign) {
  const std::vector<Factor> factors = range_factors();
  for (DesignKind kind : {DesignKind::sobol, DesignKind::random}) {
    for (std::uint64_t n : {1u, 5u, 64u, 100u}) {
      const Design small = sample_design(kind, factors, n, 77);
      const Design large = sample_design(kind, factors, 2 * n, 77);
      ASSERT_EQ(large.points.size(), 2 * n);
      const std::vector<std::vector<std::string>> prefix(large.points.begin(),
                                                         large.points.begin() + static_cast<std::ptrdiff_t>(n));
      EXPECT_EQ(prefix, small.points) << name_of(kind) << " n " << n;
      EXPECT_EQ(small.keys, large.keys);
    }
  }
}

TEST(SampledDesigns, SameSeedSamePointsAndAnotherSeedOtherPoints) {
  const std::vector<Factor> factors = range_factors();
  for (DesignKind kind : {DesignKind::lhs, DesignKind::sobol, DesignKind::random}) {
    const Design a = sample_design(kind, factors, 40, 8);
    const Design b = sample_design(kind, factors, 40, 8);
    const Design c = sample_design(kind, factors, 40, 9);
    EXPECT_EQ(a.points, b.points) << name_of(kind);
    ASSERT_EQ(c.points.size(), a.points.size());
    // Every coordinate differs somewhere; most points differ in every coordinate.
    std::size_t points_that_differ = 0;
    for (std::size_t i = 0; i < a.points.size(); ++i) points_that_differ += a.points[i] != c.points[i];
    EXPECT_GE(points_that_differ, 35u) << name_of(kind);
  }
}

TEST(SampledDesigns, RandomPointsLieInTheRangeAndLogRangesAreUniformInLogSpace) {
  // 20000 uniform points of [1, 1000] in log space: the share below 10 and below 100 is
  // 1/3 and 2/3; binomial sd = sqrt(20000 p (1-p)) = 66.7 points, tolerance 5 sd.
  const std::vector<Factor> factors = {parse_factor("graph.mean_degree=1:1000:log"),
                                       parse_factor("diffusion.transmission=0.2:0.4")};
  const Design d = sample_design(DesignKind::random, factors, 20000, 4);
  int below10 = 0, below100 = 0, below03 = 0;
  for (const auto& p : d.points) {
    const double x = number(p[0]), t = number(p[1]);
    ASSERT_GE(x, 1);
    ASSERT_LE(x, 1000);
    ASSERT_GE(t, 0.2);
    ASSERT_LE(t, 0.4);
    below10 += x < 10;
    below100 += x < 100;
    below03 += t < 0.3;
  }
  const double sd = std::sqrt(20000.0 * (1.0 / 3) * (2.0 / 3));
  EXPECT_NEAR(below10, 20000.0 / 3, 5 * sd);
  EXPECT_NEAR(below100, 2 * 20000.0 / 3, 5 * sd);
  EXPECT_NEAR(below03, 10000.0, 5 * std::sqrt(20000 * 0.25));
}

TEST(SampledDesigns, LogIntegerRangeGivesEachIntegerItsLogShare) {
  // audience.size=1:9:log: P(k) = (log(k+1) - log k) / log 10 (Benford's law), from
  // floor(exp(u log 10)). 50000 random points, tolerance 5 binomial sd per integer.
  const Design d = sample_design(DesignKind::random, {parse_factor("audience.size=1:9:log")}, 50000, 6);
  std::map<int, int> counts;
  for (const auto& p : d.points) ++counts[static_cast<int>(number(p[0]))];
  ASSERT_EQ(counts.size(), 9u);
  for (int k = 1; k <= 9; ++k) {
    const double p = std::log10(k + 1.0) - std::log10(k);
    EXPECT_NEAR(counts[k], 50000 * p, 5 * std::sqrt(50000 * p * (1 - p))) << k;
  }
}

TEST(SampledDesigns, RealValuesHaveAtMostSixSignificantDigits) {
  const Design d = sample_design(DesignKind::random, {parse_factor("diffusion.transmission=0.1:0.3")}, 200, 1);
  for (const auto& p : d.points) {
    std::string digits;
    for (char c : p[0]) {
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    digits.erase(0, digits.find_first_not_of('0'));
    EXPECT_LE(digits.size(), 6u) << p[0];
  }
}

TEST(SampledDesigns, Errors) {
  const std::vector<Factor> factors = range_factors();
  EXPECT_THAT(input_error_of([&] { sample_design(DesignKind::lhs, factors, 0, 1); }),
              HasSubstr("--samples 0 is not allowed"));
  EXPECT_THAT(input_error_of([&] { sample_design(DesignKind::sobol, {}, 8, 1); }),
              HasSubstr("--design sobol: needs --vary key=lo:hi"));
  EXPECT_THAT(input_error_of([&] {
                sample_design(DesignKind::random, {parse_factor("diffusion.transmission=0.1,0.2")}, 8, 1);
              }),
              HasSubstr("--design random samples ranges"));
  std::vector<Factor> many;
  for (std::size_t i = 0; i <= SOBOL_DIMENSIONS; ++i) {
    Factor f = factors[0];
    f.key = scenario_keys().at(i).key;  // distinct keys: check_factors only compares keys
    many.push_back(f);
  }
  EXPECT_THAT(input_error_of([&] { sample_design(DesignKind::sobol, many, 8, 1); }),
              HasSubstr("65 keys varied; at most 64"));
}

// --- design files --------------------------------------------------------------------

class DesignFile : public testing::TempDirTest {};

TEST_F(DesignFile, HeaderOfKeysQuotedCellsBomCommentsAndCrlf) {
  const std::string file = write("points.csv",
                                 "\xEF\xBB\xBF"
                                 "diffusion.transmission, segments.shares ,graph.model\r\n"
                                 "# a comment line\r\n"
                                 "0.1,\"[0.5, 0.5]\",erdos_renyi\r\n"
                                 "\r\n"
                                 " 0.25 ,\"[0.3, 0.7]\",\"ring_lattice\"\r\n"
                                 "0.3,\"[0.2,0.8]\",\"a \"\"quoted\"\" one\"\n")
                               .string();
  const Design d = read_design_file(file);
  EXPECT_EQ(d.kind, DesignKind::file);
  EXPECT_EQ(d.keys, (std::vector<std::string>{"diffusion.transmission", "segments.shares", "graph.model"}));
  EXPECT_EQ(d.kinds, (std::vector<ValueKind>{ValueKind::real, ValueKind::real_list, ValueKind::choice}));
  ASSERT_EQ(d.points.size(), 3u);
  EXPECT_EQ(d.points[0], (std::vector<std::string>{"0.1", "[0.5, 0.5]", "erdos_renyi"}));
  EXPECT_EQ(d.points[1], (std::vector<std::string>{"0.25", "[0.3, 0.7]", "ring_lattice"}));
  EXPECT_EQ(d.points[2], (std::vector<std::string>{"0.3", "[0.2,0.8]", "a \"quoted\" one"}));
}

TEST_F(DesignFile, UnknownColumnNamesFileAndLine) {
  const std::string file = write("points.csv", "# keys\ndiffusion.transmission,graph.mean_degre\n0.1,3\n").string();
  const std::string m = input_error_of([&] { read_design_file(file); });
  EXPECT_THAT(m, StartsWith(file + ":2: "));
  EXPECT_THAT(m, HasSubstr("column graph.mean_degre is not a scenario key; did you mean graph.mean_degree?"));
}

TEST_F(DesignFile, RepeatedColumnIsAnError) {
  const std::string file = write("points.csv", "diffusion.transmission,diffusion.transmission\n0.1,0.2\n").string();
  EXPECT_THAT(input_error_of([&] { read_design_file(file); }),
              AllOf(StartsWith(file + ":1: "), HasSubstr("column diffusion.transmission appears twice")));
}

TEST_F(DesignFile, BadCellNamesFileLineAndColumn) {
  const std::string file = write("points.csv", "diffusion.transmission,audience.size\n0.1,100\n0.2,lots\n").string();
  const std::string m = input_error_of([&] { read_design_file(file); });
  EXPECT_THAT(m, StartsWith(file + ":3: "));
  EXPECT_THAT(m, HasSubstr("column audience.size = 'lots' is not a number"));
  const std::string empty_cell = write("empty.csv", "diffusion.transmission,audience.size\n0.1,\n").string();
  EXPECT_THAT(input_error_of([&] { read_design_file(empty_cell); }),
              AllOf(StartsWith(empty_cell + ":2: "), HasSubstr("column audience.size is empty")));
  const std::string open_quote = write("quote.csv", "graph.model\n\"complete\n").string();
  EXPECT_THAT(input_error_of([&] { read_design_file(open_quote); }),
              AllOf(StartsWith(open_quote + ":2: "), HasSubstr("a quoted field is not closed")));
}

TEST_F(DesignFile, ShortAndLongRowsNameFileAndLine) {
  const std::string file = write("points.csv", "diffusion.transmission,audience.size\n0.1,100\n\n0.2\n").string();
  EXPECT_THAT(input_error_of([&] { read_design_file(file); }),
              AllOf(StartsWith(file + ":4: "), HasSubstr("1 cells, the header has 2 columns")));
  const std::string long_row = write("long.csv", "diffusion.transmission\n0.1,100\n").string();
  EXPECT_THAT(input_error_of([&] { read_design_file(long_row); }),
              AllOf(StartsWith(long_row + ":2: "), HasSubstr("2 cells, the header has 1 columns")));
}

TEST_F(DesignFile, EmptyFileHeaderOnlyAndMissingFileAreErrors) {
  for (const char* text : {"", "\xEF\xBB\xBF", "# nothing\n\n", "diffusion.transmission\n"}) {
    const std::string file = write("points.csv", text).string();
    const std::string m = input_error_of([&] { read_design_file(file); });
    EXPECT_THAT(m, HasSubstr(file)) << "text: " << text;
    EXPECT_THAT(m, HasSubstr("needs a header row of keys and at least one row of values")) << "text: " << text;
  }
  const std::string missing = path("missing.csv");
  EXPECT_THAT(input_error_of([&] { read_design_file(missing); }),
              AllOf(HasSubstr(missing), HasSubstr("cannot be read")));
}

}  // namespace
}  // namespace campaign
