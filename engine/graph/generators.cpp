// Random graph generators. Every draw is keyed on the graph stream by what it is for
// (a row block, a node, an attempt), never taken from a running generator, so each output
// is a pure function of (parameters, seed) at any thread count.
//
// Counter layout: rng.*(Stream::graph, 0, a, b, c) with c = generator tag << 16 | low,
// where `low` (16 bits) is generator-specific; the tag keeps two generators run from one
// seed (power_law_degrees feeding configuration_model, say) off each other's counters.
#include "graph/generators.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>

#include "core/interrupt.h"
#include "rng/philox.h"

namespace campaign {
namespace {

// Generator tags in the counter. Part of the reproducibility contract: never renumber.
enum class Draw : std::uint32_t {
  watts_strogatz = 1,
  erdos_renyi = 2,
  sbm_within = 3,
  sbm_across = 4,
  barabasi_albert = 5,
  configuration = 6,
  power_law = 7,
  poisson = 8,
  growing_erdos_renyi = 9,
};

constexpr std::uint32_t tag(Draw d, std::uint32_t low = 0) {
  return (static_cast<std::uint32_t>(d) << 16) | (low & 0xFFFFu);
}

// Iterations between two looks at an interrupt request in the generators' loops: a few
// milliseconds of work.
constexpr std::uint64_t INTERRUPT_CHECK = 1 << 16;

// Rows per block of the parallel samplers. Part of the reproducibility contract: the
// block index keys the draws, so changing this changes every ER and SBM graph.
constexpr NodeId ROW_BLOCK = 4096;

void check_probability(const char* where, const char* name, double p) {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw std::invalid_argument(std::string(where) + ": " + name + " must be in [0, 1], got " +
                                std::to_string(p));
  }
}

NodeId checked_node_count(const char* where, std::uint64_t n) {
  if (n > std::numeric_limits<NodeId>::max()) {
    throw std::invalid_argument(std::string(where) + ": " + std::to_string(n) +
                                " nodes exceed the NodeId range");
  }
  return static_cast<NodeId>(n);
}

// Bernoulli(p) selection of the cells (u, v) of rows u in [r0, r1), row u spanning columns
// [span(u).first, span(u).second), by geometric skips (Batagelj & Brandes 2005, "Efficient
// generation of large random networks", Phys. Rev. E 71, algorithm G(n,p)): the number of
// cells passed over before the next chosen one is floor(log(1 - r) / log(1 - p)), so the
// work is O(rows + chosen), never O(cells). Draw i is keyed (block, i mod 2^32,
// tag | i / 2^32), good for 2^48 draws per block. The skip goes through std::log and
// std::log1p; with another libm a skip could move only where the quotient lies within
// an ulp of an integer.
template <class Span, class Emit>
void sample_rows(const CounterRng& rng, std::uint32_t block, Draw draw_tag, double p, NodeId r0,
                 NodeId r1, Span span, Emit&& emit) {
  if (p <= 0.0 || r0 >= r1) return;
  if (p >= 1.0) {
    for (NodeId u = r0; u < r1; ++u) {
      throw_if_interrupted();
      const auto [lo, hi] = span(u);
      for (NodeId v = lo; v < hi; ++v) emit(u, v);
    }
    return;
  }
  const double inv_log_q = 1.0 / std::log1p(-p);
  NodeId u = r0;
  auto [pos, hi] = span(u);  // pos: next candidate column of row u
  for (std::uint64_t i = 0;; ++i) {
    if (i % INTERRUPT_CHECK == 0) throw_if_interrupted();
    const double r = rng.uniform(Stream::graph, 0, block, static_cast<std::uint32_t>(i),
                                 tag(draw_tag, static_cast<std::uint32_t>(i >> 32)));
    const double gap = std::floor(std::log(1.0 - r) * inv_log_q);  // 1 - r in (0, 1]
    if (!(gap < 0x1p62)) return;                                   // past every row of the block
    auto skip = static_cast<std::uint64_t>(gap);
    while (skip >= std::uint64_t{hi} - pos) {
      skip -= hi - pos;
      if (++u == r1) return;
      std::tie(pos, hi) = span(u);
    }
    pos += static_cast<NodeId>(skip);
    emit(u, static_cast<NodeId>(pos));
    ++pos;
  }
}

// Builds the CSR of a graph whose edges sample(block, r0, r1, emit) emits as (u, v), u
// in [r0, r1) and u != v, each at most once, over fixed blocks of ROW_BLOCK rows (GAP's
// per-block reseeding: nothing depends on the thread count). Every row's own edges (those
// it emits) come out in increasing v, all above u (`own_above`) or all below it. No edge
// list is kept: a first pass counts each row's own edges and the others it receives, a
// second regenerates the own edges into their row (sequential writes, one thread a row),
// then each row's received edges are copied in by a transposition that visits the rows
// in order, so every row comes out sorted without sorting it. Peak memory is the CSR
// itself, 8 bytes per edge, and 24 bytes per node.
template <class Sample>
CsrGraph build_upper_triangle(NodeId n, Sample sample, bool own_above, BuildReport* report) {
  const auto blocks = static_cast<std::uint32_t>((std::uint64_t{n} + ROW_BLOCK - 1) / ROW_BLOCK);
  const auto over_blocks = [&](auto&& emit) {
    // One block per task: blocks can differ widely in work (growing_erdos_renyi's grow
    // with their rows), so each thread takes the next block when it is free.
    tbb::parallel_for(
        tbb::blocked_range<std::uint32_t>(0, blocks, 1),
        [&](const tbb::blocked_range<std::uint32_t>& range) {
          for (std::uint32_t b = range.begin(); b != range.end(); ++b) {
            throw_if_interrupted();
            const NodeId r0 = b * ROW_BLOCK;
            const auto r1 = static_cast<NodeId>(std::min<std::uint64_t>(n, std::uint64_t{r0} + ROW_BLOCK));
            sample(b, r0, r1, emit);
          }
        },
        tbb::simple_partitioner());
  };
  // Row u is written only by u's block: its own count and cursor need no atomics.
  std::vector<ArcIndex> own(std::size_t{n} + 1, 0);
  std::vector<std::atomic<ArcIndex>> received(std::size_t{n} + 1);
  over_blocks([&](NodeId u, NodeId v) {
    ++own[u];
    received[v].fetch_add(1, std::memory_order_relaxed);
  });
  std::vector<ArcIndex> offsets(std::size_t{n} + 1, 0);
  for (NodeId u = 0; u < n; ++u) offsets[u + 1] = offsets[u] + own[u] + received[u].load(std::memory_order_relaxed);
  // Where each part of a row starts: received below u first when own is above.
  const auto own_start = [&](NodeId u) { return offsets[u] + (own_above ? received[u].load(std::memory_order_relaxed) : 0); };
  const auto received_start = [&](NodeId u) { return own_above ? offsets[u] : offsets[u] + own[u]; };
  std::vector<NodeId> targets(offsets[n]);
  std::vector<ArcIndex> fill(std::size_t{n} + 1, 0);
  over_blocks([&](NodeId u, NodeId v) { targets[own_start(u) + fill[u]++] = v; });
  // Each row's received edges in increasing u: every worker scans all own lists in row
  // order and copies the edges whose receiving row falls in its range of rows.
  std::fill(fill.begin(), fill.end(), 0);
  const auto parts = static_cast<NodeId>(std::max(1, tbb::this_task_arena::max_concurrency()));
  tbb::parallel_for(NodeId{0}, parts, [&](NodeId part) {
    const auto lo = static_cast<NodeId>(std::uint64_t{n} * part / parts);
    const auto hi = static_cast<NodeId>(std::uint64_t{n} * (part + 1) / parts);
    for (NodeId u = 0; u < n; ++u) {
      if (u % INTERRUPT_CHECK == 0) throw_if_interrupted();
      const ArcIndex first = own_start(u);
      for (ArcIndex a = first; a < first + own[u]; ++a) {
        const NodeId v = targets[a];
        if (v >= lo && v < hi) targets[received_start(v) + fill[v]++] = u;
      }
    }
  });
  if (report != nullptr) *report = BuildReport{offsets[n] / 2, 0, 0};
  return CsrGraph(std::move(offsets), std::move(targets));
}

}  // namespace

