// A scenario: run settings, the audience, its social graph, the diffusion model and the
// seeding. A plain struct whose defaults live in one table (scenario/key_registry.cpp),
// filled from a TOML file and `--set key=value` overrides by scenario_loader, and checked
// by validate(). Units are in the field comments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.h"

namespace campaign {

enum class StepUnit { day, week };
enum class GraphModel {
  complete, ring_lattice, watts_strogatz, erdos_renyi, barabasi_albert,
  random_regular, configuration, stochastic_block, edge_list
};
enum class DegreeDistribution { power_law, poisson, sequence };
// How a directed graph file's line "u v" is read (graph.arcs).
enum class GraphArcs { follows, talks_to };
enum class DiffusionModel { independent_cascade, network_bass, campaign };
enum class MediaStrategy { none, solo, triads, calendar };
enum class RestockPolicy { add, order_up_to };
enum class CooperationModel { random, block, preferential, file };
enum class FollowerModel { uniform, community, neighbourhood, file };
enum class TriadChoice { uniform, fresh_reach };

struct RunSettings {
  std::string name;              // names the HDF5 group; defaults to the file's stem
  std::uint32_t replications = 0;
  std::uint32_t steps = 0;       // steps simulated after seeding
  StepUnit step_unit = StepUnit::day;
  std::uint64_t seed = 0;        // master seed of every random stream
};

struct AudienceSettings {
  std::uint32_t size = 0;  // people; replaced by the file's node count for edge_list graphs
};

struct GraphSettings {
  GraphModel model = GraphModel::erdos_renyi;
  double mean_degree = 0;          // erdos_renyi: expected degree, p = mean_degree / (n - 1)
  std::uint32_t k = 0;             // ring_lattice, watts_strogatz: neighbours on each side
  double rewire = 0;               // watts_strogatz: rewiring probability
  std::uint32_t m = 0;             // barabasi_albert: links per new node
  std::uint32_t degree = 0;        // random_regular: degree of every node
  DegreeDistribution degree_distribution = DegreeDistribution::power_law;  // configuration
  double exponent = 0;             // configuration/power_law: P(k) ∝ k^-exponent
  std::uint32_t min_degree = 0;    // configuration/power_law
  std::uint32_t max_degree = 0;    // configuration/power_law
  double poisson_mean = 0;         // configuration/poisson
  std::vector<std::int64_t> degree_sequence;  // configuration/sequence: one per person
  std::uint32_t blocks = 0;        // stochastic_block: equal blocks when block_sizes is empty
  std::vector<std::int64_t> block_sizes;      // stochastic_block: people per block
  double p_in = 0;                 // stochastic_block: link probability within a block
  double p_out = 0;                // stochastic_block: link probability across blocks
  std::string path;                // edge_list: file, relative to the scenario file
  bool directed = false;           // edge_list: a follower network, word of mouth one way
  GraphArcs arcs = GraphArcs::follows;  // edge_list, directed: what a line "u v" says
};

struct DiffusionSettings {
  DiffusionModel model = DiffusionModel::independent_cascade;
  double transmission = 0;  // independent_cascade: T, chance per newly-active contact
  double p = 0;             // network_bass: advertising (innovation) per step
  double q = 0;             // network_bass: word of mouth per adopted neighbour per step
};

// The campaign model (diffusion.model = "campaign"): docs/model.md has the equations.

// Audience segments, as parallel lists with one entry per segment. People are assigned
// to segments in contiguous id ranges by share (so a stochastic block graph with one
// block per segment gives segment homophily).
struct SegmentSettings {
  std::vector<std::string> names;
  std::vector<double> shares;         // of the audience; sum to 1
  std::vector<double> propensity;     // chance per step an interested person becomes a lead (0: talks, never buys)
  std::vector<double> talkativeness;  // multiplier on word-of-mouth transmission
  std::vector<double> price;          // money per purchase
  std::vector<double> repeat_rate;    // chance per step a satisfied customer buys again
};

// Partners are sources of 24-bit ids in the campaign's wear-out memory, with the firm.
inline constexpr std::uint32_t MAX_PARTNERS = 1'000'000;
// A message's three stages are keyed message * 3 + stage in 32 bits.
inline constexpr std::uint32_t MAX_PLAN_MESSAGES = 100'000'000;

struct PartnerSettings {
  std::string file;                 // CSV table name,roles,reach,credibility,cost (fills the lists below)
  std::uint32_t count = 0;
  std::vector<std::string> names;   // from partners.file: how the files below name partners
  double owner_share = 0, source_share = 0, channel_share = 0;  // chance a partner can play the role
  std::vector<std::string> roles;   // or explicit roles per partner, e.g. "owner+channel"
  double reach_mean = 0;            // people following a partner, Pareto distributed
  double reach_tail = 0;            // Pareto shape (> 1; smaller = heavier tail)
  std::vector<std::int64_t> reach;  // or explicit reach per partner
  // Who follows a partner (docs/model.md): people drawn uniformly; mostly from one
  // community (a segment, or one of `communities` ranges of people) with a share
  // `leakage` from anywhere; the people nearest a hub in the social graph; or the pairs
  // partner,person of `followers_file`.
  FollowerModel followers = FollowerModel::uniform;
  std::uint32_t communities = 0;
  double leakage = 0;
  std::string followers_file;
  double credibility = 0;           // [0, 1], scales the interest a message raises
  std::vector<double> credibilities;
  double cost = 0;                  // money per activation (per message the partner is in)
  std::vector<double> costs;
  // The cooperation graph (docs/model.md, "The partner ecosystem"): random pairs with
  // probability `cooperation` (or mean degree `cooperation_degree` when it is set), or
  // clustered in `groups` groups with a share `cooperation_within` of the links inside
  // them (block), or by preferential attachment (mean degree cooperation_degree).
  CooperationModel cooperation_model = CooperationModel::random;
  double cooperation = 0;           // chance two partners cooperate (random)
  double cooperation_degree = 0;    // mean cooperating peers of a partner (0: from cooperation)
  std::uint32_t groups = 0;         // block: groups (industries, cities) of partners
  double cooperation_within = 0;    // block: share of a partner's peers in its own group
  std::string cooperation_file;     // file: pairs of partners, one a line
};

struct FirmSettings {
  std::uint32_t reach = 0;   // followers of the firm's own channel
  double credibility = 0;
  double message_cost = 0;   // money per message the firm sends alone
  double fixed_cost = 0;     // money per step
  double unit_cost = 0;      // money per unit sold (cost of goods)
};

struct MediaSettings {
  MediaStrategy strategy = MediaStrategy::none;
  double budget = 0;                   // money for messages over the whole run
  std::uint32_t cadence = 0;           // steps between messages
  std::uint32_t messages_per_step = 0; // messages starting in each step the plan sends
  TriadChoice triad_choice = TriadChoice::uniform;  // how a triad message picks its triad
  std::string calendar;                // strategy calendar: CSV step,owner,source,channel[,cost]
  std::uint32_t start = 0;             // step of the first message
  std::uint32_t announce_offset = 0, event_offset = 0, echo_offset = 0;  // steps after the message starts
  double announce_strength = 0, event_strength = 0, echo_strength = 0;
  double interest = 0;                 // chance an exposed person becomes interested (strength 1, credibility 1)
  double wearout = 0;                  // effect multiplier per earlier exposure to the same source
  double advertising = 0;              // broadcast: chance per step anyone not interested becomes interested
  double advertising_cost = 0;         // money per step of broadcast advertising
};

struct WordOfMouthSettings {
  double transmission = 0;             // chance per contact per talking step
  std::uint32_t lifetime = 0;          // steps an interested person talks
  std::uint32_t advocate_lifetime = 0; // steps a satisfied customer talks
  std::uint32_t detractor_lifetime = 0;
  double detractor_effect = 0;         // propensity multiplier per detractor contact
  double forgetting = 0;               // chance per step an interested person loses interest
  double style = 0;                    // 0 = corporate myth ... 1 = hype; 0.5 = neutral
};

struct FunnelSettings {
  double capacity = 0;          // leads processed per step at full focus
  double focus = 0;             // share of capacity on the core function
  std::uint32_t patience = 0;   // steps a lead waits (0: lost the same step)
  double conversion = 0;        // chance a processed lead buys
  double stock = 0;             // units at the start (inf: unlimited)
  std::uint32_t restock_every = 0;  // steps between restocks (0: never)
  double restock_amount = 0;    // units added per restock, or the level restocked to, at full focus
  RestockPolicy restock_policy = RestockPolicy::add;
  double quality = 0;           // chance a buyer is satisfied by the product
  double support_need = 0;      // chance a buyer needs support
  double support_capacity = 0;  // buyers supported per step at full focus
};

struct AgencySettings {
  double budget_per_step = 0;   // money per step (0: no agency)
  double cost_per_lead = 0;
  std::uint32_t handoffs = 0;   // contractors a lead passes through
  double handoff_loss = 0;      // share lost at each handoff
  double quality_threshold = 0; // the agency refuses a client whose funnel.quality is lower
  std::uint32_t segment = 0;    // segment whose price agency customers pay
};

struct SeedingSettings {
  std::uint32_t count = 0;             // random initial adopters per replication
  std::vector<std::int64_t> nodes;     // or these people (ids 0..n-1), in every replication
};

// Names used in scenario files, for each enumeration.
template <class E>
struct EnumNames;
template <>
struct EnumNames<StepUnit> {
  static constexpr std::pair<std::string_view, StepUnit> values[] = {{"day", StepUnit::day},
                                                                     {"week", StepUnit::week}};
};
template <>
struct EnumNames<GraphModel> {
  static constexpr std::pair<std::string_view, GraphModel> values[] = {
      {"complete", GraphModel::complete},
      {"ring_lattice", GraphModel::ring_lattice},
      {"watts_strogatz", GraphModel::watts_strogatz},
      {"erdos_renyi", GraphModel::erdos_renyi},
      {"barabasi_albert", GraphModel::barabasi_albert},
      {"random_regular", GraphModel::random_regular},
      {"configuration", GraphModel::configuration},
      {"stochastic_block", GraphModel::stochastic_block},
      {"edge_list", GraphModel::edge_list}};
};
template <>
struct EnumNames<GraphArcs> {
  static constexpr std::pair<std::string_view, GraphArcs> values[] = {{"follows", GraphArcs::follows},
                                                                      {"talks_to", GraphArcs::talks_to}};
};
template <>
struct EnumNames<DegreeDistribution> {
  static constexpr std::pair<std::string_view, DegreeDistribution> values[] = {
      {"power_law", DegreeDistribution::power_law},
      {"poisson", DegreeDistribution::poisson},
      {"sequence", DegreeDistribution::sequence}};
};
template <>
struct EnumNames<DiffusionModel> {
  static constexpr std::pair<std::string_view, DiffusionModel> values[] = {
      {"independent_cascade", DiffusionModel::independent_cascade},
      {"network_bass", DiffusionModel::network_bass},
      {"campaign", DiffusionModel::campaign}};
};
template <>
struct EnumNames<MediaStrategy> {
  static constexpr std::pair<std::string_view, MediaStrategy> values[] = {
      {"none", MediaStrategy::none},
      {"solo", MediaStrategy::solo},
      {"triads", MediaStrategy::triads},
      {"calendar", MediaStrategy::calendar}};
};

template <>
struct EnumNames<CooperationModel> {
  static constexpr std::pair<std::string_view, CooperationModel> values[] = {
      {"random", CooperationModel::random},
      {"block", CooperationModel::block},
      {"preferential", CooperationModel::preferential},
      {"file", CooperationModel::file}};
};
template <>
struct EnumNames<FollowerModel> {
  static constexpr std::pair<std::string_view, FollowerModel> values[] = {
      {"uniform", FollowerModel::uniform},
      {"community", FollowerModel::community},
      {"neighbourhood", FollowerModel::neighbourhood},
      {"file", FollowerModel::file}};
};
template <>
struct EnumNames<TriadChoice> {
  static constexpr std::pair<std::string_view, TriadChoice> values[] = {{"uniform", TriadChoice::uniform},
                                                                        {"fresh_reach", TriadChoice::fresh_reach}};
};

template <>
struct EnumNames<RestockPolicy> {
  static constexpr std::pair<std::string_view, RestockPolicy> values[] = {
      {"add", RestockPolicy::add}, {"order_up_to", RestockPolicy::order_up_to}};
};

template <class E>
std::string_view name_of(E value) {
  for (const auto& [name, v] : EnumNames<E>::values) {
    if (v == value) return name;
  }
  return "?";
}

struct Scenario {
  RunSettings run;
  AudienceSettings audience;
  GraphSettings graph;
  DiffusionSettings diffusion;
  SeedingSettings seeding;
  SegmentSettings segments;
  PartnerSettings partners;
  FirmSettings firm;
  MediaSettings media;
  WordOfMouthSettings word_of_mouth;
  FunnelSettings funnel;
  AgencySettings agency;
  std::string source;    // where it came from (file path), for messages
  std::string base_dir;  // directory that relative paths are resolved against
};

// Partner roles, as bits. parse_roles reads "owner+source+channel"-style text.
inline constexpr std::uint8_t ROLE_OWNER = 1, ROLE_SOURCE = 2, ROLE_CHANNEL = 4, ROLES_INVALID = 0xFF;
// Role i (bit i) as messages name it.
inline constexpr const char* ROLE_DESCRIPTIONS[] = {"an event owner", "an information source", "a distribution channel"};
std::uint8_t parse_roles(std::string_view text);

// The cooperation graph's mean degree: partners.cooperation_degree, or the random
// model's probability times (count - 1).
double cooperation_degree(const PartnerSettings& partners);
// The block model's pair probabilities inside a group and across groups, for the mean
// degree and its share inside (either may exceed 1: the scenario check refuses that).
struct BlockCooperation {
  double p_in = 0, p_out = 0;
};
BlockCooperation block_cooperation(const PartnerSettings& partners);
// Preferential attachment: the links each new partner makes (half the mean degree, >= 1).
std::uint32_t preferential_links(const PartnerSettings& partners);

// A file a scenario names (graph.path, partners.file, ...), relative paths resolved
// against the scenario file's folder.
std::string resolve_path(const Scenario& scenario, const std::string& path);

// People per segment for n people: contiguous id ranges whose boundaries are the rounded
// cumulative shares, so the sizes sum to n.
std::vector<NodeId> segment_sizes(const std::vector<double>& shares, NodeId n);

}  // namespace campaign
