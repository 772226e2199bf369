#include "experiment/seeding_value.h"

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "experiment/study.h"
#include "model/ecosystem_cache.h"
#include "sim/graph_factory.h"

namespace campaign {
namespace {

void sort_by_person(std::vector<Adoption>& log) {
  std::sort(log.begin(), log.end(), [](const Adoption& a, const Adoption& b) { return a.who < b.who; });
  for (std::size_t i = 1; i < log.size(); ++i) {
    if (log[i].who == log[i - 1].who) {
      throw std::logic_error(fmt::format("seeding value: person {} adopted twice in one replication", log[i].who));
    }
  }
}

// The metric a model counts adopters by, and the one bounding its adopters outside the
// audience (the agency's leads), if any.
struct AdoptionMetrics {
  std::size_t adopters = 0;
  std::optional<std::size_t> outside_bound;
};

AdoptionMetrics adoption_metrics(const Model& model) {
  const std::vector<std::string>& names = model.metric_names();
  const auto find = [&](const char* name) -> std::optional<std::size_t> {
    const auto at = std::find(names.begin(), names.end(), name);
    if (at == names.end()) return std::nullopt;
    return static_cast<std::size_t>(at - names.begin());
  };
  AdoptionMetrics m;
  if (const auto customers = find("customers")) {
    m.adopters = *customers;
    m.outside_bound = find("agency_leads");
  } else if (const auto adopted = find("total_adopted")) {
    m.adopters = *adopted;
  } else {
    throw std::logic_error("seeding value: the model counts no adopters");
  }
  return m;
}

}  // namespace

AdoptionSplit split_adoptions(std::vector<Adoption>& campaign, std::vector<Adoption>& base, double adopters,
                              double base_adopters) {
  sort_by_person(campaign);
  sort_by_person(base);
  AdoptionSplit s;
  s.adopters = adopters;
  s.base_adopters = base_adopters;
  s.outside = adopters - static_cast<double>(campaign.size());
  s.base_outside = base_adopters - static_cast<double>(base.size());
  std::size_t i = 0, j = 0;
  while (i < campaign.size() || j < base.size()) {
    if (j == base.size() || (i < campaign.size() && campaign[i].who < base[j].who)) {
      ++s.expansion;
      ++i;
    } else if (i == campaign.size() || base[j].who < campaign[i].who) {
      ++s.displaced;
      ++j;
    } else {
      const Step with = campaign[i].step, without = base[j].step;
      if (with < without) {
        ++s.acceleration;
        s.steps_gained += without - with;
      } else if (with == without) {
        ++s.unchanged;
      } else {
        ++s.delayed;
      }
      ++i;
      ++j;
    }
  }
  return s;
}

std::vector<SeedingMeasure> seeding_measures(const std::vector<AdoptionSplit>& replications) {
  const auto column = [&](auto of) {
    std::vector<double> values;
    values.reserve(replications.size());
    for (const AdoptionSplit& s : replications) values.push_back(static_cast<double>(of(s)));
    return values;
  };
  const std::vector<double> gained = column([](const AdoptionSplit& s) { return s.gained(); });
  const std::vector<double> acceleration = column([](const AdoptionSplit& s) { return s.acceleration; });
  return {
      {"gained", mean_interval(gained)},
      {"expansion", mean_interval(column([](const AdoptionSplit& s) { return s.expansion; }))},
      {"acceleration", mean_interval(acceleration)},
      {"unchanged", mean_interval(column([](const AdoptionSplit& s) { return s.unchanged; }))},
      {"delayed", mean_interval(column([](const AdoptionSplit& s) { return s.delayed; }))},
      {"displaced", mean_interval(column([](const AdoptionSplit& s) { return s.displaced; }))},
      {"outside_change", mean_interval(column([](const AdoptionSplit& s) { return s.outside - s.base_outside; }))},
      {"net", mean_interval(column([](const AdoptionSplit& s) { return s.net(); }))},
      {"steps_gained_per_accelerated",
       ratio_of_means(column([](const AdoptionSplit& s) { return s.steps_gained; }), acceleration)},
      {"acceleration_share", ratio_of_means(acceleration, gained)},
  };
}

std::vector<std::vector<AdoptionSplit>> seeding_value(const Study& study, std::size_t base,
                                                      std::uint64_t replications) {
  const std::size_t k = study.variants().size();
  LoadedScenario first = study.load(base);
  const GraphRecord graph = make_graph(first);
  EcosystemCache ecosystems;
  std::vector<LoadedScenario> loaded;
  std::vector<std::unique_ptr<Model>> models;
  for (std::size_t v = 0; v < k; ++v) {
    loaded.push_back(study.load_on(v, graph.graph));
    models.push_back(make_model(loaded.back().scenario, graph.graph, &ecosystems));
  }
  // Per thread: a kernel of the base and one of the variant at hand, and their logs.
  struct Worker {
    std::size_t variant = SIZE_MAX;
    std::unique_ptr<ReplicationKernel> base, other;
    std::vector<Adoption> base_log, other_log;
  };
  tbb::enumerable_thread_specific<Worker> workers;
  std::vector<std::vector<AdoptionSplit>> splits(k);
  for (std::size_t v = 0; v < k; ++v) {
    if (v == base) continue;
    splits[v].resize(replications);
    const AdoptionMetrics metric = adoption_metrics(*models[v]), base_metric = adoption_metrics(*models[base]);
    tbb::parallel_for(std::uint64_t{0}, replications, [&](std::uint64_t r) {
      Worker& w = workers.local();
      if (!w.base) {
        w.base = models[base]->make_kernel();
        w.base->log_adoptions(&w.base_log);
      }
      if (w.variant != v) {
        w.other.reset();
        w.other = models[v]->make_kernel();
        w.other->log_adoptions(&w.other_log);
        w.variant = v;
      }
      const auto replication = static_cast<Replication>(r);
      Trajectory base_run(models[base]->metric_names().size(), loaded[base].scenario.run.steps);
      Trajectory run(models[v]->metric_names().size(), loaded[v].scenario.run.steps);
      w.base_log.clear();
      w.other_log.clear();
      w.base->simulate(replication, base_run);
      w.other->simulate(replication, run);
      const auto final_of = [](const Trajectory& t, std::size_t m) {
        return t.at(m, static_cast<Step>(t.num_points() - 1));
      };
      AdoptionSplit& s = splits[v][r];
      s = split_adoptions(w.other_log, w.base_log, final_of(run, metric.adopters),
                          final_of(base_run, base_metric.adopters));
      // The logs agree with the runs' counts: only the agency's customers are outside.
      const auto check = [&](double outside, const Trajectory& t, const AdoptionMetrics& m) {
        const double bound = m.outside_bound ? final_of(t, *m.outside_bound) : 0.0;
        if (outside < 0 || outside > bound) {
          throw std::logic_error(fmt::format("seeding value: replication {} logged adopters that its counts do "
                                             "not explain ({} outside the audience, at most {})",
                                             r, outside, bound));
        }
      };
      check(s.outside, run, metric);
      check(s.base_outside, base_run, base_metric);
    });
  }
  return splits;
}

}  // namespace campaign