CsrGraph complete_graph(NodeId n) {
  if (n == 0) return CsrGraph();
  std::vector<ArcIndex> offsets(std::size_t{n} + 1);
  for (std::size_t u = 0; u <= n; ++u) offsets[u] = u * (n - 1);
  std::vector<NodeId> targets(offsets[n]);
  ArcIndex at = 0;
  for (NodeId u = 0; u < n; ++u) {
    throw_if_interrupted();
    for (NodeId v = 0; v < n; ++v) {
      if (v != u) targets[at++] = v;
    }
  }
  return CsrGraph(std::move(offsets), std::move(targets));
}

// Node u owns the lattice edges (u, u + j mod n), j = 1..k. Edge j is rewired when the
// coin keyed (u, j, attempt 0) falls; candidate targets are keyed (u, j, attempt 1, 2, ...)
// and rejected while they are u or a current target of u's own edges (the edge being
// rewired included, so a rewired edge always moves). At most k + 1 of n >= 2k + 1 nodes
// are excluded, so each candidate is accepted with probability at least 1/3; after 65535
// rejections (probability below (2/3)^65535) the edge stays where it is.
CsrGraph watts_strogatz(NodeId n, std::uint32_t k, double beta, std::uint64_t seed,
                        BuildReport* report) {
  check_probability("watts_strogatz", "beta", beta);
  if (k > 0 && 2 * std::uint64_t{k} >= n) {
    throw std::invalid_argument("watts_strogatz: need 2k < n, got k = " + std::to_string(k) +
                                ", n = " + std::to_string(n));
  }
  const CounterRng rng(seed);
  const Coin rewire(beta);
  std::vector<Edge> edges(std::size_t{n} * k);
  tbb::parallel_for(
      tbb::blocked_range<NodeId>(0, n, 256), [&](const tbb::blocked_range<NodeId>& rows) {
        std::vector<NodeId> own(k);
        for (NodeId u = rows.begin(); u != rows.end(); ++u) {
          throw_if_interrupted();
          for (std::uint32_t j = 1; j <= k; ++j)
            own[j - 1] = static_cast<NodeId>((std::uint64_t{u} + j) % n);
          for (std::uint32_t j = 1; j <= k; ++j) {
            if (rewire(rng.u32(Stream::graph, 0, u, j, tag(Draw::watts_strogatz, 0)))) {
              for (std::uint32_t attempt = 1; attempt <= 0xFFFFu; ++attempt) {
                const auto w = static_cast<NodeId>(CounterRng::below(
                    rng.u64(Stream::graph, 0, u, j, tag(Draw::watts_strogatz, attempt)), n));
                if (w != u && std::find(own.begin(), own.end(), w) == own.end()) {
                  own[j - 1] = w;
                  break;
                }
              }
            }
            edges[std::size_t{u} * k + (j - 1)] = {u, own[j - 1]};
          }
        }
      });
  GraphBuilder builder(n);
  builder.add_edges(edges);
  std::vector<Edge>().swap(edges);
  return std::move(builder).build(report);
}

