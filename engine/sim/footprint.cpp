// The sizes below follow the allocations in the code they name; where a size depends on
// the run's course (frontier lists, talkers, quantile sketch buckets) the figure is the
// one measured on the bundled scenarios and the benchmark graphs (docs/performance.md,
// "Memory"), rounded up.
#include "sim/footprint.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "core/text.h"
#include "graph/csr_file.h"
#include "graph/edge_list_loader.h"
#include "model/ecosystem.h"
#include "sim/runner.h"

namespace campaign {
namespace {

constexpr double NODE_ID = 4;    // bytes of a NodeId
constexpr double OFFSET = 8;     // bytes of a CSR offset
constexpr double EDGE = 8;       // a (NodeId, NodeId) pair in an edge list
constexpr double PER_THREAD_VIRTUAL = 72e6;  // glibc's arena (64 MB reserved) + a stack

// The CSR: offsets per person, two 4-byte arcs per edge.
double csr_bytes(double people, double edges) { return OFFSET * (people + 1) + 2 * NODE_ID * edges; }

// GraphBuilder::build holds the edge list, the offsets, the arcs and a cursor per person
// (then a 4-byte count per person for the sorts).
double builder_peak(double people, double edges) {
  return EDGE * edges + csr_bytes(people, edges) + (OFFSET + NODE_ID) * people;
}

// Expected degree of the discrete power law k^-a on [k_min, k_max] (power_law_degrees).
double power_law_mean(double exponent, std::uint32_t k_min, std::uint32_t k_max) {
  double weight = 0, moment = 0;
  for (std::uint64_t k = k_min; k <= k_max; ++k) {
    const double w = std::pow(static_cast<double>(k), -exponent);
    weight += w;
    moment += w * static_cast<double>(k);
  }
  return weight > 0 ? moment / weight : 0.0;
}

GraphEstimate generated_graph(const Scenario& s) {
  const auto& g = s.graph;
  const double n = s.audience.size;
  GraphEstimate e;
  e.source = std::string(name_of(g.model));
  e.people = n;
  e.keys = "audience.size";
  double build = 0;
  switch (g.model) {
    case GraphModel::complete:
      e.edges = n * (n - 1) / 2;
      e.exact = true;
      build = csr_bytes(n, e.edges);
      break;
    case GraphModel::ring_lattice:
    case GraphModel::watts_strogatz:
      // The generator's own edge list and the builder's copy of it, then the build.
      e.edges = n * g.k;
      e.exact = g.model == GraphModel::ring_lattice;
      e.keys += ", graph.k";
      build = std::max(2 * EDGE * e.edges, builder_peak(n, e.edges));
      break;
    case GraphModel::erdos_renyi:
      e.edges = n * g.mean_degree / 2;
      e.keys += ", graph.mean_degree";
      build = csr_bytes(n, e.edges) + OFFSET * n;  // build_upper_triangle: + an atomic cursor
      break;
    case GraphModel::barabasi_albert:
      // A clique of m + 1 people, then m links from each newcomer.
      e.edges = g.m * (g.m + 1.0) / 2 + (n - g.m - 1) * g.m;
      e.exact = true;
      e.keys += ", graph.m";
      // Its edge list and the list of edge ends, then the builder.
      build = std::max(2 * EDGE * e.edges + NODE_ID * n, builder_peak(n, e.edges));
      break;
    case GraphModel::random_regular:
    case GraphModel::configuration: {
      double mean = g.degree;
      if (g.model == GraphModel::configuration) {
        e.keys += ", graph.degree_distribution";
        switch (g.degree_distribution) {
          case DegreeDistribution::power_law:
            mean = power_law_mean(g.exponent, g.min_degree, g.max_degree);
            e.keys += ", graph.exponent, graph.min_degree";
            break;
          case DegreeDistribution::poisson:
            mean = g.poisson_mean;
            e.keys += ", graph.poisson_mean";
            break;
          case DegreeDistribution::sequence: {
            double total = 0;
            for (const auto d : g.degree_sequence) total += static_cast<double>(d);
            mean = n > 0 ? total / n : 0;
            e.keys += ", graph.degree_sequence";
            break;
          }
        }
      } else {
        e.keys += ", graph.degree";
      }
      e.edges = n * mean / 2;
      // The stubs (4 bytes each, two per edge) and the builder's edge list, then the build.
      build = std::max(2 * EDGE * e.edges + NODE_ID * n, builder_peak(n, e.edges));
      break;
    }
    case GraphModel::stochastic_block: {
      std::vector<double> sizes;
      if (!g.block_sizes.empty()) {
        for (const auto b : g.block_sizes) sizes.push_back(static_cast<double>(b));
      } else if (g.blocks == 0) {
        for (const NodeId b : segment_sizes(s.segments.shares, s.audience.size)) sizes.push_back(b);
      } else {
        sizes.assign(g.blocks, n / g.blocks);
      }
      double within = 0;
      for (const double b : sizes) within += b * (b - 1) / 2;
      e.edges = g.p_in * within + g.p_out * (n * (n - 1) / 2 - within);
      e.keys += ", graph.p_in, graph.p_out";
      build = csr_bytes(n, e.edges) + OFFSET * n;
      break;
    }
    case GraphModel::edge_list:
      break;
  }
  e.bytes = csr_bytes(n, e.edges);
  e.build_bytes = std::max(build, e.bytes);
  return e;
}

}  // namespace

GraphEstimate estimate_graph_file(const std::string& file) {
  check_graph_path(file);
  GraphEstimate e;
  e.source = file;
  e.keys = "graph.path";
  if (is_csr_file(file)) {
    const CsrHeader h = read_csr_header(file);
    e.people = static_cast<double>(h.nodes);
    e.edges = static_cast<double>(h.arcs) / (h.directed ? 1 : 2);
    e.exact = true;
    e.bytes = csr_bytes(e.people, e.edges);
    e.build_bytes = e.bytes + (h.has_original_ids ? 8 * e.people : 0);
    return e;
  }
  const EdgeListSize size = estimate_edge_list_size(file);
  e.edges = size.edges;
  e.exact = size.exact;
  // Ids are unknown until the file is read: at most two new people per edge, and
  // seldom more people than edges in a social network. A Matrix Market file says its
  // people (rows) in its size line, isolated ones included.
  e.people = size.people >= 0 ? size.people : std::min(2 * e.edges, std::max(e.edges, 1.0));
  e.bytes = csr_bytes(e.people, e.edges);
  // The loader keeps both ends of every edge as 8-byte ids (in a vector that may have
  // doubled), then their 4-byte ranks, then hands them to the builder.
  e.build_bytes = std::max(4 * OFFSET * e.edges + 2 * NODE_ID * e.edges,
                           builder_peak(e.people, e.edges));
  if (size.people >= 0) e.build_bytes += OFFSET * e.people;  // its people's ids, 1..n, beside the builder
  return e;
}

namespace {

// Bytes per person of one replication's state, by model (the kernels' arrays, and their
// lists at the sizes measured on large runs).
double kernel_bytes_per_person(const Scenario& s) {
  switch (s.diffusion.model) {
    case DiffusionModel::independent_cascade:
      return 0.25 + 2 * NODE_ID;  // two bits, and the frontier lists
    case DiffusionModel::network_bass:
      // adoption step and open contacts (4 + 4), adopters and talkers lists, and the
      // list of the unadopted when advertising.
      return 4 + 4 + 2 * NODE_ID + (s.diffusion.p > 0 ? NODE_ID : 0);
    case DiffusionModel::campaign:
      // stage, interest step, episodes, put-off, 16-byte source memory, three bits, and
      // the lists of touched people and talkers.
      return 1 + 4 + 1 + 1 + 16 + 3.0 / 8 + NODE_ID + 16;
  }
  return 0;
}

std::size_t metric_count(const Scenario& s) {
  return s.diffusion.model == DiffusionModel::campaign ? 27 : 3;
}

// One cell of the per-step statistics: moments and the sketch's fixed part, then its
// buckets (an 8-byte count and a flag each), which span the values seen: measured on the
// bundled campaigns at 2,000 steps, 0.5-1.7 kB a cell with 2-20 replications and 1.1-3 kB
// with 500; the estimate grows from 70 buckets (0.8 kB) to 250 (2.4 kB).
double statistics_cell_bytes(std::uint64_t replications) {
  return 200 + 9 * std::min(250.0, 30.0 + 20.0 * static_cast<double>(replications));
}

// The process itself: code, the thread pool, HDF5's caches (measured: 10-15 MB for the
// smallest bundled runs).
constexpr double PROCESS = 12e6;

// The partner ecosystem and the media plan.
MemoryPart ecosystem_part(const Scenario& s, double people) {
  MemoryPart part{"partner ecosystem", 0, "partners.count, partners.reach_mean"};
  if (s.diffusion.model != DiffusionModel::campaign) return part;
  const auto& p = s.partners;
  // A file's rows, from its size: a row is at least about 8 bytes ("ann,1234").
  const auto rows_of = [&](const std::string& name) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(resolve_path(s, name), ec);
    return ec ? 0.0 : static_cast<double>(size) / 8;
  };
  double followers = 0, file_rows = 0;  // file_rows: 8 bytes each while a file is read
  if (p.followers == FollowerModel::file) {
    followers = file_rows = rows_of(p.followers_file);
  } else if (!p.reach.empty()) {
    for (const auto r : p.reach) followers += std::min<double>(static_cast<double>(r), people);
  } else {
    followers = p.count * std::min(p.reach_mean, people);
  }
  double pairs = cooperation_degree(p) * p.count / 2;
  if (p.cooperation_model == CooperationModel::file) {
    pairs = rows_of(p.cooperation_file);
    file_rows = std::max(file_rows, pairs);
  }
  double messages = 0;
  if (s.media.strategy == MediaStrategy::calendar) {
    messages = rows_of(s.media.calendar) / 2;  // a calendar row is longer: about 16 bytes
  } else if (s.media.strategy != MediaStrategy::none && s.media.start <= s.run.steps) {
    messages = (std::floor((s.run.steps - s.media.start) / static_cast<double>(s.media.cadence)) + 1) *
               s.media.messages_per_step;
    // The budget stops the plan at its cheapest messages' count.
    double cheapest = s.firm.message_cost;
    if (s.media.strategy == MediaStrategy::triads) {
      double partner = p.costs.empty() ? p.cost : *std::min_element(p.costs.begin(), p.costs.end());
      cheapest = 3 * partner;
    }
    if (cheapest > 0) messages = std::min(messages, std::floor(s.media.budget / cheapest));
  }
  const double per_message = s.media.strategy == MediaStrategy::solo
                                 ? std::min<double>(s.firm.reach, people)
                                 : 3 * (p.count > 0 ? followers / p.count : 0.0);
  // Followers: a CSR of 4-byte ids and an 8-byte offset per partner. Cooperation: a CSR
  // (two ids per pair, an offset per partner, an 8-byte cursor per partner while it is
  // built). A triad plan indexes the triads (TriadIndex: one id per pair, 17 bytes per
  // partner) unless the cooperation is dense, where triads are drawn by rejection instead;
  // fresh_reach keeps every valid triangle and a heap entry for it (36 bytes; at most
  // about pairs x degree / 3 triangles, as if every partner's peers all cooperated).
  const bool indexed = s.media.strategy == MediaStrategy::triads;
  const double triangles = s.media.triad_choice == TriadChoice::fresh_reach && indexed
                               ? std::min(5e7, pairs * (p.count > 0 ? 2 * pairs / p.count : 0.0) / 3)
                               : 0.0;
  if (p.cooperation_model == CooperationModel::file && 2 * pairs > followers) {
    part.keys = "partners.cooperation_file";
  } else if (p.followers == FollowerModel::file) {
    part.keys = "partners.followers_file";
  } else if (2 * pairs > followers) {
    part.keys = "partners.count, partners.cooperation";  // the larger part
  }
  part.bytes = NODE_ID * followers + OFFSET * p.count + 2 * NODE_ID * pairs + (2 * OFFSET) * p.count +
               (indexed ? NODE_ID * pairs + 17.0 * p.count : 0.0) + 36 * triangles + EDGE * file_rows +
               sizeof(Partner) * p.count +
               112 * messages /* the message and its stage events */ +
               NODE_ID * std::min<double>(s.firm.reach, people) +
               NODE_ID * messages * std::min(per_message, people) + people /* segment of each */;
  return part;
}

std::uint64_t read_uint(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::numeric_limits<std::uint64_t>::max();
  try {
    return std::stoull(text);
  } catch (...) {
    return std::numeric_limits<std::uint64_t>::max();
  }
}

// "VmSize:  123456 kB" from /proc/self/status, in bytes (0 if absent).
double status_bytes(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream fields(line.substr(field.size() + 1));
      double kb = 0;
      fields >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

// The smallest memory limit of this process's cgroup and its ancestors.
double cgroup_limit() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  double limit = std::numeric_limits<double>::infinity();
  while (std::getline(in, line)) {
    // v2: "0::/path"; v1: "N:memory:/path" (or with other controllers joined by commas).
    const auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    std::filesystem::path group = line.substr(second + 1);
    std::string root, file;
    if (controllers.empty()) {
      root = "/sys/fs/cgroup";
      file = "memory.max";
    } else if (("," + controllers + ",").find(",memory,") != std::string::npos) {
      root = "/sys/fs/cgroup/memory";
      file = "memory.limit_in_bytes";
    } else {
      continue;
    }
    for (;;) {
      const auto value = read_uint(root + group.string() + "/" + file);
      if (value < (std::uint64_t{1} << 62)) limit = std::min(limit, static_cast<double>(value));
      if (group == group.root_path() || group.empty()) break;
      group = group.parent_path();
    }
  }
  return limit;
}

}  // namespace

