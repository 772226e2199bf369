#include "scenario/key_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "core/text.h"

namespace campaign {
namespace {

constexpr std::int64_t MAX_PEOPLE = 2'000'000'000;  // NodeId is 32-bit; keep headroom
// Any one amount of money (a price, a cost, a budget). With at most 2e9 people, 1e6 steps
// and 1e6 bought leads per step, every total a replication adds up stays below 1e28: far
// inside a double's range, so no sum can overflow to infinity (validate() checks the
// bound on the actual values too).
constexpr double MAX_MONEY = 1e12;

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

// The value as the user wrote it, compactly ([0.1, 0.2], {a = 1}), up to about `room`
// characters (the caller shortens it).
std::string rendered(const toml::node& node, std::size_t room) {
  if (const auto* s = node.as_string()) return fmt::format("\"{}\"", s->get().substr(0, room));
  if (const auto* f = node.as_floating_point()) return fmt::format("{}", f->get());
  if (const auto* array = node.as_array()) {
    std::string text = "[";
    for (std::size_t i = 0; i < array->size() && text.size() < room; ++i) {
      if (i > 0) text += ", ";
      text += rendered((*array)[i], room - text.size());
    }
    return text + "]";
  }
  if (const auto* table = node.as_table()) {
    std::string text = "{";
    for (const auto& [key, value] : *table) {
      if (text.size() >= room) break;
      if (text.size() > 1) text += ", ";
      text += fmt::format("{} = {}", key.str().substr(0, room), rendered(value, room - text.size()));
    }
    return text + "}";
  }
  std::ostringstream out;
  node.visit([&](const auto& v) { out << v; });
  return out.str();
}

std::string shown(const toml::node& node) { return excerpt(rendered(node, 60), 40); }

// An integer from an integer node, or from a number with no fractional part (1e3), as a
// TOML file or --set may write it. Fails with the key's message otherwise.
std::int64_t integer_value(const toml::node& node, const std::string& where, const std::string& key,
                           std::int64_t lo, std::int64_t hi) {
  if (const auto* v = node.as_integer()) {
    if (v->get() < lo || v->get() > hi) {
      throw InputError(fmt::format("{}: {} = {} is out of range; allowed: {} .. {}", where, key,
                                   v->get(), lo, hi));
    }
    return v->get();
  }
  const auto* f = node.as_floating_point();
  if (f == nullptr || !std::isfinite(f->get()) || std::trunc(f->get()) != f->get()) {
    throw InputError(fmt::format("{}: {} must be an integer, got {} {}", where, key, type_name(node),
                                 shown(node)));
  }
  const double x = f->get();
  if (x < static_cast<double>(lo) || x > static_cast<double>(hi)) {
    throw InputError(fmt::format("{}: {} = {} is out of range; allowed: {} .. {}", where, key,
                                 shown(node), lo, hi));
  }
  return static_cast<std::int64_t>(x);
}

[[noreturn]] void fail_type(const std::string& where, const std::string& key, const char* expected,
                            const toml::node& node) {
  throw InputError(fmt::format("{}: {} must be {}, got {} {}", where, key, expected,
                               type_name(node), shown(node)));
}

std::string real_to_toml(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::string text = fmt::format("{}", x);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

// "a, b, c": each item shown, joined by commas.
template <class Range, class Show>
std::string joined(const Range& items, Show show) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += ", ";
    text += show(item);
  }
  return text;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

template <class Get>
KeySpec integer_key(std::string key, Get get, std::int64_t def, std::int64_t lo, std::int64_t hi,
                    std::string unit, std::string doc) {
  KeySpec spec;
  spec.key = key;
  spec.kind = ValueKind::integer;
  spec.default_toml = std::to_string(def);
  spec.allowed = fmt::format("{} .. {}", lo, hi);
  spec.unit = std::move(unit);
  spec.doc = std::move(doc);
  spec.assign = [key, get, lo, hi](Scenario& s, const toml::node& node, const std::string& where) {
    const std::int64_t x = integer_value(node, where, key, lo, hi);
    auto& field = get(s);
    field = static_cast<std::remove_reference_t<decltype(field)>>(x);
  };
  spec.to_toml = [get](const Scenario& s) {
    return std::to_string(get(const_cast<Scenario&>(s)));
  };
  return spec;
}

struct RealRange {
  double lo;
  double hi;
  bool lo_open = false;
  bool hi_open = false;
  bool contains(double x) const {
    return (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
  }
  std::string text() const {
    const auto bound = [](double x) { return std::abs(x) >= 1e9 && std::isfinite(x) ? fmt::format("{:g}", x) : real_to_toml(x); };
    return fmt::format("{}{}, {}{}", lo_open ? '(' : '[', bound(lo), bound(hi), hi_open ? ')' : ']');
  }
};

template <class Get>
KeySpec real_key(std::string key, Get get, double def, RealRange range, std::string unit,
                 std::string doc) {
  KeySpec spec;
  spec.key = key;
  spec.kind = ValueKind::real;
  spec.default_toml = real_to_toml(def);
  spec.allowed = range.text();
  spec.unit = std::move(unit);
  spec.doc = std::move(doc);
  spec.assign = [key, get, range](Scenario& s, const toml::node& node, const std::string& where) {
    double x = 0;
    if (const auto* i = node.as_integer()) {
      x = static_cast<double>(i->get());
    } else if (const auto* f = node.as_floating_point()) {
      x = f->get();
    } else {
      fail_type(where, key, "a number", node);
    }
    if (std::isnan(x) || !range.contains(x)) {
      throw InputError(fmt::format("{}: {} = {} is out of range; allowed: {}", where, key,
                                   real_to_toml(x), range.text()));
    }
    get(s) = x;
  };
  spec.to_toml = [get](const Scenario& s) { return real_to_toml(get(const_cast<Scenario&>(s))); };
  return spec;
}

template <class Get>
KeySpec text_key(std::string key, Get get, std::string def, std::string allowed, std::string doc) {
  KeySpec spec;
  spec.key = key;
  spec.kind = ValueKind::text;
  spec.default_toml = quoted(def);
  spec.allowed = std::move(allowed);
  spec.doc = std::move(doc);
  spec.assign = [key, get](Scenario& s, const toml::node& node, const std::string& where) {
    const auto* v = node.as_string();
    if (v == nullptr) fail_type(where, key, "a string", node);
    get(s) = v->get();
  };
  spec.to_toml = [get](const Scenario& s) { return quoted(get(const_cast<Scenario&>(s))); };
  return spec;
}

template <class Get>
KeySpec boolean_key(std::string key, Get get, bool def, std::string doc) {
  KeySpec spec;
  spec.key = key;
  spec.kind = ValueKind::boolean;
  spec.default_toml = def ? "true" : "false";
  spec.allowed = "true, false";
  spec.doc = std::move(doc);
  spec.assign = [key, get](Scenario& s, const toml::node& node, const std::string& where) {
    const auto* v = node.as_boolean();
    if (v == nullptr) fail_type(where, key, "a boolean (true or false)", node);
    get(s) = v->get();
  };
  spec.to_toml = [get](const Scenario& s) { return std::string(get(const_cast<Scenario&>(s)) ? "true" : "false"); };
  return spec;
}

template <class E, class Get>
KeySpec choice_key(std::string key, Get get, E def, std::string doc) {
  const std::string allowed =
      joined(EnumNames<E>::values, [](const auto& entry) { return std::string(entry.first); });
  KeySpec spec;
  spec.key = key;
  spec.kind = ValueKind::choice;
  spec.default_toml = quoted(name_of(def));
  spec.allowed = allowed;
  spec.doc = std::move(doc);
  spec.assign = [key, get, allowed](Scenario& s, const toml::node& node, const std::string& where) {
    const auto* v = node.as_string();
    if (v == nullptr) fail_type(where, key, "a string", node);
    for (const auto& [name, value] : EnumNames<E>::values) {
      if (name == v->get()) {
        get(s) = value;
        return;
      }
    }
    throw InputError(fmt::format("{}: {} = \"{}\" is not allowed; allowed: {}", where, key,
                                 excerpt(v->get(), 40), allowed));
  };
  spec.to_toml = [get](const Scenario& s) {
    return quoted(name_of(get(const_cast<Scenario&>(s))));
  };
  return spec;
}

template <class Get>
KeySpec integer_list_key(std::string key, Get get, std::int64_t lo, std::int64_t hi,
                         std::string unit, std::string doc) {
  KeySpec spec;
  spec.key = key;
  spec.kind = ValueKind::integer_list;
  spec.default_toml = "[]";
  spec.allowed = fmt::format("list of integers {} .. {}", lo, hi);
  spec.unit = std::move(unit);
  spec.doc = std::move(doc);
  spec.assign = [key, get, lo, hi](Scenario& s, const toml::node& node, const std::string& where) {
    const auto* array = node.as_array();
    if (array == nullptr) fail_type(where, key, "an array of integers", node);
    std::vector<std::int64_t> values;
    values.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
      values.push_back(integer_value((*array)[i], where, fmt::format("{}[{}]", key, i), lo, hi));
    }
    get(s) = std::move(values);
  };
  spec.to_toml = [get](const Scenario& s) {
    const auto& values = get(const_cast<Scenario&>(s));
    return fmt::format("[{}]", fmt::join(values, ", "));
  };
  return spec;
}

template <class Get>
KeySpec real_list_key(std::string key, Get get, std::vector<double> def, RealRange range,
                      std::string unit, std::string doc) {
  KeySpec spec;
  spec.key = key;
  spec.kind = ValueKind::real_list;
  spec.default_toml = fmt::format("[{}]", joined(def, real_to_toml));
  spec.allowed = "list of numbers in " + range.text();
  spec.unit = std::move(unit);
  spec.doc = std::move(doc);
  spec.assign = [key, get, range](Scenario& s, const toml::node& node, const std::string& where) {
    const auto* array = node.as_array();
    if (array == nullptr) fail_type(where, key, "an array of numbers", node);
    std::vector<double> values;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = (*array)[i];
      double x = 0;
      if (const auto* integer = item.as_integer()) {
        x = static_cast<double>(integer->get());
      } else if (const auto* real = item.as_floating_point()) {
        x = real->get();
      } else {
        throw InputError(fmt::format("{}: {}[{}] must be a number, got {} {}", where, key, i,
                                     type_name(item), shown(item)));
      }
      if (std::isnan(x) || !range.contains(x)) {
        throw InputError(fmt::format("{}: {}[{}] = {} is out of range; allowed: {}", where, key, i,
                                     real_to_toml(x), range.text()));
      }
      values.push_back(x);
    }
    get(s) = std::move(values);
  };
  spec.to_toml = [get](const Scenario& s) {
    return fmt::format("[{}]", joined(get(const_cast<Scenario&>(s)), real_to_toml));
  };
  return spec;
}

template <class Get>
KeySpec text_list_key(std::string key, Get get, std::vector<std::string> def, std::string allowed,
                      std::string doc) {
  KeySpec spec;
  spec.key = key;
  spec.kind = ValueKind::text_list;
  spec.default_toml = fmt::format("[{}]", joined(def, quoted));
  spec.allowed = std::move(allowed);
  spec.doc = std::move(doc);
  spec.assign = [key, get](Scenario& s, const toml::node& node, const std::string& where) {
    const auto* array = node.as_array();
    if (array == nullptr) fail_type(where, key, "an array of strings", node);
    std::vector<std::string> values;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const auto* item = (*array)[i].as_string();
      if (item == nullptr) {
        throw InputError(fmt::format("{}: {}[{}] must be a string, got {} {}", where, key, i,
                                     type_name((*array)[i]), shown((*array)[i])));
      }
      values.push_back(item->get());
    }
    get(s) = std::move(values);
  };
  spec.to_toml = [get](const Scenario& s) {
    return fmt::format("[{}]", joined(get(const_cast<Scenario&>(s)), quoted));
  };
  return spec;
}