namespace {

// G(n, p) whose row u draws its cells in span(u) by skips, keyed by row block.
template <class Span>
CsrGraph gnp(const char* where, Draw draw, NodeId n, double p, std::uint64_t seed, Span span, bool own_above,
             BuildReport* report) {
  check_probability(where, "p", p);
  const CounterRng rng(seed);
  return build_upper_triangle(
      n,
      [&](std::uint32_t block, NodeId r0, NodeId r1, auto& emit) { sample_rows(rng, block, draw, p, r0, r1, span, emit); },
      own_above, report);
}

}  // namespace

// Row u's candidates are v in (u, n).
CsrGraph erdos_renyi(NodeId n, double p, std::uint64_t seed, BuildReport* report) {
  return gnp("erdos_renyi", Draw::erdos_renyi, n, p, seed, [n](NodeId u) { return std::pair<NodeId, NodeId>(u + 1, n); },
             true, report);
}

// Row u's candidates are v in [0, u); a block's rows and draws do not depend on n.
CsrGraph growing_erdos_renyi(NodeId n, double p, std::uint64_t seed, BuildReport* report) {
  return gnp("growing_erdos_renyi", Draw::growing_erdos_renyi, n, p, seed,
             [](NodeId u) { return std::pair<NodeId, NodeId>(0, u); }, false, report);
}

