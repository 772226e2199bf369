#include "experiment/study.h"

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <toml++/toml.h>

#include "core/error.h"
#include "core/interrupt.h"
#include "model/campaign.h"
#include "model/ecosystem_cache.h"
#include "core/phase.h"
#include "core/text.h"
#include "core/version.h"
#include "sim/runner.h"

namespace campaign {

std::string hash_hex(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return fmt::format("{:016x}", h);
}

std::optional<ScenarioDifference> first_difference(const std::string& first_toml,
                                                   const std::string& second_toml) {
  toml::table a, b;
  try {
    a = toml::parse(first_toml);
    b = toml::parse(second_toml);
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
  const auto text = [](const toml::node* node) {
    if (node == nullptr) return std::string("(absent)");
    std::ostringstream out;
    node->visit([&](const auto& n) { out << n; });
    return out.str();
  };
  for (const toml::table* side : {&b, &a}) {
    for (const auto& [section, table] : *side) {
      const toml::table* keys = table.as_table();
      if (keys == nullptr) continue;
      for (const auto& [key, value] : *keys) {
        const std::string path = fmt::format("{}.{}", section.str(), key.str());
        const std::string one = text(a.at_path(path).node()), two = text(b.at_path(path).node());
        if (one != two) return ScenarioDifference{path, excerpt(one, 40), excerpt(two, 40)};
      }
    }
  }
  return std::nullopt;
}

std::string ReplicationPolicy::describe() const {
  if (!adaptive()) return "fixed";
  std::string out = "target-ci";
  for (const CiTarget& t : targets) out += fmt::format(" {}={}", t.metric, t.relative);
  return out + fmt::format(" min={} max={} every={}", min_replications, max_replications, check_every);
}

std::vector<CiTarget> parse_ci_targets(const std::string& text) {
  std::vector<CiTarget> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string part = text.substr(at, comma - at);
    const auto eq = part.find('=');
    double relative = 0;
    const char* first = part.data() + (eq == std::string::npos ? 0 : eq + 1);
    const auto [end, ec] = std::from_chars(first, part.data() + part.size(), relative);
    if (eq == std::string::npos || eq == 0 || ec != std::errc() || end != part.data() + part.size() ||
        !(relative > 0 && relative < 1)) {
      throw InputError(fmt::format("--target-ci {}: expected METRIC=REL[,METRIC=REL...] with REL in "
                                   "(0, 1), e.g. customers=0.01 for a CI half-width of 1% of the mean",
                                   excerpt(part, 60)));
    }
    out.push_back({part.substr(0, eq), relative});
    at = comma + 1;
  }
  return out;
}

namespace {

// "key=value" as a name may hold it: characters other than letters, digits and
// "_-.=+" become '_'.
std::string name_part(const std::string& key, const std::string& value) {
  std::string out = "@";
  for (char c : key + "=" + value) {
    out += std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_-.=+").find(c) != std::string_view::npos
               ? c
               : '_';
  }
  return out;
}

// What the graph depends on: the seed, [audience], [graph] and segments.shares (the
// blocks of a stochastic block model), as resolved TOML.
std::string graph_part_of(const Scenario& s) {
  Scenario part;
  part.audience = s.audience;
  part.graph = s.graph;
  part.segments.shares = s.segments.shares;
  part.run.seed = s.run.seed;
  return resolved_toml(part);
}

std::uint64_t graph_key_of(const Scenario& s) {
  std::uint64_t key = 0;
  // A graph file's relative path is read from the scenario's folder; a generated graph
  // does not depend on where the scenario lives.
  const std::string hex =
      hash_hex(graph_part_of(s) + (s.graph.model == GraphModel::edge_list ? s.base_dir : std::string()));
  std::from_chars(hex.data(), hex.data() + hex.size(), key, 16);
  return key;
}

}  // namespace

Study::Study(const std::string& scenario_path, std::vector<std::string> overrides, Design design,
             ReplicationPolicy policy, unsigned threads, bool save_trajectories)
    : overrides_(std::move(overrides)),
      design_(std::move(design)),
      policy_(std::move(policy)),
      threads_(threads),
      save_trajectories_(save_trajectories) {
  files_.emplace_back(scenario_path);
  for (const std::string& assignment : overrides_) {
    const std::string key = assignment.substr(0, assignment.find('='));
    if (std::find(design_.keys.begin(), design_.keys.end(), key) != design_.keys.end()) {
      throw InputError(fmt::format("--set {}: the key is also varied by the design; give it one way",
                                   excerpt(assignment, 80)));
    }
  }
  plan();
}

Study::Study(const std::vector<std::string>& scenario_paths, std::vector<std::string> overrides,
             std::vector<VariantSource> sources, ReplicationPolicy policy, unsigned threads)
    : overrides_(std::move(overrides)),
      sources_(std::move(sources)),
      policy_(std::move(policy)),
      threads_(threads),
      save_trajectories_(false) {
  for (const std::string& path : scenario_paths) files_.emplace_back(path);
  for (const VariantSource& source : sources_) {
    if (source.file >= files_.size()) throw std::logic_error("Study: a variant's file is not among the files");
  }
  design_.points.assign(sources_.size(), {});  // one point per variant, no design keys
  plan();
}

// Every variant loaded, validated, named and keyed, before anything runs.
void Study::plan() {
  std::set<std::string> names, inputs;
  std::unordered_map<std::string, std::size_t> configurations;  // unnamed scenario's hash -> index
  for (std::size_t i = 0; i < design_.points.size(); ++i) {
    if (i % 256 == 0) throw_if_interrupted();
    StudyVariant v;
    v.id = static_cast<std::int64_t>(i);
    v.values = design_.points[i];
    LoadedScenario loaded = load(i);
    Scenario& s = loaded.scenario;
    v.name = s.run.name;
    // Two spellings of one value (1 and 1.0, 0.1 and 0.10) make one scenario twice. (A
    // comparison may hold a variant twice under two names: they then differ by nothing.)
    Scenario unnamed = s;
    unnamed.run.name.clear();
    const auto [same, fresh] = configurations.emplace(hash_hex(resolved_toml(unnamed)), i);
    if (!fresh && sources_.empty()) {
      throw InputError(fmt::format("the design's points {} and {} are the same scenario ({}): a value "
                                   "is listed twice, perhaps spelled two ways, or rounding made two "
                                   "sampled points equal",
                                   same->second, i, excerpt(v.name, 80)));
    }
    if (!names.insert(v.name).second) {
      throw InputError(sources_.empty() ? fmt::format("two variants are named {}: their values differ only in "
                                                      "characters a name cannot hold (replaced by '_')",
                                                      excerpt(v.name, 120))
                                        : fmt::format("two variants are named {}; give each its own name",
                                                      excerpt(v.name, 120)));
    }
    // A CI target must be a metric of the variant's model: refused before anything runs.
    const std::vector<std::string>& metrics =
        s.diffusion.model == DiffusionModel::campaign ? campaign_metric_names() : diffusion_metric_names();
    for (const CiTarget& t : policy_.targets) {
      if (std::find(metrics.begin(), metrics.end(), t.metric) == metrics.end()) {
        std::string list;
        for (const std::string& m : metrics) list += (list.empty() ? "" : ", ") + m;
        throw InputError(fmt::format("--target-ci {}: not a metric of the {} model{}; metrics: {}", t.metric,
                                     name_of(s.diffusion.model),
                                     design_.keys.empty() ? "" : fmt::format(" (variant {})", excerpt(v.name, 80)),
                                     list));
      }
    }
    v.replications = s.run.replications;
    v.content_key = hash_hex(fmt::format("{}\n{}\n{}", ENGINE_VERSION, resolved_toml(s), policy_.describe()));
    v.graph_key = graph_key_of(s);
    Footprint f = estimate_footprint(s, threads_, save_trajectories_);
    v.peak_bytes = f.peak_bytes;
    if (variants_.empty() || v.peak_bytes > variants_[largest_].peak_bytes) largest_ = i;
    for (const std::string& input : loaded.inputs) {
      if (inputs.insert(input).second) inputs_.push_back(input);
    }
    variants_.push_back(std::move(v));
  }
}

LoadedScenario Study::load_on(std::size_t i, const CsrGraph& graph) const {
  LoadedScenario loaded = load(i);
  Scenario& s = loaded.scenario;
  if (s.graph.model == GraphModel::edge_list) {
    s.audience.size = graph.num_nodes();
    validate(s, loaded.origins);
  }
  return loaded;
}

LoadedScenario Study::load(std::size_t i) const {
  std::vector<std::string> all = overrides_;
  if (!sources_.empty()) {
    const VariantSource& source = sources_.at(i);
    all.insert(all.end(), source.sets.begin(), source.sets.end());
    LoadedScenario loaded = [&] {
      try {
        return files_[source.file].load(all);
      } catch (const InputError& e) {
        // The loader names an override as "--set key=value: ..."; the variant's own are
        // said as the variant's.
        const std::string message = e.what();
        for (const std::string& set : source.sets) {
          if (message.starts_with("--set " + set + ":")) {
            throw InputError(fmt::format("--variant {}: {}", source.name, message.substr(6)));
          }
        }
        throw;
      }
    }();
    loaded.scenario.run.name = source.name;
    if (policy_.adaptive()) loaded.scenario.run.replications = policy_.max_replications;
    return loaded;
  }
  const std::vector<std::string>& point = design_.points.at(i);
  for (std::size_t k = 0; k < design_.keys.size(); ++k) all.push_back(design_.keys[k] + "=" + point[k]);
  LoadedScenario loaded = [&] {
    if (design_.keys.empty()) return files_.front().load(all);
    try {
      return files_.front().load(all);
    } catch (const InputError& e) {
      // The loader names a value as an override ("--set key=value: ..."): a design key's
      // value is the design point's; anything else (a --set of the command) is said as is.
      const std::string message = e.what();
      for (std::size_t k = 0; k < design_.keys.size(); ++k) {
        if (message.starts_with(fmt::format("--set {}=", design_.keys[k]))) {
          throw InputError(fmt::format("design point {} ({} design): {}", i, name_of(design_.kind),
                                       message.substr(6)));
        }
      }
      throw;
    }
  }();
  for (std::size_t k = 0; k < design_.keys.size(); ++k) {
    loaded.scenario.run.name += name_part(design_.keys[k], point[k]);
  }
  if (policy_.adaptive()) loaded.scenario.run.replications = policy_.max_replications;
  return loaded;
}

void Study::require_common_random_numbers(std::size_t baseline) const {
  const std::string base = graph_part_of(load(baseline).scenario);
  for (std::size_t i = 0; i < variants_.size(); ++i) {
    if (variants_[i].graph_key == variants_[baseline].graph_key) continue;
    const std::string other = graph_part_of(load(i).scenario);
    const std::optional<ScenarioDifference> d = first_difference(base, other);
    throw InputError(fmt::format(
        "variants {} and {} differ in {}: common random numbers need the same run.seed, [audience], "
        "[graph] and segments.shares (one graph for all); --independent runs them on independent streams",
        excerpt(variants_[baseline].name, 60), excerpt(variants_[i].name, 60),
        d ? fmt::format("{} ({} and {})", d->key, d->first, d->second) : std::string("their graph files")));
  }
}

Footprint Study::footprint(std::size_t i) const {
  return estimate_footprint(load(i).scenario, threads_, save_trajectories_);
}

namespace {

// A variant in flight: created by the pipeline's first stage, dropped when its last
// unit has passed the last stage.
struct Running {
  std::size_t index = 0;
  std::uint64_t serial = 0;  // unique in this run: the kernel caches' key
  LoadedScenario loaded;
  std::unique_ptr<Model> model;
  std::optional<RunAccumulator> accumulator;
  std::vector<std::size_t> target_metrics;
  std::uint64_t first = 0;    // the first replication (a piece's may be later than 0)
  std::uint64_t planned = 0;  // replications to issue at most: [first, planned)
  std::uint32_t block = 1;
  std::uint64_t issued = 0;               // first stage only
  std::atomic<bool> done{false};          // set by the last stage; the first stage stops issuing
  tbb::tick_count start;
};

struct Unit {
  std::shared_ptr<Running> variant;
  std::uint64_t first = 0;
  std::vector<Trajectory> trajectories;
  bool finishes = false;  // its variant's last unit: the hand-over stage hands it to the sink
  bool reached = true;
};

struct KernelCache {
  std::uint64_t serial = 0;
  std::unique_ptr<ReplicationKernel> kernel;
};

}  // namespace

StudyShare shard_share(const Study& study, std::uint64_t shard, std::uint64_t shards) {
  if (shards == 0 || shard >= shards) throw std::invalid_argument("shard_share: shard out of range");
  const std::vector<StudyVariant>& variants = study.variants();
  const auto units_of = [&](const StudyVariant& v) -> std::uint64_t {
    if (study.policy().adaptive()) return 1;
    return std::max<std::uint64_t>(1, (v.replications + CHUNK_REPLICATIONS - 1) / CHUNK_REPLICATIONS);
  };
  StudyShare share;
  for (const StudyVariant& v : variants) share.units += units_of(v);
  // floor(U s / N) without the product U s, which may not fit in 64 bits for a huge design
  // on many shards: (U div N) s + (U mod N) s div N, where (U mod N) s < N^2 <= 10^12.
  const auto edge = [&](std::uint64_t s) { return share.units / shards * s + share.units % shards * s / shards; };
  share.first_unit = edge(shard);
  share.end_unit = edge(shard + 1);
  std::uint64_t at = 0;  // the variant's first unit
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const std::uint64_t units = units_of(variants[i]);
    const std::uint64_t lo = std::max(at, share.first_unit), hi = std::min(at + units, share.end_unit);
    if (lo < hi) {
      share.variants.push_back(i);
      if (hi - lo < units) {
        const std::uint64_t end = std::min(variants[i].replications, (hi - at) * CHUNK_REPLICATIONS);
        share.pieces[i] = ReplicationRange{(lo - at) * CHUNK_REPLICATIONS, end};
      }
    }
    at += units;
  }
  return share;
}