constexpr double INF = std::numeric_limits<double>::infinity();
const RealRange MONEY{0.0, MAX_MONEY};

std::vector<KeySpec> make_keys() {
  std::vector<KeySpec> k;
  // [run]
  k.push_back(text_key("run.name", [](Scenario& s) -> auto& { return s.run.name; }, "",
                       "letters, digits and _ - . @ = +; empty = the scenario file's name without extension",
                       "Name of the scenario; names its group in the results file."));
  k.push_back(integer_key("run.replications", [](Scenario& s) -> auto& { return s.run.replications; },
                          1000, 1, 1'000'000'000, "replications",
                          "Independent Monte Carlo replications."));
  k.push_back(integer_key("run.steps", [](Scenario& s) -> auto& { return s.run.steps; }, 30, 1,
                          1'000'000, "steps", "Steps simulated after seeding."));
  k.push_back(choice_key("run.step_unit", [](Scenario& s) -> auto& { return s.run.step_unit; },
                         StepUnit::day, "What one step stands for (labels only)."));
  k.push_back(integer_key("run.seed", [](Scenario& s) -> auto& { return s.run.seed; }, 1, 0,
                          std::numeric_limits<std::int64_t>::max(), "",
                          "Master seed of every random stream."));
  // [audience]
  k.push_back(integer_key("audience.size", [](Scenario& s) -> auto& { return s.audience.size; },
                          10000, 1, MAX_PEOPLE, "people",
                          "Number of people. For graph.model = \"edge_list\" it is set to the "
                          "file's node count."));
  // [graph]
  k.push_back(choice_key("graph.model", [](Scenario& s) -> auto& { return s.graph.model; },
                         GraphModel::erdos_renyi, "Social graph over the audience."));
  k.push_back(real_key("graph.mean_degree", [](Scenario& s) -> auto& { return s.graph.mean_degree; },
                       10.0, {0.0, INF, true, true}, "contacts",
                       "erdos_renyi: expected degree; link probability = mean_degree / (size - 1)."));
  k.push_back(integer_key("graph.k", [](Scenario& s) -> auto& { return s.graph.k; }, 5, 1,
                          1'000'000, "contacts",
                          "ring_lattice, watts_strogatz: neighbours on each side (degree 2k)."));
  k.push_back(real_key("graph.rewire", [](Scenario& s) -> auto& { return s.graph.rewire; }, 0.1,
                       {0.0, 1.0}, "probability", "watts_strogatz: chance a lattice edge is rewired."));
  k.push_back(integer_key("graph.m", [](Scenario& s) -> auto& { return s.graph.m; }, 3, 1,
                          1'000'000, "links", "barabasi_albert: links made by each new person."));
  k.push_back(integer_key("graph.degree", [](Scenario& s) -> auto& { return s.graph.degree; }, 6, 1,
                          1'000'000, "contacts", "random_regular: degree of every person."));
  k.push_back(choice_key("graph.degree_distribution",
                         [](Scenario& s) -> auto& { return s.graph.degree_distribution; },
                         DegreeDistribution::power_law,
                         "configuration: where the degrees come from."));
  k.push_back(real_key("graph.exponent", [](Scenario& s) -> auto& { return s.graph.exponent; }, 2.5,
                       {1.0, 10.0, true, false}, "",
                       "configuration with power_law: P(k) proportional to k^-exponent."));
  k.push_back(integer_key("graph.min_degree", [](Scenario& s) -> auto& { return s.graph.min_degree; },
                          2, 1, 1'000'000, "contacts", "configuration with power_law: smallest degree."));
  k.push_back(integer_key("graph.max_degree", [](Scenario& s) -> auto& { return s.graph.max_degree; },
                          1000, 1, 100'000'000, "contacts",
                          "configuration with power_law: largest degree."));
  k.push_back(real_key("graph.poisson_mean", [](Scenario& s) -> auto& { return s.graph.poisson_mean; },
                       10.0, {0.0, 1000.0, true, false}, "contacts",
                       "configuration with poisson: mean degree."));
  k.push_back(integer_list_key("graph.degree_sequence",
                               [](Scenario& s) -> auto& { return s.graph.degree_sequence; }, 0,
                               100'000'000, "contacts",
                               "configuration with sequence: one degree per person (length = "
                               "audience.size)."));
  k.push_back(integer_key("graph.blocks", [](Scenario& s) -> auto& { return s.graph.blocks; }, 2, 0,
                          1'000'000, "blocks",
                          "stochastic_block: number of equal blocks when block_sizes is empty; 0 = "
                          "one block per audience segment (segment homophily)."));
  k.push_back(integer_list_key("graph.block_sizes",
                               [](Scenario& s) -> auto& { return s.graph.block_sizes; }, 1,
                               MAX_PEOPLE, "people",
                               "stochastic_block: people in each block (sum = audience.size)."));
  k.push_back(real_key("graph.p_in", [](Scenario& s) -> auto& { return s.graph.p_in; }, 0.01,
                       {0.0, 1.0}, "probability", "stochastic_block: link chance within a block."));
  k.push_back(real_key("graph.p_out", [](Scenario& s) -> auto& { return s.graph.p_out; }, 0.001,
                       {0.0, 1.0}, "probability", "stochastic_block: link chance across blocks."));
  k.push_back(text_key("graph.path", [](Scenario& s) -> auto& { return s.graph.path; }, "",
                       "path; relative paths start at the scenario file's folder",
                       "edge_list: a SNAP-style edge list or a Matrix Market file (text, gzip or not), or "
                       "a binary .csr file from `campaign-sim graph convert`."));
  k.push_back(boolean_key("graph.directed", [](Scenario& s) -> auto& { return s.graph.directed; }, false,
                          "edge_list: read the file as a follower network: word of mouth travels one way "
                          "along each line (graph.arcs says which)."));
  k.push_back(choice_key("graph.arcs", [](Scenario& s) -> auto& { return s.graph.arcs; }, GraphArcs::follows,
                         "edge_list with directed = true: what a line \"u v\" says. follows: u follows v, so v "
                         "talks to u (word of mouth from the followed to the follower, SNAP's follower "
                         "networks); talks_to: u talks to v."));
  // [diffusion]
  k.push_back(choice_key("diffusion.model", [](Scenario& s) -> auto& { return s.diffusion.model; },
                         DiffusionModel::independent_cascade,
                         "How adoption spreads; campaign = the full campaign model (sections "
                         "segments .. agency)."));
  k.push_back(real_key("diffusion.transmission",
                       [](Scenario& s) -> auto& { return s.diffusion.transmission; }, 0.1,
                       {0.0, 1.0}, "probability",
                       "independent_cascade: chance T that a newly active person activates each "
                       "inactive neighbour (one chance per neighbour)."));
  k.push_back(real_key("diffusion.p", [](Scenario& s) -> auto& { return s.diffusion.p; }, 0.01,
                       {0.0, 1.0}, "probability per step",
                       "network_bass: advertising (innovation) effect."));
  k.push_back(real_key("diffusion.q", [](Scenario& s) -> auto& { return s.diffusion.q; }, 0.05,
                       {0.0, 1.0}, "probability per step per adopted neighbour",
                       "network_bass: word-of-mouth (imitation) effect."));
  // [seeding]
  k.push_back(integer_key("seeding.count", [](Scenario& s) -> auto& { return s.seeding.count; }, 1,
                          0, MAX_PEOPLE, "people",
                          "Initial adopters drawn at random in each replication (ignored when "
                          "seeding.nodes is given)."));
  k.push_back(integer_list_key("seeding.nodes", [](Scenario& s) -> auto& { return s.seeding.nodes; },
                               0, MAX_PEOPLE - 1, "person ids",
                               "Initial adopters given by id (0 .. size-1), the same in every "
                               "replication."));

  // [segments] (campaign)
  k.push_back(text_list_key("segments.names", [](Scenario& s) -> auto& { return s.segments.names; },
                            {"buyers"}, "one name per segment",
                            "campaign: segment names; every segments.* list has one entry per segment."));
  k.push_back(real_list_key("segments.shares", [](Scenario& s) -> auto& { return s.segments.shares; },
                            {1.0}, {0.0, 1.0}, "share of people",
                            "campaign: share of the audience in each segment (sum 1); people are "
                            "assigned in contiguous id ranges."));
  k.push_back(real_list_key("segments.propensity", [](Scenario& s) -> auto& { return s.segments.propensity; },
                            {0.2}, {0.0, 1.0}, "probability per step",
                            "campaign: chance per step an interested person becomes a lead; 0 = the "
                            "word-of-mouth audience (talks, never buys)."));
  k.push_back(real_list_key("segments.talkativeness",
                            [](Scenario& s) -> auto& { return s.segments.talkativeness; }, {1.0},
                            {0.0, 100.0}, "multiplier",
                            "campaign: multiplies word_of_mouth.transmission for talkers of the segment."));
  k.push_back(real_list_key("segments.price", [](Scenario& s) -> auto& { return s.segments.price; },
                            {100.0}, MONEY, "money per purchase",
                            "campaign: what a purchase brings in."));
  k.push_back(real_list_key("segments.repeat_rate", [](Scenario& s) -> auto& { return s.segments.repeat_rate; },
                            {0.0}, {0.0, 1.0}, "probability per step",
                            "campaign: chance per step a satisfied customer buys again."));
  // [partners]
  k.push_back(text_key("partners.file", [](Scenario& s) -> auto& { return s.partners.file; }, "",
                       "path to a CSV file; relative paths start at the scenario file's folder",
                       "campaign: partner table with header name,roles,reach,credibility,cost, one "
                       "partner per line; sets partners.count, roles, reach, credibilities and costs "
                       "(the resolved scenario stores those values instead of the file name)."));
  k.push_back(integer_key("partners.count", [](Scenario& s) -> auto& { return s.partners.count; }, 0,
                          0, MAX_PARTNERS, "partners", "campaign: key partners in the ecosystem."));
  k.push_back(text_list_key("partners.names", [](Scenario& s) -> auto& { return s.partners.names; }, {},
                            "one per partner, distinct",
                            "campaign: partner names (set by partners.file); the cooperation, "
                            "followers and calendar files name partners by them."));
  k.push_back(real_key("partners.owner_share", [](Scenario& s) -> auto& { return s.partners.owner_share; },
                       0.5, {0.0, 1.0}, "probability",
                       "campaign: chance a partner can be an event owner (when partners.roles is empty)."));
  k.push_back(real_key("partners.source_share", [](Scenario& s) -> auto& { return s.partners.source_share; },
                       0.5, {0.0, 1.0}, "probability",
                       "campaign: chance a partner can be an information source."));
  k.push_back(real_key("partners.channel_share", [](Scenario& s) -> auto& { return s.partners.channel_share; },
                       0.5, {0.0, 1.0}, "probability",
                       "campaign: chance a partner can be a distribution channel."));
  k.push_back(text_list_key("partners.roles", [](Scenario& s) -> auto& { return s.partners.roles; }, {},
                            "one per partner: owner, source, channel joined by '+'",
                            "campaign: explicit roles, e.g. [\"owner+source\", \"channel\"]."));
  k.push_back(real_key("partners.reach_mean", [](Scenario& s) -> auto& { return s.partners.reach_mean; },
                       2000.0, {0.0, INF, false, true}, "people",
                       "campaign: mean number of followers of a partner (Pareto distributed, capped "
                       "at the audience size)."));
  k.push_back(real_key("partners.reach_tail", [](Scenario& s) -> auto& { return s.partners.reach_tail; },
                       2.0, {1.0, 100.0, true, false}, "",
                       "campaign: Pareto shape of partner reach; closer to 1 = heavier tail."));
  k.push_back(integer_list_key("partners.reach", [](Scenario& s) -> auto& { return s.partners.reach; }, 0,
                               MAX_PEOPLE, "people", "campaign: explicit reach per partner."));
  k.push_back(choice_key("partners.followers", [](Scenario& s) -> auto& { return s.partners.followers; },
                         FollowerModel::uniform,
                         "campaign: who follows a partner; uniform = anyone; community = mostly one "
                         "community (partners.communities, partners.leakage); neighbourhood = the "
                         "people nearest a hub person in the social graph; file = partners.followers_file."));
  k.push_back(integer_key("partners.communities", [](Scenario& s) -> auto& { return s.partners.communities; }, 10,
                          1, 1'000'000, "communities",
                          "campaign: community followers: the audience's segments when it has several, "
                          "else this many equal ranges of person ids (the blocks of a stochastic block "
                          "graph of as many blocks)."));
  k.push_back(real_key("partners.leakage", [](Scenario& s) -> auto& { return s.partners.leakage; }, 0.1,
                       {0.0, 1.0}, "share",
                       "campaign: community followers: share of a partner's followers drawn from "
                       "outside its community."));
  k.push_back(text_key("partners.followers_file", [](Scenario& s) -> auto& { return s.partners.followers_file; },
                       "", "path to a CSV file; relative paths start at the scenario file's folder",
                       "campaign: partners.followers = \"file\": header partner,person, one pair a line "
                       "(partner: its name in partners.file, else its index from 0; person: an id "
                       "0 .. audience size - 1)."));
  k.push_back(real_key("partners.credibility", [](Scenario& s) -> auto& { return s.partners.credibility; },
                       0.5, {0.0, 1.0}, "", "campaign: credibility of every partner as a source."));
  k.push_back(real_list_key("partners.credibilities",
                            [](Scenario& s) -> auto& { return s.partners.credibilities; }, {}, {0.0, 1.0},
                            "", "campaign: explicit credibility per partner."));
  k.push_back(real_key("partners.cost", [](Scenario& s) -> auto& { return s.partners.cost; }, 100.0,
                       MONEY, "money per activation",
                       "campaign: what a partner costs each time it takes part in a message."));
  k.push_back(real_list_key("partners.costs", [](Scenario& s) -> auto& { return s.partners.costs; }, {},
                            MONEY, "money per activation",
                            "campaign: explicit cost per partner."));
  k.push_back(choice_key("partners.cooperation_model",
                         [](Scenario& s) -> auto& { return s.partners.cooperation_model; },
                         CooperationModel::random,
                         "campaign: the partner cooperation graph; random = pairs cooperate with "
                         "probability partners.cooperation; block = clustered in partners.groups "
                         "groups; preferential = Barabasi-Albert attachment; file = the pairs of "
                         "partners.cooperation_file. A triad is three partners who all cooperate."));
  k.push_back(real_key("partners.cooperation", [](Scenario& s) -> auto& { return s.partners.cooperation; },
                       0.3, {0.0, 1.0}, "probability",
                       "campaign: chance two partners cooperate (random model, when "
                       "partners.cooperation_degree is 0)."));
  k.push_back(real_key("partners.cooperation_degree",
                       [](Scenario& s) -> auto& { return s.partners.cooperation_degree; }, 0.0,
                       {0.0, 1e6}, "partners",
                       "campaign: mean number of partners a partner cooperates with; 0 = "
                       "partners.cooperation x (partners.count - 1). Preferential attachment gets "
                       "2 x round(degree / 2), at least 2."));
  k.push_back(integer_key("partners.groups", [](Scenario& s) -> auto& { return s.partners.groups; }, 10, 1,
                          MAX_PARTNERS, "groups",
                          "campaign: block model: groups of partners (industries, cities), "
                          "contiguous ranges of partner index of equal size."));
  k.push_back(real_key("partners.cooperation_within",
                       [](Scenario& s) -> auto& { return s.partners.cooperation_within; }, 0.8,
                       {0.0, 1.0}, "share",
                       "campaign: block model: expected share of a partner's peers in its own group."));
  k.push_back(text_key("partners.cooperation_file",
                       [](Scenario& s) -> auto& { return s.partners.cooperation_file; }, "",
                       "path to a CSV file; relative paths start at the scenario file's folder",
                       "campaign: partners.cooperation_model = \"file\": header partner,partner, one "
                       "cooperating pair a line (names from partners.file, else indices from 0)."));
  // [firm]
  k.push_back(integer_key("firm.reach", [](Scenario& s) -> auto& { return s.firm.reach; }, 5000, 0,
                          MAX_PEOPLE, "people", "campaign: followers of the firm's own channel."));
  k.push_back(real_key("firm.credibility", [](Scenario& s) -> auto& { return s.firm.credibility; }, 0.5,
                       {0.0, 1.0}, "", "campaign: the firm's credibility as a source."));
  k.push_back(real_key("firm.message_cost", [](Scenario& s) -> auto& { return s.firm.message_cost; },
                       300.0, MONEY, "money per message",
                       "campaign: cost of a message the firm sends alone."));
  k.push_back(real_key("firm.fixed_cost", [](Scenario& s) -> auto& { return s.firm.fixed_cost; }, 0.0,
                       MONEY, "money per step", "campaign: fixed costs."));
  k.push_back(real_key("firm.unit_cost", [](Scenario& s) -> auto& { return s.firm.unit_cost; }, 0.0,
                       MONEY, "money per unit", "campaign: cost of goods sold."));
  // [media]
  k.push_back(choice_key("media.strategy", [](Scenario& s) -> auto& { return s.media.strategy; },
                         MediaStrategy::none,
                         "campaign: none; solo = the firm's own messages; triads = messages by "
                         "(owner, source, channel) partner triads; calendar = the messages listed in "
                         "media.calendar."));
  k.push_back(text_key("media.calendar", [](Scenario& s) -> auto& { return s.media.calendar; }, "",
                       "path to a CSV file; relative paths start at the scenario file's folder",
                       "campaign: media.strategy = \"calendar\": header step,owner,source,channel "
                       "(optional column cost), one message a line; a firm message leaves owner and "
                       "channel empty and names source firm; a partner's own message names only its "
                       "source. Partners by name (partners.file) or index."));
  k.push_back(real_key("media.budget", [](Scenario& s) -> auto& { return s.media.budget; }, 0.0,
                       MONEY, "money",
                       "campaign: money for messages over the run; messages go out every cadence "
                       "steps while it lasts."));
  k.push_back(integer_key("media.cadence", [](Scenario& s) -> auto& { return s.media.cadence; }, 1, 1,
                          1'000'000, "steps", "campaign: steps between two messages."));
  k.push_back(choice_key("media.triad_choice", [](Scenario& s) -> auto& { return s.media.triad_choice; },
                         TriadChoice::uniform,
                         "campaign: how a triad message picks its triad; uniform = uniformly among "
                         "the valid (owner, source, channel) triads, those not used yet first; "
                         "fresh_reach = the triad whose followers add the most people the plan has "
                         "not reached yet (greedy), its most credible partner as the source."));
  k.push_back(integer_key("media.messages_per_step",
                          [](Scenario& s) -> auto& { return s.media.messages_per_step; }, 1, 1, 1'000'000,
                          "messages", "campaign: messages that start together in each step the plan sends "
                          "(every cadence steps), each with its own triad, while the budget lasts."));
  k.push_back(integer_key("media.start", [](Scenario& s) -> auto& { return s.media.start; }, 1, 1,
                          1'000'000, "step", "campaign: step of the first message."));
  k.push_back(integer_key("media.announce_offset", [](Scenario& s) -> auto& { return s.media.announce_offset; },
                          0, 0, 1000, "steps", "campaign: announcement, steps after the message starts."));
  k.push_back(integer_key("media.event_offset", [](Scenario& s) -> auto& { return s.media.event_offset; },
                          1, 0, 1000, "steps", "campaign: the event itself."));
  k.push_back(integer_key("media.echo_offset", [](Scenario& s) -> auto& { return s.media.echo_offset; },
                          3, 0, 1000, "steps", "campaign: the report / echo."));
  k.push_back(real_key("media.announce_strength", [](Scenario& s) -> auto& { return s.media.announce_strength; },
                       0.3, {0.0, 1.0}, "", "campaign: relative strength of the announcement."));
  k.push_back(real_key("media.event_strength", [](Scenario& s) -> auto& { return s.media.event_strength; },
                       1.0, {0.0, 1.0}, "", "campaign: relative strength of the event."));
  k.push_back(real_key("media.echo_strength", [](Scenario& s) -> auto& { return s.media.echo_strength; },
                       0.5, {0.0, 1.0}, "", "campaign: relative strength of the echo."));
  k.push_back(real_key("media.interest", [](Scenario& s) -> auto& { return s.media.interest; }, 0.05,
                       {0.0, 1.0}, "probability",
                       "campaign: chance an exposed person becomes interested, at strength 1, "
                       "credibility 1 and no wear-out."));
  k.push_back(real_key("media.wearout", [](Scenario& s) -> auto& { return s.media.wearout; }, 0.5,
                       {0.0, 1.0}, "multiplier",
                       "campaign: effect multiplier per earlier exposure of the same person to the "
                       "same source (1 = no wear-out)."));
  k.push_back(real_key("media.advertising", [](Scenario& s) -> auto& { return s.media.advertising; }, 0.0,
                       {0.0, 1.0}, "probability per step",
                       "campaign: broadcast advertising (Bass p): chance per step that anyone not "
                       "yet interested becomes interested."));
  k.push_back(real_key("media.advertising_cost", [](Scenario& s) -> auto& { return s.media.advertising_cost; },
                       0.0, MONEY, "money per step",
                       "campaign: cost of broadcast advertising."));
  // [word_of_mouth]
  k.push_back(real_key("word_of_mouth.transmission",
                       [](Scenario& s) -> auto& { return s.word_of_mouth.transmission; }, 0.05,
                       {0.0, 1.0}, "probability per contact per step",
                       "campaign: chance a talker convinces a neighbour in one step of talk."));
  k.push_back(integer_key("word_of_mouth.lifetime", [](Scenario& s) -> auto& { return s.word_of_mouth.lifetime; },
                          1, 1, 1'000'000, "steps", "campaign: steps an interested person talks (buzz lifetime)."));
  k.push_back(integer_key("word_of_mouth.advocate_lifetime",
                          [](Scenario& s) -> auto& { return s.word_of_mouth.advocate_lifetime; }, 4, 0,
                          1'000'000, "steps", "campaign: steps a satisfied customer talks."));
  k.push_back(integer_key("word_of_mouth.detractor_lifetime",
                          [](Scenario& s) -> auto& { return s.word_of_mouth.detractor_lifetime; }, 4, 0,
                          1'000'000, "steps", "campaign: steps a dissatisfied customer talks."));
  k.push_back(real_key("word_of_mouth.detractor_effect",
                       [](Scenario& s) -> auto& { return s.word_of_mouth.detractor_effect; }, 0.5,
                       {0.0, 1.0}, "multiplier",
                       "campaign: a neighbour's purchase propensity is multiplied by this for every "
                       "detractor who reaches them."));
  k.push_back(real_key("word_of_mouth.forgetting", [](Scenario& s) -> auto& { return s.word_of_mouth.forgetting; },
                       0.0, {0.0, 1.0}, "probability per step",
                       "campaign: chance per step an interested person (not yet a lead) loses interest "
                       "and stops talking."));
  k.push_back(real_key("word_of_mouth.style", [](Scenario& s) -> auto& { return s.word_of_mouth.style; }, 0.5,
                       {0.0, 1.0}, "",
                       "campaign: hype <-> corporate myth pole: 0 = myth, 1 = hype, 0.5 = neutral. "
                       "Scales transmission and forgetting by (0.5 + style), talk lifetimes and "
                       "repeat rates by (1.5 - style)."));
  // [funnel]
  k.push_back(real_key("funnel.capacity", [](Scenario& s) -> auto& { return s.funnel.capacity; }, INF,
                       {0.0, INF}, "leads per step",
                       "campaign: leads the sales staff process per step at full focus."));
  k.push_back(real_key("funnel.focus", [](Scenario& s) -> auto& { return s.funnel.focus; }, 1.0,
                       {0.0, 1.0}, "share",
                       "campaign: share of capacity (sales, support, restocking) kept on the core "
                       "function."));
  k.push_back(integer_key("funnel.patience", [](Scenario& s) -> auto& { return s.funnel.patience; }, 2, 0,
                          1'000'000, "steps",
                          "campaign: steps a lead waits to be processed; 0 = lost the same step."));
  k.push_back(real_key("funnel.conversion", [](Scenario& s) -> auto& { return s.funnel.conversion; }, 0.3,
                       {0.0, 1.0}, "probability", "campaign: chance a processed lead buys."));
  k.push_back(real_key("funnel.stock", [](Scenario& s) -> auto& { return s.funnel.stock; }, INF,
                       {0.0, INF}, "units", "campaign: units in stock at the start."));
  k.push_back(integer_key("funnel.restock_every", [](Scenario& s) -> auto& { return s.funnel.restock_every; },
                          0, 0, 1'000'000, "steps", "campaign: steps between restocks; 0 = never."));
  k.push_back(real_key("funnel.restock_amount", [](Scenario& s) -> auto& { return s.funnel.restock_amount; },
                       0.0, {0.0, INF}, "units",
                       "campaign: units added per restock at full focus (restock_policy = "
                       "\"add\"), or the level stock is brought back to (\"order_up_to\")."));
  k.push_back(choice_key("funnel.restock_policy",
                         [](Scenario& s) -> auto& { return s.funnel.restock_policy; },
                         RestockPolicy::add,
                         "campaign: add = each restock adds restock_amount units; order_up_to = "
                         "each restock refills stock up to restock_amount (never removes any)."));
  k.push_back(real_key("funnel.quality", [](Scenario& s) -> auto& { return s.funnel.quality; }, 0.9,
                       {0.0, 1.0}, "probability", "campaign: chance a buyer is satisfied by the product."));
  k.push_back(real_key("funnel.support_need", [](Scenario& s) -> auto& { return s.funnel.support_need; }, 0.0,
                       {0.0, 1.0}, "probability", "campaign: chance a buyer needs support."));
  k.push_back(real_key("funnel.support_capacity",
                       [](Scenario& s) -> auto& { return s.funnel.support_capacity; }, INF, {0.0, INF},
                       "buyers per step", "campaign: buyers support can serve per step at full focus."));
  // [agency]
  k.push_back(real_key("agency.budget_per_step", [](Scenario& s) -> auto& { return s.agency.budget_per_step; },
                       0.0, MONEY, "money per step",
                       "campaign: what the performance agency spends on leads per step; 0 = no agency. "
                       "budget_per_step / cost_per_lead may be at most 1e6 leads per step (each is "
                       "simulated)."));
  k.push_back(real_key("agency.cost_per_lead", [](Scenario& s) -> auto& { return s.agency.cost_per_lead; },
                       10.0, {0.0, MAX_MONEY, true, false}, "money per lead",
                       "campaign: leads bought per step ~ Poisson(budget_per_step / cost_per_lead)."));
  k.push_back(integer_key("agency.handoffs", [](Scenario& s) -> auto& { return s.agency.handoffs; }, 0, 0,
                          100, "contractors", "campaign: outside contractors a lead passes through."));
  k.push_back(real_key("agency.handoff_loss", [](Scenario& s) -> auto& { return s.agency.handoff_loss; }, 0.1,
                       {0.0, 1.0}, "share", "campaign: share of leads lost at each handoff."));
  k.push_back(real_key("agency.quality_threshold",
                       [](Scenario& s) -> auto& { return s.agency.quality_threshold; }, 0.0, {0.0, 1.0},
                       "probability",
                       "campaign: the agency refuses a client whose funnel.quality is below this."));
  k.push_back(integer_key("agency.segment", [](Scenario& s) -> auto& { return s.agency.segment; }, 0, 0,
                          1000, "segment index", "campaign: segment whose price agency customers pay."));
  return k;
}

}  // namespace