// Batagelj & Brandes (2005), algorithm BA: `ends` lists both endpoints of every edge, so
// a uniform pick from it chooses a node with probability proportional to its degree. New
// node t draws from the ends present before it, keyed (t, draw number), rejecting repeats
// until it has m distinct targets; `picked_by[w] == t` marks a repeat in O(1).
CsrGraph barabasi_albert(NodeId n, std::uint32_t m, std::uint64_t seed, BuildReport* report) {
  if (m == 0 || n <= m) {
    throw std::invalid_argument("barabasi_albert: need m >= 1 and n > m, got m = " +
                                std::to_string(m) + ", n = " + std::to_string(n));
  }
  const CounterRng rng(seed);
  const std::size_t edge_count = std::size_t{m} * (m + 1) / 2 + (std::size_t{n} - m - 1) * m;
  std::vector<Edge> edges;
  edges.reserve(edge_count);
  std::vector<NodeId> ends;
  ends.reserve(2 * edge_count);
  for (NodeId u = 0; u <= m; ++u) {
    for (NodeId v = u + 1; v <= m; ++v) {
      edges.emplace_back(u, v);
      ends.push_back(u);
      ends.push_back(v);
    }
  }
  std::vector<NodeId> picked_by(n, std::numeric_limits<NodeId>::max());
  std::vector<NodeId> picked(m);
  for (NodeId t = m + 1; t < n; ++t) {
    if (t % 4096 == 0) throw_if_interrupted();
    const std::size_t pool = ends.size();
    std::uint32_t draw = 0;
    for (std::uint32_t i = 0; i < m;) {
      const NodeId w = ends[CounterRng::below(
          rng.u64(Stream::graph, 0, t, draw++, tag(Draw::barabasi_albert)), pool)];
      if (picked_by[w] != t) {
        picked_by[w] = t;
        picked[i++] = w;
      }
    }
    for (const NodeId w : picked) {
      edges.emplace_back(w, t);
      ends.push_back(w);
      ends.push_back(t);
    }
  }
  std::vector<NodeId>().swap(ends);
  GraphBuilder builder(n);
  builder.add_edges(edges);
  std::vector<Edge>().swap(edges);
  return std::move(builder).build(report);
}

// Stubs are shuffled by Fisher–Yates (Durstenfeld's top-down form: position i swaps with
// j uniform in [0, i], j keyed (i mod 2^32, i / 2^32)) and paired (0,1), (2,3), ....
// The j's depend on i alone, so each chunk of them is drawn in parallel and applied in
// order.
CsrGraph configuration_model(const std::vector<std::uint32_t>& degrees, std::uint64_t seed,
                             BuildReport* report) {
  const NodeId n = checked_node_count("configuration_model", degrees.size());
  std::uint64_t total = 0;
  for (const std::uint32_t d : degrees) total += d;
  std::vector<NodeId> stubs;
  stubs.reserve(total);
  for (NodeId u = 0; u < n; ++u) {
    if (u % INTERRUPT_CHECK == 0) throw_if_interrupted();
    stubs.insert(stubs.end(), degrees[u], u);
  }
  if (total % 2 == 1) stubs.pop_back();  // the last stub belongs to the last node with degree > 0

  const CounterRng rng(seed);
  constexpr std::size_t CHUNK = std::size_t{1} << 20;
  std::vector<std::uint64_t> pick;
  for (std::size_t hi = stubs.size(); hi > 1;) {
    throw_if_interrupted();
    const std::size_t lo = hi > CHUNK ? hi - CHUNK : 1;  // positions [lo, hi), i >= 1
    pick.resize(hi - lo);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(lo, hi, 4096),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          const std::uint64_t bits =
                              rng.u64(Stream::graph, 0, static_cast<std::uint32_t>(i),
                                      static_cast<std::uint32_t>(std::uint64_t{i} >> 32),
                                      tag(Draw::configuration));
                          pick[i - lo] = CounterRng::below(bits, i + 1);
                        }
                      });
    for (std::size_t i = hi; i-- > lo;) std::swap(stubs[i], stubs[pick[i - lo]]);
    hi = lo;
  }
  std::vector<std::uint64_t>().swap(pick);

  GraphBuilder builder(n);
  builder.reserve(stubs.size() / 2);
  for (std::size_t i = 0; i + 1 < stubs.size(); i += 2) builder.add_edge(stubs[i], stubs[i + 1]);
  std::vector<NodeId>().swap(stubs);
  return std::move(builder).build(report);
}

CsrGraph random_regular(NodeId n, std::uint32_t d, std::uint64_t seed, BuildReport* report) {
  if (d >= n && n > 0) {
    throw std::invalid_argument("random_regular: need d < n, got d = " + std::to_string(d) +
                                ", n = " + std::to_string(n));
  }
  return configuration_model(std::vector<std::uint32_t>(n, d), seed, report);
}

