// `compare`: strategy variants side by side on common random numbers (docs/compare.md).
// The variants are a study (experiment/study.h) run into OUT like a sweep's, so a
// comparison survives a kill and resumes; the statistics (experiment/comparison.h) are
// computed from every variant's per-replication finals as the file is written, stored
// under /compare, and printed as a table and a paragraph.
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <regex>
#include <set>

#include "cli/cluster.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/shards.h"
#include "cli/study_file.h"
#include "core/error.h"
#include "core/text.h"
#include "experiment/comparison.h"
#include "experiment/seeding_value.h"
#include "experiment/selection.h"
#include "experiment/study.h"
#include "experiment/study_store.h"
#include "io/output_file.h"
#include "model/campaign.h"
#include "model/metrics.h"
#include "model/model.h"

namespace campaign {
namespace {

// "NAME:key=value[,key=value...]": the name and its overrides. A comma splits only where
// a key follows (`section.key=`), so values may hold commas ("[0.5, 0.5]").
VariantSource parse_variant(const std::string& text) {
  const auto colon = text.find(':');
  static const std::regex name_pattern("[A-Za-z0-9_.+-]+");
  if (colon == std::string::npos || !std::regex_match(text.substr(0, colon), name_pattern)) {
    throw InputError(fmt::format("--variant {}: expected NAME:key=value[,key=value...], the name of "
                                 "letters, digits and _.+-",
                                 excerpt(text, 80)));
  }
  VariantSource source;
  source.name = text.substr(0, colon);
  const std::string rest = text.substr(colon + 1);
  static const std::regex next_key(",\\s*[A-Za-z_]+\\.[A-Za-z_]+\\s*=");
  std::size_t at = 0;
  while (at < rest.size()) {
    std::smatch m;
    const std::string tail = rest.substr(at);
    const bool more = std::regex_search(tail, m, next_key);
    const std::size_t end = more ? at + static_cast<std::size_t>(m.position(0)) : rest.size();
    std::string assignment = rest.substr(at, end - at);
    assignment.erase(0, std::min(assignment.find_first_not_of(' '), assignment.size()));
    assignment.erase(assignment.find_last_not_of(' ') + 1);
    if (assignment.find('=') == std::string::npos) {
      throw InputError(fmt::format("--variant {}: {} is not key=value", excerpt(text, 80), excerpt(assignment, 40)));
    }
    source.sets.push_back(assignment);
    at = more ? end + 1 : rest.size();
  }
  return source;
}

struct ChosenMetric {
  std::string name;
  Better better;
};

// "profit", "profit:max", "cac:min".
// "--metrics custmers: not a metric of the campaign model; did you mean customers?
// metrics: cpl, cac, roi, newly_adopted, ...": the derived finals first, so that a cut
// line keeps them.
InputError unknown_metric(const std::string& option, const std::string& name, bool campaign) {
  std::vector<std::string> known;
  if (campaign) known = {"cpl", "cac", "roi"};
  for (const std::string& n : campaign ? campaign_metric_names() : diffusion_metric_names()) known.push_back(n);
  std::string list;
  for (const std::string& n : known) list += (list.empty() ? "" : ", ") + n;
  const std::string near = closest_name(name, known);
  return InputError(fmt::format("{} {}: not a metric of the {} model;{} metrics: {}", option, excerpt(name, 40),
                                campaign ? "campaign" : "diffusion",
                                near.empty() ? "" : " did you mean " + near + "?", list));
}

ChosenMetric parse_objective(const std::string& text, bool campaign) {
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const MetricInfo* info = find_metric(campaign, name);
  if (info == nullptr) throw unknown_metric("--objective", name, campaign);
  Better better = info->better;
  if (colon != std::string::npos) {
    const std::string way = text.substr(colon + 1);
    if (way != "max" && way != "min") {
      throw InputError(fmt::format("--objective {}: the direction must be max or min", excerpt(text, 40)));
    }
    better = way == "max" ? Better::higher : Better::lower;
  }
  if (better == Better::neither) {
    throw InputError(fmt::format("--objective {}: {} is not a goal either way; say which is better with "
                                 "{}:max or {}:min",
                                 excerpt(text, 40), name, name, name));
  }
  return {name, better};
}

std::string signed_number(double x, int decimals) {
  return fmt::format("{}{:.{}f}", x >= 0 ? "+" : "", x, decimals);
}

// Decimals that show a value of this size sensibly.
int decimals_for(double scale) {
  const double a = std::abs(scale);
  return a >= 1000 ? 0 : a >= 10 ? 1 : a >= 0.1 ? 3 : 4;
}

// SplitMix64 of (seed, i): a seed per variant that no other variant's (seed, i) gives
// by accident (seed + i would: seeds 1 and 0 at i = 0 and 1). Below 2^63, as run.seed
// takes it.
std::uint64_t independent_seed(std::uint64_t seed, std::size_t i) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (i + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (z ^ (z >> 31)) >> 1;
}

// Words filled into lines of at most `width` columns.
// Leading spaces indent every line.
std::string wrapped(const std::string& text, std::size_t width = 100) {
  const std::size_t indent = std::min(text.find_first_not_of(' '), text.size());
  const std::string margin(indent, ' ');
  std::string out, line = margin;
  std::size_t at = indent;
  while (at < text.size()) {
    const std::size_t space = std::min(text.find(' ', at), text.size());
    const std::string word = text.substr(at, space - at);
    if (line.size() > indent && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = margin;
    }
    line += (line.size() == indent ? "" : " ") + word;
    at = space + 1;
  }
  return out + line + "\n";
}

std::string probability(double p) {
  if (std::isnan(p)) return "";
  if (p >= 0.9995) return ">0.999";
  if (p < 0.0005) return "<0.001";
  return fmt::format("{:.3f}", p);
}

// Each constraint's share of every variant, and who meets them all (input.eligible).
std::vector<std::vector<ConstraintShare>> constraint_shares(const std::vector<Constraint>& constraints,
                                                           const std::vector<std::size_t>& constraint_metric,
                                                           ComparisonInput& input) {
  const std::size_t variants = input.variants.size();
  std::vector<std::vector<ConstraintShare>> shares(constraints.size(), std::vector<ConstraintShare>(variants));
  input.eligible.assign(constraints.empty() ? 0 : variants, true);
  for (std::size_t c = 0; c < constraints.size(); ++c) {
    for (std::size_t v = 0; v < variants; ++v) {
      shares[c][v] = constraint_share(constraints[c], input.values[constraint_metric[c]][v]);
      input.eligible[v] = input.eligible[v] && shares[c][v].meets;
    }
  }
  return shares;
}

// /compare's tables (docs/hdf5-layout.md) from the comparison.
CompareTables compare_tables(const ComparisonInput& input, const Comparison& c, const std::string& objective,
                             const std::vector<Constraint>& constraints,
                             const std::vector<std::vector<ConstraintShare>>& shares, const SelectionResult* selected,
                             const SelectionOptions& selection) {
  const std::size_t variants = input.variants.size();
  CompareTables tables;
  tables.baseline = input.variants[input.baseline];
  tables.objective = objective;
  tables.paired = input.paired;
  tables.bootstrap_resamples = input.bootstrap_resamples;
  tables.bootstrap_seed = input.bootstrap_seed;
  if (!constraints.empty()) {
    std::vector<std::string> c_text, c_variant;
    std::vector<double> c_share, c_lo, c_hi;
    std::vector<std::int64_t> c_meets;
    for (std::size_t k = 0; k < constraints.size(); ++k) {
      for (std::size_t v = 0; v < variants; ++v) {
        c_text.push_back(constraints[k].text);
        c_variant.push_back(input.variants[v]);
        c_share.push_back(shares[k][v].share);
        c_lo.push_back(shares[k][v].ci_lo);
        c_hi.push_back(shares[k][v].ci_hi);
        c_meets.push_back(shares[k][v].meets ? 1 : 0);
      }
    }
    tables.constraints = {{"constraint", c_text}, {"variant", c_variant}, {"share", c_share},
                          {"ci95_lo", c_lo},       {"ci95_hi", c_hi},         {"meets", c_meets}};
  }
  std::vector<std::string> metric, variant, other, better;
  std::vector<std::int64_t> n, wins, ties, losses, paired_n;
  std::vector<double> cols[20];
  for (std::size_t m = 0; m < input.metrics.size(); ++m) {
    const MetricComparison& mc = c.metrics[m];
    for (std::size_t v = 0; v < variants; ++v) {
      const VariantFigures& f = mc.variants[v];
      metric.push_back(input.metrics[m].name);
      variant.push_back(input.variants[v]);
      better.push_back(std::string(name_of(input.metrics[m].better)));
      n.push_back(static_cast<std::int64_t>(f.n));
      const double values[] = {f.mean,       f.sd,         f.ci_lo,     f.ci_hi,       f.diff,
                               f.diff_ci_lo, f.diff_ci_hi, f.relative_diff, f.ratio_of_means, f.rom_ci_lo,
                               f.rom_ci_hi,  f.tail05,     f.cvar05,    f.p_negative,  f.p_best,
                               f.correlation, f.crn_factor};
      for (std::size_t k = 0; k < std::size(values); ++k) cols[k].push_back(values[k]);
      for (std::size_t w = 0; w < variants; ++w) {
        if (w == v || input.metrics[m].better == Better::neither) continue;
        other.push_back(input.variants[w]);
        wins.push_back(static_cast<std::int64_t>(mc.wins[v][w]));
        ties.push_back(static_cast<std::int64_t>(mc.ties[v][w]));
        losses.push_back(static_cast<std::int64_t>(mc.wins[w][v]));
        paired_n.push_back(static_cast<std::int64_t>(mc.paired_replications));
      }
    }
  }
  const char* names[] = {"mean",        "sd",          "ci95_lo",      "ci95_hi",        "diff",
                         "diff_ci95_lo", "diff_ci95_hi", "relative_diff", "ratio_of_means", "ratio_ci95_lo",
                         "ratio_ci95_hi", "tail05",      "cvar05",       "p_negative",     "p_best",
                         "correlation",  "crn_factor"};
  tables.summary = {{"metric", metric}, {"variant", variant}, {"better", better}, {"n", n}};
  for (std::size_t k = 0; k < std::size(names); ++k) tables.summary.push_back({names[k], std::move(cols[k])});
  // The win table's metric and variant columns, one row per ordered pair.
  std::vector<std::string> win_metric, win_variant;
  for (std::size_t m = 0; m < input.metrics.size(); ++m) {
    if (input.metrics[m].better == Better::neither) continue;
    for (std::size_t v = 0; v < variants; ++v) {
      for (std::size_t w = 0; w < variants; ++w) {
        if (w == v) continue;
        win_metric.push_back(input.metrics[m].name);
        win_variant.push_back(input.variants[v]);
      }
    }
  }
  tables.wins = {{"metric", win_metric}, {"variant", win_variant}, {"other", other}, {"wins", wins},
                 {"ties", ties},         {"losses", losses},       {"replications", paired_n}};
  if (selected) {
    const SelectionResult& r = *selected;
    std::vector<std::int64_t> used, out_at, chosen_flag;
    for (std::size_t v = 0; v < variants; ++v) {
      used.push_back(static_cast<std::int64_t>(r.replications[v]));
      out_at.push_back(static_cast<std::int64_t>(r.eliminated_at[v]));
      chosen_flag.push_back(v == r.selected ? 1 : 0);
    }
    tables.selection = {{"variant", input.variants}, {"replications", used}, {"eliminated_at", out_at},
                        {"selected", chosen_flag}};
    tables.selected = input.variants[r.selected];
    tables.selection_figures = {{"indifference", selection.indifference},
                                {"confidence", selection.confidence},
                                {"first_stage", static_cast<double>(selection.first_stage)},
                                {"max_replications", static_cast<double>(selection.max_replications)},
                                {"eta", r.eta},
                                {"h2", r.h2},
                                {"fixed_per_variant", static_cast<double>(r.fixed_per_variant)},
                                {"guaranteed", r.guaranteed ? 1.0 : 0.0}};
  }
  return tables;
}

// What the printing needs: the input, its comparison, and which metric ranks.
struct Printed {
  const ComparisonInput& input;
  const Comparison& comparison;
  std::size_t objective_index;
  bool eligible(std::size_t v) const { return input.eligible.empty() || input.eligible[v]; }
};

// The selection: who ran how many replications, who was chosen, what it saved.
void print_selection(const Printed& p, const SelectionResult& r, const SelectionOptions& selection, const ChosenMetric& objective) {
  const ComparisonInput& input = p.input;
  const std::size_t variants = input.variants.size();
  
  std::uint64_t used = 0;
  for (std::uint64_t n : r.replications) used += n;
  fmt::print("\nselect    KN (Kim & Nelson 2001) on {} ({} is better): indifference {}, confidence {}, first "
             "stage {}\n",
             objective.name, name_of(objective.better), selection.indifference, selection.confidence,
             selection.first_stage);
  for (std::size_t v = 0; v < variants; ++v) {
    fmt::print("  {} {:<28} {:>7} replications{}\n", v == r.selected ? "*" : " ", excerpt(input.variants[v], 28),
               r.replications[v],
               r.eliminated_at[v] ? fmt::format(", eliminated at {}", r.eliminated_at[v])
                                  : v == r.selected ? ", selected"
                                  : r.guaranteed    ? ", tied with the selected"
                                                    : ", still in at the budget");
  }
  const double fixed = static_cast<double>(r.fixed_per_variant) * static_cast<double>(variants);
  fmt::print("{}", wrapped(fmt::format(
                       "selected  {}{}; {} replications in all, against {} for a fixed design with the same "
                       "guarantee ({} per variant): {}",
                       input.variants[r.selected],
                       r.guaranteed ? fmt::format(" (P(correct) >= {} if the best leads by {} or more)",
                                                  selection.confidence, selection.indifference)
                                    : fmt::format(" WITHOUT the guarantee: --max-reps {} ended it with several "
                                                  "variants left; the best mean is named",
                                                  selection.max_replications),
                       used, fixed, r.fixed_per_variant,
                       used <= fixed ? fmt::format("{:.1f}% fewer", 100.0 * (1.0 - static_cast<double>(used) /
                                                                                   std::max<double>(1.0, fixed)))
                                     : fmt::format("{:.1f}x as many", static_cast<double>(used) /
                                                                          std::max<double>(1.0, fixed)))));
  std::uint64_t common = UINT64_MAX;
  for (std::uint64_t n : r.replications) common = std::min(common, n);
  fmt::print("          (the tables below are over the {} replications every variant ran)\n", common);
}

// Each constraint's share per variant; an x marks who is not ranked.
void print_constraints(const Printed& p, const std::vector<Constraint>& constraints, const std::vector<std::vector<ConstraintShare>>& shares) {
  const ComparisonInput& input = p.input;
  const std::size_t variants = input.variants.size();
  fmt::print("\nconstraints: the share of replications meeting each (95% CI); x: a variant that fails one "
             "is not ranked\n");
  for (std::size_t c = 0; c < constraints.size(); ++c) {
    for (std::size_t v = 0; v < variants; ++v) {
      const ConstraintShare& sh = shares[c][v];
      fmt::print("{} {:<20} {:<24} {:.3f} [{:.3f} .. {:.3f}] {} {:.2f}\n", sh.meets ? " " : "x",
                 excerpt(input.variants[v], 20), excerpt(constraints[c].metric + constraints[c].text.substr(
                     constraints[c].metric.size(), constraints[c].text.rfind('@') - constraints[c].metric.size()), 24),
                 sh.share, sh.ci_lo, sh.ci_hi, sh.meets ? ">=" : "<", constraints[c].level);
    }
  }
}

// Per shown metric, every variant's mean and CI, its difference to the baseline, P(best)
// and its wins over the baseline. At most 100 columns.
void print_metric_tables(const Printed& p, std::size_t shown) {
  const ComparisonInput& input = p.input;
  const Comparison& comparison = p.comparison;
  const std::size_t variants = input.variants.size(), baseline = input.baseline;
  const std::size_t objective_index = p.objective_index;
  for (std::size_t m = 0; m < shown; ++m) {
    const CompareMetric& metric = input.metrics[m];
    const MetricComparison& mc = comparison.metrics[m];
    double scale = 0;  // the largest mean sets the decimals (a baseline without the campaign may be 0)
    for (const VariantFigures& f : mc.variants) {
      if (std::isfinite(f.mean)) scale = std::max(scale, std::abs(f.mean));
    }
    const int d = decimals_for(scale);
    std::size_t best = SIZE_MAX;
    for (std::size_t v = 0; v < variants; ++v) {
      if (metric.better == Better::neither || std::isnan(mc.variants[v].mean) || !p.eligible(v)) continue;
      if (best == SIZE_MAX || (metric.better == Better::higher ? mc.variants[v].mean > mc.variants[best].mean
                                                               : mc.variants[v].mean < mc.variants[best].mean)) {
        best = v;
      }
    }
    fmt::print("\n{} ({}{}){}\n", metric.name, metric.unit,
               metric.better == Better::neither ? "" : fmt::format(", {} is better", name_of(metric.better)),
               m == objective_index ? " - the objective" : "");
    fmt::print("  {:<20} {:>11} {:>21} {:>28} {:>7} {:>5}\n", "variant", "mean", "95% CI",
               fmt::format("vs {}", excerpt(input.variants[baseline], 24)), "P(best)", "wins");
    for (std::size_t v = 0; v < variants; ++v) {
      const VariantFigures& f = mc.variants[v];
      const std::string mark = !p.eligible(v) ? "x" : v == best ? "*" : " ";
      const std::string versus =
          v == baseline ? "(baseline)"
                        : fmt::format("{} [{} .. {}]", signed_number(f.diff, d), signed_number(f.diff_ci_lo, d),
                                      signed_number(f.diff_ci_hi, d));
      const std::string wins = v == baseline || metric.better == Better::neither
                                   ? ""
                                   : fmt::format("{:.0f}%", 100.0 * static_cast<double>(mc.wins[v][baseline]) /
                                                                static_cast<double>(std::max<std::uint64_t>(1, mc.paired_replications)));
      fmt::print("{} {:<20} {:>11.{}f} {:>21} {:>28} {:>7} {:>5}\n", mark, excerpt(input.variants[v], 20), f.mean, d,
                 fmt::format("{:.{}f} .. {:.{}f}", f.ci_lo, d, f.ci_hi, d), excerpt(versus, 28),
                 probability(f.p_best), wins);
      if (metric.numerator >= 0 && !std::isnan(f.ratio_of_means)) {
        fmt::print("  {:<20} {:>11.{}f} {:>21}  {} / {}\n", "  ratio of means", f.ratio_of_means, d,
                   fmt::format("{:.{}f} .. {:.{}f}", f.rom_ci_lo, d, f.rom_ci_hi, d),
                   input.metrics[static_cast<std::size_t>(metric.numerator)].name,
                   input.metrics[static_cast<std::size_t>(metric.denominator)].name);
      }
    }
  }
}

// Risk and the worth of common random numbers, on the objective.
void print_risk(const Printed& p) {
  const ComparisonInput& input = p.input;
  const Comparison& comparison = p.comparison;
  const std::size_t variants = input.variants.size(), baseline = input.baseline;
  const std::size_t objective_index = p.objective_index;
  const std::uint64_t reps = comparison.metrics[objective_index].paired_replications;
  {
    const CompareMetric& metric = input.metrics[objective_index];
    const MetricComparison& mc = comparison.metrics[objective_index];
    const int d = decimals_for(mc.variants[baseline].mean);
    fmt::print("\nrisk of {} (the worst 5% of {} replications){}\n", metric.name, reps,
               metric.money && metric.better == Better::higher ? "; P(<0): the share of replications below 0" : "");
    for (std::size_t v = 0; v < variants; ++v) {
      const VariantFigures& f = mc.variants[v];
      fmt::print("  {:<22} {} {:.{}f}, CVaR 5% {:.{}f}{}\n", excerpt(input.variants[v], 22),
                 metric.better == Better::lower ? "95% quantile" : "5% quantile", f.tail05, d, f.cvar05, d,
                 std::isnan(f.p_negative) ? "" : fmt::format(", P(<0) {:.3f}", f.p_negative));
    }
    if (input.paired) {
      for (std::size_t v = 0; v < variants; ++v) {
        if (v == baseline) continue;
        const VariantFigures& f = mc.variants[v];
        std::string worth;
        if (std::isinf(f.crn_factor) && f.diff == 0) {
          worth = "identical in every replication: the same campaign";
        } else if (std::isinf(f.crn_factor)) {
          worth = "the two differ by the same amount in every replication: one replication settles it";
        } else if (std::isnan(f.crn_factor)) {
          worth = "no spread to reduce";
        } else if (f.crn_factor < 1.5) {
          worth = fmt::format("pairing barely helps (correlation {:.2f}): {:.1f}x", f.correlation, f.crn_factor);
        } else {
          worth = fmt::format("common random numbers made this comparison {:.1f}x cheaper (correlation {:.2f})",
                              f.crn_factor, f.correlation);
        }
        fmt::print("{}", wrapped(fmt::format("  {} vs {}: {}", excerpt(input.variants[v], 30),
                                             excerpt(input.variants[baseline], 30), worth)));
      }
    } else {
      fmt::print("  independent streams: no pairing; differences use Welch's interval\n");
    }
  }
}

// The paragraph: the best variant on the objective against the baseline (or, when the
// baseline is best, against the runner-up).
void print_verdict(const Printed& p, const std::vector<Constraint>& constraints) {
  const ComparisonInput& input = p.input;
  const Comparison& comparison = p.comparison;
  const std::size_t variants = input.variants.size(), baseline = input.baseline;
  const std::size_t objective_index = p.objective_index;
  {
    const CompareMetric& metric = input.metrics[objective_index];
    const MetricComparison& mc = comparison.metrics[objective_index];
    std::vector<std::size_t> order;
    for (std::size_t v = 0; v < variants; ++v) {
      if (p.eligible(v)) order.push_back(v);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return metric.better == Better::higher ? mc.variants[a].mean > mc.variants[b].mean
                                             : mc.variants[a].mean < mc.variants[b].mean;
    });
    if (order.empty()) {
      fmt::print("\nNo variant meets the constraints: none is ranked.\n");
    } else if (order.size() == 1) {
      fmt::print("\n{}", wrapped(fmt::format("{} is the only variant that meets the constraints.",
                                              input.variants[order[0]])));
    } else {
      const std::size_t winner = order[0];
      const std::size_t other = winner != baseline && p.eligible(baseline) ? baseline : order[1];
      // The difference winner - other and its 95% CI, as the tables compute one to the baseline.
      ComparisonInput pair;
      pair.variants = {input.variants[winner], input.variants[other]};
      pair.baseline = 1;
      pair.metrics = {metric};
      pair.metrics[0].numerator = pair.metrics[0].denominator = -1;
      pair.values = {{input.values[objective_index][winner], input.values[objective_index][other]}};
      pair.paired = input.paired;
      pair.bootstrap_resamples = 0;
      const VariantFigures w = compare_variants(pair).metrics[0].variants[0];
      const double o_mean = mc.variants[other].mean;
      const int d = decimals_for(o_mean);
      const double sign = w.diff >= 0 ? 1 : -1;
      const std::string interval = fmt::format("95% CI {:.{}f} .. {:.{}f}", std::min(sign * w.diff_ci_lo, sign * w.diff_ci_hi), d,
                                               std::max(sign * w.diff_ci_lo, sign * w.diff_ci_hi), d);
      const bool clear = w.diff_ci_lo > 0 || w.diff_ci_hi < 0;
      const bool identical = w.diff == 0 && w.diff_ci_lo == 0 && w.diff_ci_hi == 0;
      const std::uint64_t wins = mc.wins[winner][other], ties = mc.ties[winner][other];
      if (identical) {
        fmt::print("\n{}", wrapped(fmt::format("{} and {} have the same {} in every replication: on this objective "
                                                "they are the same campaign.",
                                                input.variants[winner], input.variants[other], metric.name)));
      } else fmt::print("\n{}", wrapped(fmt::format(
                               "{} has {:.{}f} {} {} than {} ({}{}); it is better in {} of {} replications{}; P(best) "
                               "{}{}.{}",
                               input.variants[winner], std::abs(w.diff), d, w.diff >= 0 ? "more" : "less", metric.name,
                               input.variants[other],
                               std::isnan(o_mean) || o_mean == 0
                                   ? ""
                                   : fmt::format("{:+.1f}%, ", 100.0 * w.diff / std::abs(o_mean)),
                               interval, wins, mc.paired_replications,
                               ties ? fmt::format(" ({} tie{})", ties, ties == 1 ? "" : "s") : "",
                               probability(mc.variants[winner].p_best),
                               constraints.empty() ? "" : " among the variants meeting the constraints",
                               clear ? ""
                                     : " The 95% interval includes 0: the data cannot tell them apart; more "
                                       "replications (-r) may.")));
    }
  }
}

// /compare/seeding_value (a row per variant and measure) and
// /compare/seeding_value_replications (a row per variant and replication).
void add_seeding_value(CompareTables& tables, const ComparisonInput& input,
                       const std::vector<std::vector<AdoptionSplit>>& splits,
                       const std::vector<std::vector<SeedingMeasure>>& measures) {
  std::vector<std::string> variant, measure;
  std::vector<std::int64_t> n;
  std::vector<double> mean, lo, hi;
  std::vector<std::string> r_variant;
  std::vector<std::int64_t> r_replication, r_counts[6];
  std::vector<double> r_finals[4];
  for (std::size_t v = 0; v < splits.size(); ++v) {
    if (v == input.baseline) continue;
    for (const SeedingMeasure& m : measures[v]) {
      variant.push_back(input.variants[v]);
      measure.push_back(m.name);
      n.push_back(static_cast<std::int64_t>(m.value.n));
      mean.push_back(m.value.estimate);
      lo.push_back(m.value.lo);
      hi.push_back(m.value.hi);
    }
    for (std::size_t r = 0; r < splits[v].size(); ++r) {
      const AdoptionSplit& s = splits[v][r];
      r_variant.push_back(input.variants[v]);
      r_replication.push_back(static_cast<std::int64_t>(r));
      const std::uint64_t counts[] = {s.expansion, s.acceleration, s.unchanged, s.delayed, s.displaced, s.steps_gained};
      for (std::size_t k = 0; k < std::size(counts); ++k) r_counts[k].push_back(static_cast<std::int64_t>(counts[k]));
      const double finals[] = {s.adopters, s.base_adopters, s.outside, s.base_outside};
      for (std::size_t k = 0; k < std::size(finals); ++k) r_finals[k].push_back(finals[k]);
    }
  }
  tables.seeding_value = {{"variant", variant}, {"measure", measure}, {"mean", mean},
                          {"ci95_lo", lo},      {"ci95_hi", hi},      {"n", n}};
  tables.seeding_value_replications = {{"variant", r_variant}, {"replication", r_replication}};
  const char* count_names[] = {"expansion", "acceleration", "unchanged", "delayed", "displaced", "steps_gained"};
  for (std::size_t k = 0; k < std::size(count_names); ++k) {
    tables.seeding_value_replications.push_back({count_names[k], std::move(r_counts[k])});
  }
  const char* final_names[] = {"adopters", "base_adopters", "outside", "base_outside"};
  for (std::size_t k = 0; k < std::size(final_names); ++k) {
    tables.seeding_value_replications.push_back({final_names[k], std::move(r_finals[k])});
  }
}

// Each variant's adopters split against the baseline's, person by person: what it gained
// (expansion + acceleration), what it displaced, the net change. At most 100 columns.
void print_seeding_value(const ComparisonInput& input, const std::vector<std::vector<AdoptionSplit>>& splits,
                         const std::vector<std::vector<SeedingMeasure>>& all_measures, bool campaign,
                         StepUnit unit, double seconds) {
  const char* adopters = campaign ? "customers" : "adopters";
  const char* verb = campaign ? "bought" : "adopted";
  std::uint64_t replications = 0;
  for (const auto& s : splits) replications += 2 * s.size();
  fmt::print("\nseeding value after Libai, Muller & Peres (2013), against {}:\n"
             "{} followed person by person; mean per replication and 95% CI ({} replications with\n"
             "adoption logs, {:.1f} s)\n",
             excerpt(input.variants[input.baseline], 40), adopters, replications, seconds);
  for (std::size_t v = 0; v < splits.size(); ++v) {
    if (v == input.baseline) continue;
    const std::vector<SeedingMeasure>& measures = all_measures[v];
    const auto find = [&](std::string_view name) -> const Interval& {
      return std::find_if(measures.begin(), measures.end(), [&](const SeedingMeasure& m) { return m.name == name; })
          ->value;
    };
    const auto line = [&](const char* label, std::string_view name, const std::string& note) {
      const Interval& i = find(name);
      fmt::print("  {:<14} {:>10.1f} {:>21}  {}\n", label, i.estimate,
                 fmt::format("{:.1f} .. {:.1f}", i.lo, i.hi), note);
    };
    const Interval& share = find("acceleration_share");
    const Interval& sooner = find("steps_gained_per_accelerated");
    fmt::print("{}\n", excerpt(input.variants[v], 98));
    line("gained", "gained", fmt::format("{} sooner with it than without it:", verb));
    line("  expansion", "expansion", fmt::format("would not have {} within the horizon", verb));
    line("  acceleration", "acceleration",
         std::isnan(sooner.estimate)
             ? fmt::format("would have {} later", verb)
             : fmt::format("{} {:.1f} {}s sooner [{:.1f} .. {:.1f}]", verb, sooner.estimate, name_of(unit),
                           sooner.lo, sooner.hi));
    line("displaced", "displaced", fmt::format("{} without it, not with it", verb));
    line("delayed", "delayed", fmt::format("{} later with it than without it", verb));
    line("unchanged", "unchanged", fmt::format("{} in the same step either way", verb));
    const Interval& outside = find("outside_change");
    if (outside.estimate != 0 || outside.lo != outside.hi) {
      line("outside", "outside_change", "change in agency customers, not followed");
    }
    line("net change", "net", "= expansion - displaced + outside");
    if (!std::isnan(share.estimate)) {
      fmt::print("  acceleration is {:.0f}% of what it gained (95% CI {:.0f} .. {:.0f}%)\n", 100 * share.estimate,
                 100 * share.lo, 100 * share.hi);
    }
  }
}

}  // namespace