const std::vector<KeySpec>& scenario_keys() {
  static const std::vector<KeySpec> keys = make_keys();
  return keys;
}

const std::vector<std::string>& scenario_sections() {
  static const std::vector<std::string> sections = {
      "run",   "audience", "graph", "diffusion", "seeding", "segments",
      "partners", "firm", "media", "word_of_mouth", "funnel", "agency"};
  return sections;
}

const KeySpec* find_key(std::string_view key) {
  for (const auto& spec : scenario_keys()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::string closest_key(std::string_view key) {
  // Edit distance costs |a| x |b|: a huge name (a 10 MB table name) gets no suggestion.
  constexpr std::size_t LONGEST_COMPARED = 64;
  if (key.size() > LONGEST_COMPARED) return "";
  const auto bare = [](std::string_view k) { return k.substr(k.find('.') + 1); };
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& spec : scenario_keys()) {
    // Also compare the bare names, so a key put in the wrong section ("seeding.steps")
    // is found in its own ("run.steps").
    const std::size_t d =
        std::min(edit_distance(key, spec.key), edit_distance(bare(key), bare(spec.key)));
    if (d < best_distance) {
      best_distance = d;
      best = spec.key;
    }
  }
  // A suggestion as far from the name as the name is long is noise ("[extra]").
  return best_distance <= std::max<std::size_t>(4, key.size() / 2) ? best : "";
}

std::string closest_section(std::string_view name) {
  if (name.size() > 64) return "";
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& section : scenario_sections()) {
    const std::size_t d = edit_distance(name, section);
    if (d < best_distance) {
      best_distance = d;
      best = section;
    }
  }
  return best_distance <= std::max<std::size_t>(3, name.size() / 2) ? best : "";
}