// Inversion: the cumulative table of k^-exponent over [k_min, k_max] (summed in order of
// k, with std::pow) is searched for r * total, r keyed by node.
std::vector<std::uint32_t> power_law_degrees(NodeId n, double exponent, std::uint32_t k_min,
                                             std::uint32_t k_max, std::uint64_t seed) {
  if (!std::isfinite(exponent)) {
    throw std::invalid_argument("power_law_degrees: exponent must be finite");
  }
  if (k_min < 1 || k_min > k_max || k_max - k_min >= (std::uint32_t{1} << 24)) {
    throw std::invalid_argument(
        "power_law_degrees: need 1 <= k_min <= k_max < k_min + 2^24, got k_min = " +
        std::to_string(k_min) + ", k_max = " + std::to_string(k_max));
  }
  std::vector<double> cdf(std::size_t{k_max} - k_min + 1);
  double sum = 0.0;
  for (std::size_t i = 0; i < cdf.size(); ++i) {
    sum += std::pow(static_cast<double>(k_min + i), -exponent);
    cdf[i] = sum;
  }
  const CounterRng rng(seed);
  std::vector<std::uint32_t> degrees(n);
  tbb::parallel_for(
      tbb::blocked_range<NodeId>(0, n, 4096), [&](const tbb::blocked_range<NodeId>& rows) {
        for (NodeId u = rows.begin(); u != rows.end(); ++u) {
          const double x = rng.uniform(Stream::graph, 0, u, 0, tag(Draw::power_law)) * sum;
          const auto i =
              static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), x) - cdf.begin());
          degrees[u] = k_min + static_cast<std::uint32_t>(std::min(i, cdf.size() - 1));
        }
      });
  return degrees;
}

// Inversion by sequential search (Devroye 1986, "Non-Uniform Random Variate Generation",
// X.3.3), exact and simple for a small mean. A larger mean is split into `pieces` equal
// parts of at most 30, since a sum of independent Poissons is Poisson with the summed
// mean: e^-part never underflows and the cost stays O(1 + mean) per node. Piece q of
// node u is keyed (u, q).
std::vector<std::uint32_t> poisson_degrees(NodeId n, double mean, std::uint64_t seed) {
  if (!(mean >= 0.0 && mean < 1e9)) {
    throw std::invalid_argument("poisson_degrees: mean must be in [0, 1e9), got " +
                                std::to_string(mean));
  }
  const auto pieces = static_cast<std::uint32_t>(std::max(1.0, std::ceil(mean / 30.0)));
  const double part = mean / pieces;
  const double p0 = std::exp(-part);
  const CounterRng rng(seed);
  std::vector<std::uint32_t> degrees(n);
  tbb::parallel_for(
      tbb::blocked_range<NodeId>(0, n, 1024), [&](const tbb::blocked_range<NodeId>& rows) {
        for (NodeId u = rows.begin(); u != rows.end(); ++u) {
          std::uint64_t total = 0;
          for (std::uint32_t q = 0; q < pieces; ++q) {
            const double r = rng.uniform(Stream::graph, 0, u, q, tag(Draw::poisson));
            std::uint32_t k = 0;
            double prob = p0;
            double cdf = p0;
            // prob > 0 stops the search if rounding left the cdf short of r near 1.
            while (r >= cdf && prob > 0.0) {
              ++k;
              prob *= part / k;
              cdf += prob;
            }
            total += k;
          }
          degrees[u] = static_cast<std::uint32_t>(std::min<std::uint64_t>(total, 0xFFFFFFFFu));
        }
      });
  return degrees;
}

// Row u's upper-triangle candidates split at the end e of u's block: (u, e) are within
// the block (p_in), [e, n) across (p_out). Both share the row blocks of erdos_renyi and
// its skip sampler, with their own tags.
CsrGraph stochastic_block_model(const std::vector<NodeId>& block_sizes, double p_in, double p_out,
                                std::uint64_t seed, BuildReport* report) {
  check_probability("stochastic_block_model", "p_in", p_in);
  check_probability("stochastic_block_model", "p_out", p_out);
  std::vector<NodeId> block_end;
  block_end.reserve(block_sizes.size());
  std::uint64_t total = 0;
  for (const NodeId size : block_sizes) {
    total += size;
    block_end.push_back(checked_node_count("stochastic_block_model", total));
  }
  const auto n = static_cast<NodeId>(total);
  const auto end_of = [&](NodeId u) {
    return *std::upper_bound(block_end.begin(), block_end.end(), u);
  };
  const CounterRng rng(seed);
  return build_upper_triangle(
      n,
      [&](std::uint32_t block, NodeId r0, NodeId r1, auto& emit) {
        sample_rows(
            rng, block, Draw::sbm_within, p_in, r0, r1,
            [&](NodeId u) { return std::pair<NodeId, NodeId>(u + 1, end_of(u)); }, emit);
        sample_rows(
            rng, block, Draw::sbm_across, p_out, r0, r1,
            [&](NodeId u) { return std::pair<NodeId, NodeId>(end_of(u), n); }, emit);
      },
      true, report);
}

}  // namespace campaign
