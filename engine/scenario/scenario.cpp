// Cross-key checks of a scenario. Single-key ranges are checked where each key is read
// (scenario/key_registry.cpp); here are the rules that tie keys together.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>

#include "core/error.h"
#include "scenario/scenario.h"
#include "scenario/scenario_loader.h"

namespace campaign {
namespace {

// The complete graph stores n(n-1) arcs; beyond this it would not fit a 24 GiB machine.
constexpr std::uint32_t MAX_COMPLETE_GRAPH = 20'000;
// A person's segment is stored in one byte.
constexpr std::size_t MAX_SEGMENTS = 255;
// Leads an agency may buy per step, on average: each is simulated one by one (queued,
// processed, converted), and the Poisson sampler stays exact and fast far beyond it.
constexpr double MAX_AGENCY_LEADS_PER_STEP = 1e6;
// Totals of money must stay finite (the statistics refuse infinities): this bounds what a
// replication can add up, far below the largest double.
constexpr double MAX_MONEY_TOTAL = 1e300;

class Checker {
 public:
  Checker(const Scenario& s, const KeyOrigins& origins) : s_(s), origins_(origins) {}

  template <class... Args>
  void require(bool ok, const std::string& key, fmt::format_string<Args...> message,
               Args&&... args) const {
    if (!ok) {
      throw InputError(fmt::format("{}: {}", origins_.where(key),
                                   fmt::format(message, std::forward<Args>(args)...)));
    }
  }