std::string scenario_reference_markdown() {
  std::string out =
      "# Scenario file reference\n\n"
      "<!-- Generated by `campaign-sim reference`; a test checks that this file matches. -->\n\n"
      "A scenario is a TOML file with the sections below. Every key is optional and has the\n"
      "default shown. Any key can be overridden from the command line with\n"
      "`--set section.key=value` (the value is read as TOML; a bare word is a string).\n"
      "Keys that do not apply to the chosen model are accepted and ignored, so one file can\n"
      "be swept across models. The fully resolved scenario (every default filled in) is\n"
      "stored in the results file as the `config_toml` attribute.\n";
  for (const auto& section : scenario_sections()) {
    out += fmt::format("\n## [{}]\n\n| key | type | default | allowed | unit | meaning |\n"
                       "|---|---|---|---|---|---|\n",
                       section);
    for (const auto& spec : scenario_keys()) {
      if (spec.key.substr(0, spec.key.find('.')) != section) continue;
      static constexpr const char* kind_names[] = {"integer",      "number",      "string",      "choice",
                                                   "integer list", "number list", "string list", "boolean"};
      out += fmt::format("| `{}` | {} | `{}` | {} | {} | {} |\n", spec.key,
                         kind_names[static_cast<int>(spec.kind)], spec.default_toml, spec.allowed,
                         spec.unit, spec.doc);
    }
  }
  return out;
}

}  // namespace campaign