StudyRecord run_study(const Study& study, const std::vector<std::size_t>& todo,
                      const StudyRunOptions& options, StudySink& sink) {
  StudyRecord record;
  record.threads = static_cast<int>(std::min<std::size_t>(
      tbb::this_task_arena::max_concurrency(),
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)));
  const auto start = tbb::tick_count::now();
  const ReplicationPolicy& policy = study.policy();
  StudyProgress progress;
  progress.variants_total = todo.size();

  // Graphs in order of first appearance; each group's variants in `todo` order.
  std::vector<std::vector<std::size_t>> groups;
  {
    std::map<std::uint64_t, std::size_t> group_of;
    for (std::size_t i : todo) {
      const auto [it, fresh] = group_of.emplace(study.variants().at(i).graph_key, groups.size());
      if (fresh) groups.emplace_back();
      groups[it->second].push_back(i);
    }
  }

  // Sink calls come from the first stage (failures), the accumulating stage (a
  // variant's start, trajectories, progress) and the hand-over stage; the hand-over
  // stage writes, so the accumulating stage only reports progress when the sink is free.
  std::mutex sink_mutex;
  std::mutex count_mutex;  // progress and record; a snapshot is taken under sink_mutex
  const auto count = [&](const auto& change) {
    const std::lock_guard lock(count_mutex);
    change();
    return progress;
  };
  EcosystemCache ecosystems;
  const auto fail = [&](std::size_t i, const std::string& message) {
    const StudyVariant& v = study.variants()[i];
    if (options.fail_fast) {
      throw InputError(todo.size() == 1 && study.design().keys.empty()
                           ? message
                           : fmt::format("variant {}: {}", v.name, message));
    }
    const std::lock_guard lock(sink_mutex);
    const StudyProgress now = count([&] {
      ++record.failed;
      ++progress.variants_done;
      ++progress.failures;
    });
    sink.failed(v, message);
    sink.progress(now);
  };

  std::uint64_t serial = 0;
  for (const std::vector<std::size_t>& group : groups) {
    throw_if_interrupted();
    std::shared_ptr<const GraphRecord> graph;
    const std::uint64_t graph_key = study.variants()[group.front()].graph_key;
    if (options.graphs != nullptr && options.graphs->graph && options.graphs->key == graph_key) {
      graph = options.graphs->graph;
    } else {
      if (options.graphs != nullptr) options.graphs->graph.reset();  // its memory goes first
      try {
        in_labelled_phase("building the graph", [&] {
          LoadedScenario first = study.load(group.front());
          graph = std::make_shared<const GraphRecord>(make_graph(first));
          return 0;
        });
      } catch (const InputError& e) {
        for (std::size_t i : group) fail(i, e.what());
        continue;
      }
      if (options.graphs != nullptr) *options.graphs = GraphCache{graph_key, graph};
    }
    {
      const std::lock_guard lock(sink_mutex);
      sink.graph_built(*graph);
    }
    tbb::enumerable_thread_specific<KernelCache> kernels;
    std::size_t next = 0;  // in `group`
    std::shared_ptr<Running> current;
    std::exception_ptr failure;
    std::atomic<bool> failed{false};
    const auto keep_failure = [&] {
      if (!failed.exchange(true)) failure = std::current_exception();
    };
    // The next variant of the group that can run, or null when none is left.
    const auto open_next = [&]() -> std::shared_ptr<Running> {
      while (next < group.size()) {
        const std::size_t i = group[next++];
        auto running = std::make_shared<Running>();
        running->index = i;
        running->serial = ++serial;
        const auto say = [&](bool starts) {
          const std::lock_guard lock(sink_mutex);
          sink.setting_up(study.variants()[i], starts);
        };
        say(true);
        struct SaidDone {  // whichever way the set-up ends
          const decltype(say)& tell;
          ~SaidDone() { tell(false); }
        } said{say};
        try {
          in_labelled_phase("drawing the partner ecosystem", [&] {
            running->loaded = study.load_on(i, graph->graph);
            running->model = make_model(running->loaded.scenario, graph->graph, &ecosystems);
            // Every target is one of the model's metrics: the Study checked it when planning.
            const std::vector<std::string>& names = running->model->metric_names();
            for (const CiTarget& t : policy.targets) {
              const auto it = std::find(names.begin(), names.end(), t.metric);
              running->target_metrics.push_back(static_cast<std::size_t>(it - names.begin()));
            }
            return 0;
          });
        } catch (const InputError& e) {
          fail(i, e.what());
          continue;
        }
        const Scenario& s = running->loaded.scenario;
        running->planned = s.run.replications;
        if (const auto piece = options.pieces.find(i); piece != options.pieces.end()) {
          running->first = running->issued = piece->second.first;
          running->planned = piece->second.end;
          running->accumulator.emplace(
              RunAccumulator::piece_from(running->model->metric_names(), s.run.steps, running->first));
        } else {
          running->accumulator.emplace(running->model->metric_names(), s.run.steps);
        }
        running->block = choose_block_size(running->planned - running->first, record.threads,
                                           running->model->metric_names().size(), s.run.steps);
        if (policy.adaptive()) {  // small blocks: few replications simulated past a stop
          running->block = static_cast<std::uint32_t>(
              std::clamp<std::uint64_t>(policy.check_every / 2, 1, running->block));
        }
        running->start = tbb::tick_count::now();
        return running;
      }
      return nullptr;
    };

    tbb::parallel_pipeline(
        static_cast<std::size_t>(2 * record.threads),
        tbb::make_filter<void, Unit>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& fc) -> Unit {
              try {
                while (!failed.load(std::memory_order_relaxed) && !interrupt_requested()) {
                  if (current && current->issued < current->planned &&
                      !current->done.load(std::memory_order_relaxed)) {
                    Unit unit;
                    unit.variant = current;
                    unit.first = current->issued;
                    const std::uint64_t count =
                        std::min<std::uint64_t>(current->block, current->planned - current->issued);
                    const std::size_t metrics = current->model->metric_names().size();
                    unit.trajectories.assign(count, Trajectory(metrics, current->loaded.scenario.run.steps));
                    current->issued += count;
                    return unit;
                  }
                  current = open_next();
                  if (!current) break;
                }
              } catch (...) {
                keep_failure();
              }
              current.reset();
              fc.stop();
              return {};
            }) &
            tbb::make_filter<Unit, Unit>(
                tbb::filter_mode::parallel,
                [&](Unit unit) {
                  if (failed.load(std::memory_order_relaxed) ||
                      unit.variant->done.load(std::memory_order_relaxed)) {
                    return unit;
                  }
                  try {
                    KernelCache& cache = kernels.local();
                    if (cache.serial != unit.variant->serial) {
                      cache.kernel.reset();  // the old one goes before the new one is made
                      cache.kernel = unit.variant->model->make_kernel();
                      cache.serial = unit.variant->serial;
                    }
                    for (std::size_t k = 0; k < unit.trajectories.size(); ++k) {
                      cache.kernel->simulate(static_cast<Replication>(unit.first + k),
                                             unit.trajectories[k]);
                    }
                  } catch (...) {
                    keep_failure();
                  }
                  return unit;
                }) &
            tbb::make_filter<Unit, Unit>(
                tbb::filter_mode::serial_in_order,
                [&](Unit unit) {
                  Running& v = *unit.variant;
                  if (failed.load(std::memory_order_relaxed) || v.done.load(std::memory_order_relaxed)) {
                    unit.trajectories.clear();  // simulated past the stop: never reported
                    return unit;
                  }
                  try {
                    RunAccumulator& acc = *v.accumulator;
                    std::size_t used = 0;
                    bool stop = false, reached = true;
                    for (const Trajectory& t : unit.trajectories) {
                      acc.add(t);
                      ++used;
                      const std::uint64_t n = acc.replications();
                      if (v.first + n == v.planned) {
                        stop = true;
                        reached = !policy.adaptive();
                      }
                      if (policy.adaptive() && n >= policy.min_replications &&
                          (n - policy.min_replications) % policy.check_every == 0) {
                        bool met = true;
                        for (std::size_t k = 0; k < v.target_metrics.size(); ++k) {
                          const std::size_t m = v.target_metrics[k];
                          met = met && acc.final_ci_half_width(m) <=
                                           policy.targets[k].relative * std::abs(acc.final_mean(m));
                        }
                        if (met) stop = reached = true;
                      }
                      if (stop) break;
                    }
                    if (options.trajectories) {
                      unit.trajectories.erase(unit.trajectories.begin() + static_cast<std::ptrdiff_t>(used),
                                             unit.trajectories.end());
                    } else {
                      unit.trajectories = {};  // the memory goes before the hand-over stage
                    }
                    if (stop) {
                      v.done.store(true, std::memory_order_relaxed);
                      unit.finishes = true;
                      unit.reached = reached;
                    }
                    // Progress only when the sink is free: the hand-over stage may be writing.
                    std::unique_lock lock(sink_mutex, std::try_to_lock);
                    const StudyProgress now = count([&] {
                      progress.replications_done += used;
                      record.replications += used;
                      progress.variant_replications_done = acc.replications();
                      progress.variant_replications_planned = v.planned - v.first;
                    });
                    if (lock.owns_lock()) sink.progress(now);
                  } catch (...) {
                    keep_failure();
                  }
                  return unit;
                }) &
            // The hand-over: a variant's start, its trajectories and, once it is done,
            // the variant itself go to the sink (which writes them), while the stages
            // before it go on with the next units.
            tbb::make_filter<Unit, void>(
                tbb::filter_mode::serial_in_order, [&](Unit unit) {
                  if (failed.load(std::memory_order_relaxed)) return;
                  Running& v = *unit.variant;
                  try {
                    const StudyVariant& variant = study.variants()[v.index];
                    const std::lock_guard lock(sink_mutex);
                    if (unit.first == 0) sink.started(variant, v.loaded.scenario, *v.model);
                    if (!unit.trajectories.empty()) sink.trajectories(variant, unit.first, unit.trajectories);
                    if (!unit.finishes) return;
                    // Here, not in the accumulating stage: this stage reads the scenario.
                    const bool piece = options.pieces.count(v.index) > 0;
                    if (!piece) v.loaded.scenario.run.replications = v.accumulator->replications();
                    const FinishedVariant finished{variant, v.loaded.scenario, *v.model, *v.accumulator, *graph,
                                                   (tbb::tick_count::now() - v.start).seconds(), unit.reached,
                                                   piece};
                    sink.finished(finished);
                    v.accumulator.reset();  // the memory goes now, not with the last unit
                    sink.progress(count([&] {
                      ++record.finished;
                      ++progress.variants_done;
                    }));
                  } catch (...) {
                    keep_failure();
                  }
                }));
    if (failure || interrupt_requested()) {
      const std::string done =
          todo.size() == 1 ? fmt::format("running the replications ({} of {} replications done)",
                                         progress.variant_replications_done,
                                         progress.variant_replications_planned)
                           : fmt::format("running the replications ({} of {} variants done)",
                                         progress.variants_done, todo.size());
      try {
        if (failure) std::rethrow_exception(failure);
      } catch (const Interrupted& e) {
        throw Interrupted(e.signal(), e.during().empty() ? done : e.during());
      } catch (const std::bad_alloc&) {
        throw OutOfMemory("running the replications");
      } catch (const std::length_error&) {
        throw OutOfMemory("running the replications");
      }
      throw Interrupted(interrupt_signal(), done);
    }
  }
  record.seconds = (tbb::tick_count::now() - start).seconds();
  return record;
}

}  // namespace campaign