GraphEstimate estimate_graph(const Scenario& scenario) {
  if (scenario.graph.model != GraphModel::edge_list) return generated_graph(scenario);
  return estimate_graph_file(resolve_path(scenario, scenario.graph.path));
}

Footprint estimate_footprint(const Scenario& s, unsigned threads, bool save_trajectories) {
  Footprint f;
  f.graph = estimate_graph(s);
  f.replications = s.run.replications;
  f.steps = s.run.steps;
  const double people = f.graph.people;
  const double points = s.run.steps + 1.0;
  const std::size_t metrics = metric_count(s);
  const double workers = std::max(1u, threads);
  f.block_size = choose_block_size(s.run.replications, static_cast<int>(workers), metrics, s.run.steps);

  f.run_parts.push_back({"the process", PROCESS, ""});
  f.run_parts.push_back({"graph", f.graph.bytes, f.graph.keys});
  f.run_parts.push_back(ecosystem_part(s, people));
  double state = kernel_bytes_per_person(s) * people;
  if (s.diffusion.model == DiffusionModel::campaign && s.agency.budget_per_step > 0) {
    // The queue of bought leads (8 bytes each) waits up to the patience.
    state += 3 * 8 * s.agency.budget_per_step / s.agency.cost_per_lead * (s.funnel.patience + 1.0);
  }
  f.run_parts.push_back({fmt::format("replication state ({} thread{} x {})", workers, workers == 1 ? "" : "s",
                                     format_bytes(state)),
                         workers * state, "audience.size"});
  const double cells = metrics * points;
  const double finals = (metrics + 3.0) * 8 * static_cast<double>(s.run.replications);
  f.run_parts.push_back({"statistics", cells * statistics_cell_bytes(s.run.replications) + finals,
                         "run.steps, run.replications"});
  // The pipeline holds up to 2 x threads blocks of trajectories, each twice over (the
  // block and its copy in the accumulator's order), and the writer a band per metric.
  const double trajectory = metrics * points * 8;
  double in_flight = 2 * workers * f.block_size * trajectory;
  if (save_trajectories) in_flight += 2 * metrics * std::max(1e6, 8 * points);
  f.run_parts.push_back({"trajectories in flight", in_flight, "run.steps"});

  for (const MemoryPart& part : f.run_parts) f.run_bytes += part.bytes;
  f.graph.build_bytes += PROCESS;
  f.peak_is_build = f.graph.build_bytes > f.run_bytes;
  f.peak_bytes = std::max(f.graph.build_bytes, f.run_bytes);
  return f;
}