int compare_command(const std::vector<std::string>& args) {
  std::vector<std::string> scenario_paths, variant_texts, overrides;
  std::string out_arg, threads_text = "0", replications_text, seed_text, baseline_name, metrics_text,
      objective_text;
  std::uint64_t resamples = 4000, bootstrap_seed = 1;
  SelectionOptions selection;
  double indifference = 0;
  std::vector<std::string> constraint_texts;
  po::options_description options(
      "campaign-sim compare A.toml B.toml [C.toml ...] -o OUT.h5 [options]\n"
      "campaign-sim compare BASE.toml --variant NAME:key=value[,key=value...]... -o OUT.h5 [options]\n\n"
      "Runs strategy variants on common random numbers and compares them: paired differences,\n"
      "win rates, P(best), risk (docs/compare.md). The first variant is the baseline");
  options.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&out_arg), "results file to write (HDF5: .h5); never replaced without "
       "--overwrite or --resume")
      ("variant", po::value(&variant_texts)->composing(), "a variant of the one scenario file: a name and "
       "its overrides (repeatable); the file itself is the first variant, named by its run.name")
      ("baseline", po::value(&baseline_name), "the variant the others are measured against (default: the first)")
      ("metrics", po::value(&metrics_text), "metrics to compare, comma-separated (default: customers, revenue, "
       "profit, cac, roi for campaigns; total_adopted for the diffusion models)")
      ("objective", po::value(&objective_text), "the metric that ranks the variants, METRIC[:max|:min] "
       "(default: the first metric, in its own direction)")
      ("replications,r", po::value(&replications_text), "replications of every variant (= --set run.replications=N)")
      ("set", po::value(&overrides)->composing(), "override a scenario key in every variant (repeatable)")
      ("seed,s", po::value(&seed_text), "master seed (= --set run.seed=S), shared by every variant")
      ("independent", po::bool_switch(), "run the variants on independent streams (each on a seed derived "
       "from run.seed and its position) instead of common random numbers; for variants that differ in the "
       "graph or the seed")
      ("constraint", po::value(&constraint_texts)->composing(), "rank only the variants meeting it: "
       "METRIC<=VALUE@LEVEL (or <, >=, >), e.g. cac<=60@0.9: cac at most 60 in at least 90% of the "
       "replications (repeatable)")
      ("select", po::bool_switch(), "sequential selection of the best by the objective (KN): replications are "
       "added until one variant is left; needs --indifference")
      ("indifference", po::value(&indifference), "with --select: the smallest difference of the objective's "
       "means worth telling apart, in its unit")
      ("confidence", po::value(&selection.confidence), "with --select: the probability of selecting the best "
       "when it leads by the indifference or more (default 0.95)")
      ("first-stage", po::value(&selection.first_stage), "with --select: replications of every variant before "
       "the first screening (default 10)")
      ("max-reps", po::value(&selection.max_replications), "with --select: the most replications a variant runs "
       "(default 10000)")
      ("seeding-value", po::bool_switch(), "split the adopters each variant gained over the baseline into "
       "expansion and acceleration, person by person (reruns the variants and the baseline with adoption "
       "logs: 2 x (variants - 1) x R more replications); for a baseline without the campaign, e.g. "
       "--variant none:media.strategy=none --baseline none")
      ("bootstrap", po::value(&resamples), "bootstrap resamples for P(best) (default 4000)")
      ("bootstrap-seed", po::value(&bootstrap_seed), "seed of the bootstrap resamples (default 1)")
      ("threads,t", po::value(&threads_text), "worker threads (0, the default: every core)")
      ("resume", po::bool_switch(), "continue an interrupted comparison: run only the unfinished variants")
      ("overwrite", po::bool_switch(), "replace OUT.h5 and start again")
      ("dry-run", po::bool_switch(), "print the variants and what the largest needs; run nothing")
      ("force", po::bool_switch(), "run when the memory estimate exceeds what is available, or OUT without "
       "the .h5 extension")
      ("quiet,q", po::bool_switch(), "no progress and no table");
  options.add(shard_option());
  po::options_description hidden;
  hidden.add_options()("scenario", po::value(&scenario_paths)->composing());
  po::options_description all;
  all.add(options).add(hidden).add(merge_from_option());
  po::positional_options_description positionals;
  positionals.add("scenario", -1);
  const po::variables_map vm = parse(args, all, positionals);
  if (vm.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  const bool dry_run = vm["dry-run"].as<bool>(), force = vm["force"].as<bool>();
  const bool resume = vm["resume"].as<bool>(), overwrite = vm["overwrite"].as<bool>();
  const bool quiet = vm["quiet"].as<bool>(), independent = vm["independent"].as<bool>();
  const bool select = vm["select"].as<bool>(), seeding = vm["seeding-value"].as<bool>();
  const ShardMode mode = shard_mode(vm, args);
  if ((mode.any() || cluster::ranks() > 1) && (select || seeding)) {
    throw InputError(fmt::format("--{} with --shard or under mpirun: {}; run it in one process",
                                 select ? "select" : "seeding-value",
                                 select ? "the sequential selection decides each stage from all the variants"
                                        : "the split reruns every variant with adoption logs"));
  }
  if (seeding && select) {
    throw InputError("--seeding-value and --select: the split needs every variant's replications; run the "
                     "selection first, then --seeding-value on the selected variant against the base");
  }
  if (seeding && independent) {
    throw InputError("--seeding-value follows each person across variants: it needs common random numbers, "
                     "not --independent");
  }
  if (select) {
    if (!vm.count("indifference")) throw InputError("--select needs --indifference DELTA (in the objective's unit)");
    if (!(indifference > 0)) throw InputError(fmt::format("--indifference {}: allowed > 0", indifference));
    if (!(selection.confidence > 0 && selection.confidence < 1)) {
      throw InputError(fmt::format("--confidence {}: allowed between 0 and 1 (exclusive)", selection.confidence));
    }
    if (selection.first_stage < 2 || selection.max_replications < selection.first_stage) {
      throw InputError(fmt::format("--first-stage {} --max-reps {}: allowed 2 <= first stage <= max-reps",
                                   selection.first_stage, selection.max_replications));
    }
    if (vm.count("replications")) throw InputError("--select chooses the replications; bound them with --first-stage and --max-reps, not -r");
    if (independent) throw InputError("--select needs common random numbers: it goes without --independent");
    if (resume) throw InputError("--select runs from the start: it goes without --resume");
    if (!constraint_texts.empty()) {
      throw InputError("--select and --constraint: the selection does not screen by constraints; run the "
                       "comparison with --constraint, then --select among the variants that meet them");
    }
    selection.indifference = indifference;
  } else {
    for (const char* name : {"indifference", "confidence", "first-stage", "max-reps"}) {
      if (vm.count(name)) throw InputError(fmt::format("--{} is for --select", name));
    }
  }
  if (scenario_paths.empty()) throw InputError("compare: missing the scenario files (see campaign-sim compare --help)");
  if (out_arg.empty() && !dry_run) throw InputError("compare: missing -o OUT.h5 (see campaign-sim compare --help)");
  if (resume && overwrite) throw InputError("--resume and --overwrite: give one of them");
  if (!variant_texts.empty() && scenario_paths.size() > 1) {
    throw InputError("compare: --variant makes variants of one scenario file; give one file with --variant, "
                     "or several files without");
  }
  if (variant_texts.empty() && scenario_paths.size() < 2) {
    throw InputError("compare: one variant has nothing to be compared with; give two or more scenario files, or "
                     "one with --variant NAME:key=value");
  }
  if (resamples < 100 || resamples > 1000000) {
    throw InputError(fmt::format("--bootstrap {}: allowed 100 .. 1000000 resamples", resamples));
  }
  if (vm.count("replications")) overrides.push_back("run.replications=" + replications_text);
  if (vm.count("seed")) overrides.push_back("run.seed=" + seed_text);
  const unsigned threads = parse_threads(threads_text);
  std::optional<tbb::global_control> thread_cap;
  if (threads > 0) thread_cap.emplace(tbb::global_control::max_allowed_parallelism, threads);
  const unsigned workers = threads_in_use(threads);

  // The variants: the files as they are, or the one file and its --variant overrides.
  std::vector<VariantSource> sources;
  for (std::size_t f = 0; f < scenario_paths.size(); ++f) {
    VariantSource source;
    source.file = f;
    source.name = ScenarioFile(scenario_paths[f]).load(overrides).scenario.run.name;
    sources.push_back(source);
  }
  for (const std::string& text : variant_texts) sources.push_back(parse_variant(text));
  for (std::size_t i = 0; i < sources.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (sources[i].name == sources[j].name) {
        throw InputError(fmt::format("compare: two variants are named {}; give each its own name ({})",
                                     excerpt(sources[i].name, 60),
                                     variant_texts.empty() ? "run.name in the files" : "--variant NAME:..."));
      }
    }
  }
  std::size_t baseline = 0;
  if (!baseline_name.empty()) {
    const auto it = std::find_if(sources.begin(), sources.end(),
                                 [&](const VariantSource& s) { return s.name == baseline_name; });
    if (it == sources.end()) {
      std::string names;
      for (const VariantSource& s : sources) names += (names.empty() ? "" : ", ") + s.name;
      throw InputError(fmt::format("--baseline {}: no variant of that name; variants: {}", excerpt(baseline_name, 60),
                                   names));
    }
    baseline = static_cast<std::size_t>(it - sources.begin());
  }
  if (independent) {  // variant i on a seed derived from (run.seed, i): independent Philox keys
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const ScenarioFile file(scenario_paths[sources[i].file]);
      std::vector<std::string> sets = overrides;
      sets.insert(sets.end(), sources[i].sets.begin(), sources[i].sets.end());
      const std::uint64_t seed = file.load(sets).scenario.run.seed;
      sources[i].sets.push_back(fmt::format("run.seed={}", independent_seed(seed, i)));
    }
  }
  ReplicationPolicy policy;
  const Study study(scenario_paths, overrides, sources, policy, workers);

  // Every variant runs the same replications of the same model (said first: unlike a
  // difference of graphs, --independent cannot mend it), on one graph.
  const std::size_t variants = study.variants().size();
  const LoadedScenario base = study.load(baseline);
  const bool campaign = base.scenario.diffusion.model == DiffusionModel::campaign;
  for (std::size_t i = 0; i < variants; ++i) {
    const Scenario s = study.load(i).scenario;
    if ((s.diffusion.model == DiffusionModel::campaign) != campaign) {
      throw InputError(fmt::format("compare: variants {} and {} are of different models ({} and {}): their "
                                   "metrics cannot be compared",
                                   sources[baseline].name, sources[i].name, name_of(base.scenario.diffusion.model),
                                   name_of(s.diffusion.model)));
    }
    if (!select && s.run.replications != base.scenario.run.replications) {
      throw InputError(fmt::format("compare: variants {} and {} run {} and {} replications; paired comparison "
                                   "needs the same number (give -r N)",
                                   sources[baseline].name, sources[i].name, base.scenario.run.replications,
                                   s.run.replications));
    }
    if (seeding && (s.run.steps != base.scenario.run.steps || s.run.step_unit != base.scenario.run.step_unit)) {
      throw InputError(fmt::format("--seeding-value: variants {} and {} run {} {}s and {} {}s; the split compares "
                                   "when each person adopted over one horizon (give them the same run.steps)",
                                   sources[baseline].name, sources[i].name, base.scenario.run.steps,
                                   name_of(base.scenario.run.step_unit), s.run.steps, name_of(s.run.step_unit)));
    }
  }
  if (!independent) study.require_common_random_numbers(baseline);

  // The metrics: the chosen ones, then the numerators and denominators their ratios need.
  std::vector<std::string> chosen;
  if (metrics_text.empty()) {
    chosen = campaign ? std::vector<std::string>{"customers", "revenue", "profit", "cac", "roi"}
                      : std::vector<std::string>{"total_adopted"};
  } else {
    std::size_t at = 0;
    while (at <= metrics_text.size()) {
      const std::size_t comma = std::min(metrics_text.find(',', at), metrics_text.size());
      chosen.push_back(metrics_text.substr(at, comma - at));
      at = comma + 1;
    }
  }
  ComparisonInput input;
  const auto add_metric = [&](const std::string& name, const char* option = "--metrics") -> std::size_t {
    for (std::size_t m = 0; m < input.metrics.size(); ++m) {
      if (input.metrics[m].name == name) return m;
    }
    const MetricInfo* info = find_metric(campaign, name);
    if (info == nullptr) throw unknown_metric(option, name, campaign);
    input.metrics.push_back({name, std::string(info->unit), info->better, info->unit == "money", -1, -1});
    return input.metrics.size() - 1;
  };
  {
    std::vector<std::string> unique;
    for (const std::string& name : chosen) {
      if (std::find(unique.begin(), unique.end(), name) == unique.end()) unique.push_back(name);
    }
    chosen = unique;
  }
  for (const std::string& name : chosen) add_metric(name);
  std::vector<Constraint> constraints;
  std::vector<std::size_t> constraint_metric;
  for (const std::string& text : constraint_texts) {
    constraints.push_back(parse_constraint(text));
    constraint_metric.push_back(add_metric(constraints.back().metric, "--constraint"));
  }
  const ChosenMetric objective = parse_objective(objective_text.empty() ? chosen.front() : objective_text, campaign);
  if (select && find_metric(campaign, objective.name)->kind == MetricKind::ratio) {
    throw InputError(fmt::format("--select: the objective {} is a ratio, undefined in some replications; "
                                 "select by a metric (customers, profit, ...)",
                                 objective.name));
  }
  const std::size_t objective_index = add_metric(objective.name);
  input.metrics[objective_index].better = objective.better;
  const std::size_t shown = std::max(chosen.size(), objective_index + 1);
  for (std::size_t m = 0; m < shown; ++m) {
    const MetricInfo* info = find_metric(campaign, input.metrics[m].name);
    if (!info->numerator.empty()) {
      const int numerator = static_cast<int>(add_metric(std::string(info->numerator)));
      const int denominator = static_cast<int>(add_metric(std::string(info->denominator)));
      input.metrics[m].numerator = numerator;
      input.metrics[m].denominator = denominator;
    }
  }
  for (const VariantSource& s : sources) input.variants.push_back(s.name);
  input.baseline = baseline;
  input.paired = !independent;
  input.bootstrap_resamples = resamples;
  input.bootstrap_seed = bootstrap_seed;
  input.values.assign(input.metrics.size(), std::vector<std::vector<double>>(variants));

  StudyFileOptions file_options;
  const std::string out_path = apply_shard_mode(mode, out_arg, study.inputs(), force, file_options);
  if (dry_run) {
    print_dry_run(study, workers, memory_limit(workers), false);
    return 0;
  }
  std::string spec = fmt::format("compare{}{} baseline={} bootstrap={} seed={} metrics=",
                                 independent ? " independent" : "", seeding ? " seeding_value" : "",
                                 sources[baseline].name, resamples, bootstrap_seed);
  if (select) {
    spec += fmt::format("select delta={} confidence={} n0={} max={} objective={} ", selection.indifference,
                        selection.confidence, selection.first_stage, selection.max_replications, objective.name);
  }
  for (const CompareMetric& m : input.metrics) spec += m.name + (m.better == Better::lower ? "-" : "+") + " ";
  for (const VariantSource& s : sources) {
    spec += fmt::format(" {}:file{}", s.name, s.file);
    for (const std::string& set : s.sets) spec += "," + set;
  }
  std::optional<Comparison> comparison;
  std::optional<SelectionResult> selected;
  std::vector<std::vector<ConstraintShare>> shares;  // [constraint][variant]
  std::vector<std::vector<AdoptionSplit>> splits;    // --seeding-value: [variant][replication]
  std::vector<std::vector<SeedingMeasure>> measures;  // and their measures, per variant
  double seeding_seconds = 0;
  file_options.command = "compare";
  file_options.manifest = study_manifest(study, spec);
  file_options.estimate = mode.merge_parts.empty() ? check_memory(study, workers, force) : "";
  file_options.subject =
      select ? fmt::format("{} variants, sequential selection on common random numbers", variants)
             : fmt::format("{} variants, {} replications each{}", variants, base.scenario.run.replications,
                           independent ? " on independent streams" : " on common random numbers");
  file_options.resume = resume;
  file_options.overwrite = overwrite;
  file_options.fail_fast = true;  // a comparison needs every variant
  file_options.quiet = quiet;
  file_options.extras.result = [&](std::size_t i, const VariantResult& result) {
    for (std::size_t m = 0; m < input.metrics.size(); ++m) {
      const auto at = std::find(result.final_names.begin(), result.final_names.end(), input.metrics[m].name);
      input.values[m][i] = result.finals[static_cast<std::size_t>(at - result.final_names.begin())];
    }
  };
  file_options.extras.tables = [&](ResultsWriter& writer) {
    if (selected) {  // paired figures over the replications every variant ran
      std::size_t common = SIZE_MAX;
      for (const auto& x : input.values.front()) common = std::min(common, x.size());
      for (auto& metric_values : input.values) {
        for (auto& x : metric_values) x.resize(common);
      }
    }
    shares = constraint_shares(constraints, constraint_metric, input);
    comparison = compare_variants(input);
    CompareTables tables = compare_tables(input, *comparison, objective.name, constraints, shares,
                                          selected ? &*selected : nullptr, selection);
    if (seeding) {
      const std::uint64_t replications = base.scenario.run.replications;
      if (!quiet) {
        fmt::print("seeding value: {} more replications with adoption logs\n", 2 * (variants - 1) * replications);
      }
      const tbb::tick_count start = tbb::tick_count::now();
      splits = seeding_value(study, baseline, replications);
      for (std::size_t v = 0; v < splits.size(); ++v) {
        measures.push_back(v == baseline ? std::vector<SeedingMeasure>{} : seeding_measures(splits[v]));
      }
      seeding_seconds = (tbb::tick_count::now() - start).seconds();
      add_seeding_value(tables, input, splits, measures);
    }
    writer.write_compare(tables);
  };
  double merge_seconds = 0;
  if (select) {
    merge_seconds = run_selection_into_file(study, file_options, objective.name, objective.better, selection,
                                            selected);
  } else {
    const StudyFileRun done = run_into_file(study, file_options);
    if (!done.writer) return 0;  // another MPI rank's: rank 0 wrote OUT and prints
    merge_seconds = done.merge_seconds;
    if (mode.shard) {  // the comparison is the merge's
      if (!quiet) print_shard_or_merge(mode, file_options, done);
      return 0;
    }
  }
  if (quiet) return 0;
  const Printed printed{input, *comparison, objective_index};
  if (selected) print_selection(printed, *selected, selection, objective);
  if (!constraints.empty()) print_constraints(printed, constraints, shares);
  print_metric_tables(printed, shown);
  print_risk(printed);
  print_verdict(printed, constraints);
  if (seeding) print_seeding_value(input, splits, measures, campaign, base.scenario.run.step_unit,
                                   seeding_seconds);
  std::error_code size_ec;
  const auto bytes = std::filesystem::file_size(out_path, size_ec);
  fmt::print("\nwrote     {} ({}, tables in /compare; merging took {:.3f} s)\n", excerpt(out_arg, 200),
             size_ec ? "?" : format_bytes(static_cast<double>(bytes)), merge_seconds - seeding_seconds);
  return 0;
}

}  // namespace campaign