 private:
  const Scenario& s_;
  const KeyOrigins& origins_;
};

void validate_campaign(const Scenario& s, const KeyOrigins& origins) {
  const Checker check(s, origins);
  const auto& seg = s.segments;
  const std::size_t n = seg.names.size();
  check.require(n >= 1 && n <= MAX_SEGMENTS, "segments.names",
                "segments.names has {} entries; allowed: 1 .. {} segments", n, MAX_SEGMENTS);
  const std::pair<const char*, std::size_t> lists[] = {
      {"segments.shares", seg.shares.size()},
      {"segments.propensity", seg.propensity.size()},
      {"segments.talkativeness", seg.talkativeness.size()},
      {"segments.price", seg.price.size()},
      {"segments.repeat_rate", seg.repeat_rate.size()}};
  for (const auto& [key, size] : lists) {
    check.require(size == n, key,
                  "{} has {} entries but segments.names has {}; every segments list needs one "
                  "entry per segment",
                  key, size, n);
  }
  double total = 0;
  for (double share : seg.shares) total += share;
  check.require(std::abs(total - 1.0) <= 1e-9, "segments.shares",
                "segments.shares sum to {}; they must sum to 1", total);
  check.require(s.agency.segment < n, "agency.segment",
                "agency.segment = {} is not a segment; allowed: 0 .. {}", s.agency.segment, n - 1);

  // A message's three stages are keyed message * 3 + stage in 32 bits: at most 10^8
  // messages in a plan (and each holds its audience).
  const auto& m = s.media;
  if ((m.strategy == MediaStrategy::solo || m.strategy == MediaStrategy::triads) && m.start <= s.run.steps) {
    const double sends = std::floor((s.run.steps - m.start) / static_cast<double>(m.cadence)) + 1;
    check.require(sends * m.messages_per_step <= MAX_PLAN_MESSAGES, "media.messages_per_step",
                  "media.messages_per_step = {} over {} sends is {:.6g} messages, more than the {:.0e} a plan "
                  "may hold; lower media.messages_per_step or raise media.cadence",
                  m.messages_per_step, sends, sends * m.messages_per_step, static_cast<double>(MAX_PLAN_MESSAGES));
  }

  const auto& a = s.agency;
  const double leads_per_step = a.budget_per_step > 0 ? a.budget_per_step / a.cost_per_lead : 0.0;
  check.require(leads_per_step <= MAX_AGENCY_LEADS_PER_STEP, "agency.budget_per_step",
                "agency.budget_per_step / agency.cost_per_lead = {:.6g} leads per step, more than the "
                "{:.0e} the model simulates one by one; lower agency.budget_per_step or raise "
                "agency.cost_per_lead",
                leads_per_step, MAX_AGENCY_LEADS_PER_STEP);
  // The most money a replication can add up: every person buying in every step, every
  // bought lead buying, every cost paid every step.
  const double people = s.audience.size > 0 ? s.audience.size : 2e9;
  const double steps = s.run.steps;
  const double purchases = people * (steps + 1) + leads_per_step * steps;
  double price = 0;
  for (double x : seg.price) price = std::max(price, x);
  double partner_cost = s.partners.cost;
  for (double x : s.partners.costs) partner_cost = std::max(partner_cost, x);
  const double spend = s.media.budget + steps * (a.budget_per_step + s.firm.fixed_cost +
                                                 s.media.advertising_cost +
                                                 3 * partner_cost + s.firm.message_cost) +
                       purchases * s.firm.unit_cost;
  check.require(price * purchases < MAX_MONEY_TOTAL && spend < MAX_MONEY_TOTAL, "segments.price",
                "the money a replication can add up (prices x purchases, costs x steps) could "
                "exceed {:.0e}; lower the prices and costs",
                MAX_MONEY_TOTAL);

  const auto& p = s.partners;
  const std::pair<const char*, std::size_t> partner_lists[] = {{"partners.names", p.names.size()},
                                                               {"partners.roles", p.roles.size()},
                                                               {"partners.reach", p.reach.size()},
                                                               {"partners.credibilities", p.credibilities.size()},
                                                               {"partners.costs", p.costs.size()}};
  for (const auto& [key, size] : partner_lists) {
    check.require(size == 0 || size == p.count, key,
                  "{} has {} entries; it needs one per partner (partners.count = {}) or none", key,
                  size, p.count);
  }
  if (!p.names.empty()) {
    std::set<std::string_view> distinct;
    for (const std::string& name : p.names) {
      check.require(distinct.insert(name).second, "partners.names", "partners.names has \"{}\" twice; names must be distinct", name);
    }
  }
  // A file and the model that reads it come together.
  const auto paired = [&](bool model, bool file, const char* model_key, const char* file_key, const char* value) {
    check.require(!model || file, model_key, "{} = \"{}\" needs {}", model_key, value, file_key);
    check.require(model || !file, file_key, "{} is given, but {} is not \"{}\"", file_key, model_key, value);
  };
  paired(p.followers == FollowerModel::file, !p.followers_file.empty(), "partners.followers", "partners.followers_file",
         "file");
  paired(p.cooperation_model == CooperationModel::file, !p.cooperation_file.empty(), "partners.cooperation_model",
         "partners.cooperation_file", "file");
  paired(s.media.strategy == MediaStrategy::calendar, !s.media.calendar.empty(), "media.strategy", "media.calendar",
         "calendar");
  if (p.followers == FollowerModel::community) {
    const std::size_t communities = s.segments.names.size() >= 2 ? s.segments.names.size() : p.communities;
    check.require(communities >= 2 || p.leakage == 0, "partners.leakage",
                  "partners.leakage = {:g} draws followers from outside a partner's community, but there is one "
                  "community (partners.communities = 1 and fewer than two segments); set partners.communities",
                  p.leakage);
    check.require(s.audience.size == 0 || communities <= s.audience.size, "partners.communities",
                  "partners.communities = {} exceeds the audience ({} people)", communities, s.audience.size);
  }
  bool can[3] = {p.owner_share > 0, p.source_share > 0, p.channel_share > 0};
  if (!p.roles.empty()) {
    can[0] = can[1] = can[2] = false;
    for (std::size_t i = 0; i < p.roles.size(); ++i) {
      const std::uint8_t bits = parse_roles(p.roles[i]);
      check.require(bits != ROLES_INVALID, "partners.roles",
                    "partners.roles[{}] = \"{}\" is not allowed; allowed: owner, source, channel "
                    "joined by '+'",
                    i, p.roles[i]);
      for (int r = 0; r < 3; ++r) can[r] = can[r] || (bits >> r & 1);
    }
  }
  if (s.media.strategy == MediaStrategy::triads) {
    check.require(p.count >= 3, "partners.count",
                  "media.strategy = \"triads\" needs at least 3 partners; partners.count = {}", p.count);
    static constexpr const char* ROLE_KEYS[] = {"partners.owner_share", "partners.source_share",
                                                "partners.channel_share"};
    for (int r = 0; r < 3; ++r) {
      check.require(can[r], p.roles.empty() ? ROLE_KEYS[r] : "partners.roles",
                    "media.strategy = \"triads\" needs a partner able to be {}, but no partner can "
                    "play that role",
                    ROLE_DESCRIPTIONS[r]);
    }
    check.require(p.cooperation_model == CooperationModel::file || cooperation_degree(p) > 0, p.cooperation_degree > 0 ? "partners.cooperation_degree" : "partners.cooperation",
                  "media.strategy = \"triads\" needs cooperating partners; partners.cooperation = 0 and "
                  "partners.cooperation_degree = 0");
  }
  if (p.count < 2 || cooperation_degree(p) == 0) return;
  // The mean degree is partners.cooperation_degree, or derived from partners.cooperation.
  const char* degree_key = p.cooperation_degree > 0 ? "partners.cooperation_degree" : "partners.cooperation";
  const std::string degree = p.cooperation_degree > 0
                                 ? fmt::format("partners.cooperation_degree = {:g}", p.cooperation_degree)
                                 : fmt::format("a mean degree of {:g} (partners.cooperation = {:g})",
                                               cooperation_degree(p), p.cooperation);
  switch (p.cooperation_model) {
    case CooperationModel::file:
      break;
    case CooperationModel::random:
      check.require(cooperation_degree(p) <= p.count - 1.0, degree_key, "{} exceeds partners.count - 1 = {}", degree,
                    p.count - 1);
      break;
    case CooperationModel::block: {
      check.require(p.groups <= p.count, "partners.groups", "partners.groups = {} exceeds partners.count = {}",
                    p.groups, p.count);
      const BlockCooperation b = block_cooperation(p);
      check.require(b.p_in <= 1 && b.p_out <= 1, degree_key,
                    "{} with partners.cooperation_within = {:g} needs {:g} peers inside a group of {} and {:g} "
                    "outside it among {}; lower the degree or change partners.groups",
                    degree, p.cooperation_within, cooperation_degree(p) * p.cooperation_within,
                    p.count / p.groups, cooperation_degree(p) * (1 - p.cooperation_within),
                    p.count - p.count / p.groups);
      break;
    }
    case CooperationModel::preferential:
      check.require(preferential_links(p) < p.count, degree_key,
                    "partners.cooperation_model = \"preferential\" links each new partner to {} earlier "
                    "ones (half of {}), which needs more than {} partners",
                    preferential_links(p), degree, p.count);
      break;
  }
}

}  // namespace

std::uint8_t parse_roles(std::string_view text) {
  std::uint8_t bits = 0;
  for (;;) {  // an empty role ("", "owner+", "+channel") is invalid
    const auto plus = text.find('+');
    const std::string_view role = text.substr(0, plus);
    if (role.empty()) return ROLES_INVALID;
    if (role == "owner") {
      bits |= ROLE_OWNER;
    } else if (role == "source") {
      bits |= ROLE_SOURCE;
    } else if (role == "channel") {
      bits |= ROLE_CHANNEL;
    } else {
      return ROLES_INVALID;
    }
    if (plus == std::string_view::npos) break;
    text.remove_prefix(plus + 1);
  }
  return bits;
}

std::string resolve_path(const Scenario& s, const std::string& name) {
  std::filesystem::path path(name);
  if (path.is_relative()) path = std::filesystem::path(s.base_dir) / path;
  return path.lexically_normal().string();
}

double cooperation_degree(const PartnerSettings& p) {
  if (p.cooperation_degree > 0) return p.cooperation_degree;
  return p.count < 2 ? 0.0 : p.cooperation * (p.count - 1.0);
}

BlockCooperation block_cooperation(const PartnerSettings& p) {
  const double d = cooperation_degree(p);
  if (p.groups <= 1) return {d / (p.count - 1.0), 0.0};
  const double size = static_cast<double>(p.count) / p.groups;  // sizes differ by at most one
  const double inside = size - 1, outside = p.count - size;
  return {inside > 0 ? d * p.cooperation_within / inside : (d * p.cooperation_within > 0 ? 2.0 : 0.0),
          d * (1 - p.cooperation_within) / outside};
}

std::uint32_t preferential_links(const PartnerSettings& p) {
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::llround(cooperation_degree(p) / 2)));
}