MemoryLimit memory_limit(unsigned threads) {
  MemoryLimit limit;
  limit.bytes = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE));
  limit.source = "physical memory";
  const double group = cgroup_limit();
  if (group < limit.bytes) {
    limit.bytes = group;
    limit.source = "cgroup memory limit";
  }
  // Address space (ulimit -v) and data segment (ulimit -d): the room left under each.
  const struct {
    int resource;
    const char* used;
    const char* source;
  } rlimits[] = {{RLIMIT_AS, "VmSize", "ulimit -v"}, {RLIMIT_DATA, "VmData", "ulimit -d"}};
  for (const auto& r : rlimits) {
    struct rlimit rl {};
    if (::getrlimit(r.resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) continue;
    const double room = static_cast<double>(rl.rlim_cur) - status_bytes(r.used) -
                        PER_THREAD_VIRTUAL * std::max(1u, threads);
    if (room < limit.bytes) {
      limit.bytes = std::max(0.0, room);
      limit.source = r.source;
    }
  }
  return limit;
}

void check_fits(const Footprint& f, const MemoryLimit& limit, const std::string& where,
                const std::string& task) {
  if (f.peak_bytes <= limit.bytes) return;
  std::string parts;
  std::vector<std::string> keys;
  const auto add_keys = [&](const std::string& list) {
    for (std::size_t at = 0; at < list.size();) {
      const std::size_t comma = std::min(list.find(", ", at), list.size());
      const std::string key = list.substr(at, comma - at);
      if (!key.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
      at = comma + 2;
    }
  };
  if (f.peak_is_build) {
    parts = fmt::format("the graph while it is built or read: {}", format_bytes(f.graph.build_bytes));
    add_keys(f.graph.keys);
  } else {
    std::vector<MemoryPart> sorted = f.run_parts;
    std::sort(sorted.begin(), sorted.end(),
              [](const MemoryPart& a, const MemoryPart& b) { return a.bytes > b.bytes; });
    // The largest part, and the next where it matters (a tenth of the peak): the line stays
    // short enough to keep its advice.
    for (std::size_t i = 0; i < 2 && i < sorted.size() && sorted[i].bytes > (i == 0 ? 0 : f.peak_bytes / 10); ++i) {
      if (i > 0) parts += ", ";
      parts += fmt::format("{} {}", sorted[i].what, format_bytes(sorted[i].bytes));
      add_keys(sorted[i].keys);
    }
  }
  throw InputError(fmt::format(
      "{}: {} needs about {} of memory at its peak ({}), more than the {} available ({}); driven "
      "by {}; --force tries anyway{}",
      excerpt_path(where, 60), task, format_bytes(f.peak_bytes), parts, format_bytes(limit.bytes), limit.source,
      fmt::join(keys, ", "), task == "this run" ? " (--dry-run shows the estimate)" : ""));
}

std::string format_bytes(double bytes) {
  if (!(bytes < 1e30)) return "more than 1e30 B";
  if (bytes < 1e4) return fmt::format("{:.0f} B", bytes);
  if (bytes < 1e6) return fmt::format("{:.1f} kB", bytes / 1e3);
  if (bytes < 1e9) return fmt::format("{:.1f} MB", bytes / 1e6);
  if (bytes < 1e12) return fmt::format("{:.1f} GB", bytes / 1e9);
  return fmt::format("{:.1f} TB", bytes / 1e12);
}

}  // namespace campaign