std::vector<NodeId> segment_sizes(const std::vector<double>& shares, NodeId n) {
  // Cumulative rounding: boundary i = round(n * (share_0 + ... + share_i)).
  std::vector<NodeId> sizes;
  double cumulative = 0;
  NodeId previous = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    cumulative += shares[i];
    const NodeId boundary =
        i + 1 == shares.size() ? n : static_cast<NodeId>(std::min<double>(n, std::llround(cumulative * n)));
    sizes.push_back(boundary - std::min(boundary, previous));
    previous = std::max(previous, boundary);
  }
  return sizes;
}

void validate(const Scenario& s, const KeyOrigins& origins) {
  const Checker check(s, origins);
  const std::uint64_t n = s.audience.size;
  const auto& g = s.graph;

  check.require(!s.run.name.empty() && s.run.name.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789_-.@=+") == std::string::npos &&
                    s.run.name != "." && s.run.name != "..",
                "run.name", "run.name = \"{}\" is not allowed; allowed: letters, digits and _ - . @ = +",
                s.run.name);

  switch (g.model) {
    case GraphModel::complete:
      check.require(n <= MAX_COMPLETE_GRAPH, "audience.size",
                    "audience.size = {} is too large for graph.model = \"complete\"; allowed: 1 .. {}",
                    n, MAX_COMPLETE_GRAPH);
      break;
    case GraphModel::ring_lattice:
    case GraphModel::watts_strogatz:
      check.require(2ull * g.k < n, "graph.k",
                    "graph.k = {} needs audience.size > 2k; allowed for size {}: 1 .. {}", g.k, n,
                    n > 1 ? (n - 1) / 2 : 0);
      break;
    case GraphModel::erdos_renyi:
      check.require(n >= 2 && g.mean_degree <= static_cast<double>(n - 1), "graph.mean_degree",
                    "graph.mean_degree = {} is out of range for audience.size = {}; allowed: (0, {}]",
                    g.mean_degree, n, n > 0 ? n - 1 : 0);
      break;
    case GraphModel::barabasi_albert:
      check.require(g.m < n, "graph.m", "graph.m = {} needs audience.size > m; allowed: 1 .. {}",
                    g.m, n - 1);
      break;
    case GraphModel::random_regular:
      check.require(g.degree < n, "graph.degree",
                    "graph.degree = {} needs audience.size > degree; allowed: 1 .. {}", g.degree,
                    n - 1);
      break;
    case GraphModel::configuration:
      if (g.degree_distribution == DegreeDistribution::power_law) {
        check.require(g.min_degree <= g.max_degree, "graph.min_degree",
                      "graph.min_degree = {} exceeds graph.max_degree = {}", g.min_degree,
                      g.max_degree);
        check.require(g.max_degree - g.min_degree < (1u << 24), "graph.max_degree",
                      "graph.max_degree = {} is too far above graph.min_degree = {}; allowed: "
                      "max_degree - min_degree < 16777216",
                      g.max_degree, g.min_degree);
        check.require(g.max_degree < n, "graph.max_degree",
                      "graph.max_degree = {} needs audience.size > max_degree; allowed: 1 .. {}",
                      g.max_degree, n - 1);
      } else if (g.degree_distribution == DegreeDistribution::sequence) {
        check.require(g.degree_sequence.size() == n, "graph.degree_sequence",
                      "graph.degree_sequence has {} entries; it needs one per person "
                      "(audience.size = {})",
                      g.degree_sequence.size(), n);
        for (std::size_t i = 0; i < g.degree_sequence.size(); ++i) {
          check.require(static_cast<std::uint64_t>(g.degree_sequence[i]) < n,
                        "graph.degree_sequence",
                        "graph.degree_sequence[{}] = {} is out of range; allowed: 0 .. {}", i,
                        g.degree_sequence[i], n - 1);
        }
      }
      break;
    case GraphModel::stochastic_block:
      if (g.block_sizes.empty() && g.blocks == 0) {
        check.require(s.segments.shares.size() <= n, "graph.blocks",
                      "graph.blocks = 0 (one block per segment) needs at least one person per segment");
      } else if (g.block_sizes.empty()) {
        check.require(g.blocks <= n, "graph.blocks",
                      "graph.blocks = {} exceeds audience.size = {}; allowed: 1 .. {}", g.blocks,
                      n, n);
      } else {
        const auto total = std::accumulate(g.block_sizes.begin(), g.block_sizes.end(),
                                           std::int64_t{0});
        check.require(static_cast<std::uint64_t>(total) == n, "graph.block_sizes",
                      "graph.block_sizes sum to {}, but audience.size = {}; they must be equal",
                      total, n);
      }
      break;
    case GraphModel::edge_list:
      check.require(!g.path.empty(), "graph.path",
                    "graph.path is empty; graph.model = \"edge_list\" needs a file");
      break;
  }
  check.require(!g.directed || g.model == GraphModel::edge_list, "graph.directed",
                "graph.directed = true is for a graph file (graph.model = \"edge_list\"); the generated "
                "graphs are undirected");

  if (s.diffusion.model == DiffusionModel::campaign) validate_campaign(s, origins);

  // For an edge list the audience is the file's node count, known once the file is read;
  // the graph factory then sets audience.size and validates again.
  if (n == 0) return;
  if (!s.seeding.nodes.empty()) {
    check.require(!origins.is_set("seeding.count") || s.seeding.count == 0, "seeding.count",
                  "set either seeding.count or seeding.nodes, not both");
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < s.seeding.nodes.size(); ++i) {
      const auto id = s.seeding.nodes[i];
      check.require(static_cast<std::uint64_t>(id) < n, "seeding.nodes",
                    "seeding.nodes[{}] = {} is not a person; allowed: 0 .. {}", i, id, n - 1);
      check.require(seen.insert(id).second, "seeding.nodes",
                    "seeding.nodes[{}] = {} is listed twice", i, id);
    }
  } else {
    check.require(s.seeding.count <= n, "seeding.count",
                  "seeding.count = {} exceeds audience.size = {}; allowed: 0 .. {}",
                  s.seeding.count, n, n);
  }
}

}  // namespace campaign
