#include "experiment/design.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "rng/philox.h"

namespace campaign {
namespace {

constexpr std::uint64_t MAX_SAMPLES = std::uint64_t{1} << 32;  // Sobol's 32-bit points

// Joe & Kuo (2008), new-joe-kuo-6.21201: for dimensions 2..64, the primitive polynomial
// (with its leading and trailing 1), its degree s and the initial direction numbers
// m_1..m_s. Dimension 1 is van der Corput's (every m_k = 1).
struct SobolPolynomial {
  std::uint32_t polynomial;
  std::uint32_t degree;
  std::array<std::uint32_t, 9> m;
};
constexpr SobolPolynomial SOBOL_TABLE[SOBOL_DIMENSIONS - 1] = {
    {3, 1, {1}},
    {7, 2, {1, 3}},
    {11, 3, {1, 3, 1}},
    {13, 3, {1, 1, 1}},
    {19, 4, {1, 1, 3, 3}},
    {25, 4, {1, 3, 5, 13}},
    {37, 5, {1, 1, 5, 5, 17}},
    {41, 5, {1, 1, 5, 5, 5}},
    {47, 5, {1, 1, 7, 11, 19}},
    {55, 5, {1, 1, 5, 1, 1}},
    {59, 5, {1, 1, 1, 3, 11}},
    {61, 5, {1, 3, 5, 5, 31}},
    {67, 6, {1, 3, 3, 9, 7, 49}},
    {91, 6, {1, 1, 1, 15, 21, 21}},
    {97, 6, {1, 3, 1, 13, 27, 49}},
    {103, 6, {1, 1, 1, 15, 7, 5}},
    {109, 6, {1, 3, 1, 15, 13, 25}},
    {115, 6, {1, 1, 5, 5, 19, 61}},
    {131, 7, {1, 3, 7, 11, 23, 15, 103}},
    {137, 7, {1, 3, 7, 13, 13, 15, 69}},
    {143, 7, {1, 1, 3, 13, 7, 35, 63}},
    {145, 7, {1, 3, 5, 9, 1, 25, 53}},
    {157, 7, {1, 3, 1, 13, 9, 35, 107}},
    {167, 7, {1, 3, 1, 5, 27, 61, 31}},
    {171, 7, {1, 1, 5, 11, 19, 41, 61}},
    {185, 7, {1, 3, 5, 3, 3, 13, 69}},
    {191, 7, {1, 1, 7, 13, 1, 19, 1}},
    {193, 7, {1, 3, 7, 5, 13, 19, 59}},
    {203, 7, {1, 1, 3, 9, 25, 29, 41}},
    {211, 7, {1, 3, 5, 13, 23, 1, 55}},
    {213, 7, {1, 3, 7, 3, 13, 59, 17}},
    {229, 7, {1, 3, 1, 3, 5, 53, 69}},
    {239, 7, {1, 1, 5, 5, 23, 33, 13}},
    {241, 7, {1, 1, 7, 7, 1, 61, 123}},
    {247, 7, {1, 1, 7, 9, 13, 61, 49}},
    {253, 7, {1, 3, 3, 5, 3, 55, 33}},
    {285, 8, {1, 3, 1, 15, 31, 13, 49, 245}},
    {299, 8, {1, 3, 5, 15, 31, 59, 63, 97}},
    {301, 8, {1, 3, 1, 11, 11, 11, 77, 249}},
    {333, 8, {1, 3, 1, 11, 27, 43, 71, 9}},
    {351, 8, {1, 1, 7, 15, 21, 11, 81, 45}},
    {355, 8, {1, 3, 7, 3, 25, 31, 65, 79}},
    {357, 8, {1, 3, 1, 1, 19, 11, 3, 205}},
    {361, 8, {1, 1, 5, 9, 19, 21, 29, 157}},
    {369, 8, {1, 3, 7, 11, 1, 33, 89, 185}},
    {391, 8, {1, 3, 3, 3, 15, 9, 79, 71}},
    {397, 8, {1, 3, 7, 11, 15, 39, 119, 27}},
    {425, 8, {1, 1, 3, 1, 11, 31, 97, 225}},
    {451, 8, {1, 1, 1, 3, 23, 43, 57, 177}},
    {463, 8, {1, 3, 7, 7, 17, 17, 37, 71}},
    {487, 8, {1, 3, 1, 5, 27, 63, 123, 213}},
    {501, 8, {1, 1, 3, 5, 11, 43, 53, 133}},
    {529, 9, {1, 3, 5, 5, 29, 17, 47, 173, 479}},
    {539, 9, {1, 3, 3, 11, 3, 1, 109, 9, 69}},
    {545, 9, {1, 1, 1, 5, 17, 39, 23, 5, 343}},
    {557, 9, {1, 3, 1, 5, 25, 15, 31, 103, 499}},
    {563, 9, {1, 1, 1, 11, 11, 17, 63, 105, 183}},
    {601, 9, {1, 1, 5, 11, 9, 29, 97, 231, 363}},
    {607, 9, {1, 1, 5, 15, 19, 45, 41, 7, 383}},
    {617, 9, {1, 3, 7, 7, 31, 19, 83, 137, 221}},
    {623, 9, {1, 1, 1, 3, 23, 15, 111, 223, 83}},
    {631, 9, {1, 1, 5, 13, 31, 15, 55, 25, 161}},
    {637, 9, {1, 1, 3, 13, 25, 47, 39, 87, 257}},
};

// Direction numbers v_k = m_k 2^(32 - k) (k = 1..32) of every dimension, by the
// recurrence m_k = 2 a_1 m_(k-1) ^ 4 a_2 m_(k-2) ^ ... ^ 2^s m_(k-s) ^ m_(k-s).
using Directions = std::array<std::uint32_t, 32>;
const std::vector<Directions>& sobol_directions() {
  static const std::vector<Directions> table = [] {
    std::vector<Directions> out(SOBOL_DIMENSIONS);
    for (std::size_t k = 0; k < 32; ++k) out[0][k] = std::uint32_t{1} << (31 - k);
    for (std::size_t d = 1; d < SOBOL_DIMENSIONS; ++d) {
      const SobolPolynomial& p = SOBOL_TABLE[d - 1];
      std::array<std::uint64_t, 32> m{};
      for (std::size_t k = 0; k < 32; ++k) {
        if (k < p.degree) {
          m[k] = p.m[k];
          continue;
        }
        std::uint64_t value = m[k - p.degree] ^ (m[k - p.degree] << p.degree);
        for (std::uint32_t j = 1; j < p.degree; ++j) {
          if ((p.polynomial >> (p.degree - j)) & 1u) value ^= m[k - j] << j;
        }
        m[k] = value;
      }
      for (std::size_t k = 0; k < 32; ++k) out[d][k] = static_cast<std::uint32_t>(m[k] << (31 - k));
    }
    return out;
  }();
  return table;
}

bool is_number_kind(ValueKind kind) { return kind == ValueKind::integer || kind == ValueKind::real; }

std::optional<double> read_number(const std::string& text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return {};
  return value;
}

// A value as --set takes it: integers exactly, reals with `digits` significant digits.
std::string number_text(double value, ValueKind kind, int digits) {
  if (kind == ValueKind::integer) return fmt::format("{}", static_cast<std::int64_t>(value));
  const double rounded = *read_number(fmt::format("{:.{}g}", value, digits));
  return fmt::format("{}", rounded == 0 ? 0.0 : rounded);
}

// "a,b,[c, d],\"e,f\"" -> {"a", "b", "[c, d]", "\"e,f\""}: commas inside [...] or "..."
// do not split.
std::vector<std::string> split_levels(const std::string& text) {
  std::vector<std::string> out(1);
  int depth = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '[') ++depth;
    if (!quoted && c == ']') --depth;
    if (c == ',' && depth == 0 && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::vector<std::string> split_on(const std::string& text, char separator) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (c == separator) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// Maps u in [0, 1) onto the factor's range.
std::string value_at(const Factor& f, double u) {
  if (f.kind == ValueKind::integer) {
    const double lo = std::ceil(f.lo), hi = std::floor(f.hi);
    const double v = f.log ? std::floor(std::exp(std::log(lo) + u * (std::log(hi + 1) - std::log(lo))))
                           : std::floor(lo + u * (hi - lo + 1));
    return number_text(std::clamp(v, lo, hi), f.kind, 17);
  }
  const double v = f.log ? std::exp(std::log(f.lo) + u * (std::log(f.hi) - std::log(f.lo)))
                         : f.lo + u * (f.hi - f.lo);
  return number_text(std::clamp(v, f.lo, f.hi), f.kind, 6);
}

// CSV fields, RFC 4180 quoting ("a, b" and "" for a quote); spaces around fields trimmed.
std::vector<std::string> split_csv(const std::string& line, const std::string& where) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(was_quoted ? field : trim(field));
      field.clear();
      was_quoted = false;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (quoted) throw InputError(fmt::format("{}: a quoted field is not closed", where));
  fields.push_back(was_quoted ? field : trim(field));
  return fields;
}

}  // namespace

std::string_view name_of(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid: return "grid";
    case DesignKind::lhs: return "lhs";
    case DesignKind::sobol: return "sobol";
    case DesignKind::random: return "random";
    case DesignKind::file: return "file";
  }
  return "?";
}

DesignKind parse_design_kind(const std::string& text) {
  for (DesignKind k : {DesignKind::grid, DesignKind::lhs, DesignKind::sobol, DesignKind::random}) {
    if (text == name_of(k)) return k;
  }
  throw InputError(fmt::format("--design {} is not a design; allowed: grid, lhs, sobol, random "
                               "(or --design-file points.csv)",
                               excerpt(text, 40)));
}

Factor parse_factor(const std::string& text) {
  const std::string where = "--vary " + excerpt(text, 80);
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError(fmt::format("{}: expected section.key=v1,v2,... or section.key=lo:hi:n", where));
  }
  Factor f;
  f.key = text.substr(0, eq);
  f.spec = text.substr(eq + 1);
  const KeySpec* spec = find_key(f.key);
  if (spec == nullptr) {
    const std::string near = closest_key(f.key);
    throw InputError(fmt::format("{}: {} is not a scenario key{}", where, excerpt(f.key, 60),
                                 near.empty() ? "" : "; did you mean " + near + "?"));
  }
  f.kind = spec->kind;
  if (f.spec.empty()) throw InputError(fmt::format("{}: no values; give v1,v2,... or lo:hi:n", where));
  const bool listy = f.spec.find_first_of(",[\"") != std::string::npos;
  if (f.spec.find(':') != std::string::npos && !listy) {
    const std::vector<std::string> parts = split_on(f.spec, ':');
    if (!is_number_kind(f.kind)) {
      throw InputError(fmt::format("{}: {} takes {}, not a numeric range; list the values "
                                   "(key=a,b,...), quoting one that holds ':'",
                                   where, f.key, spec->allowed));
    }
    const bool log = parts.back() == "log";
    const std::size_t numbers = parts.size() - (log ? 1 : 0);
    const auto lo = read_number(parts[0]);
    const auto hi = numbers > 1 ? read_number(parts[1]) : std::nullopt;
    if (numbers < 2 || numbers > 3 || !lo || !hi) {
      throw InputError(fmt::format("{}: a range is lo:hi (sampled designs), lo:hi:n or lo:hi:n:log "
                                   "(n evenly spaced levels), with numbers lo <= hi",
                                   where));
    }
    if (*lo > *hi) throw InputError(fmt::format("{}: lo {} is above hi {}", where, parts[0], parts[1]));
    if (log && *lo <= 0) throw InputError(fmt::format("{}: a log range needs lo > 0", where));
    if (f.kind == ValueKind::integer && std::ceil(*lo) > std::floor(*hi)) {
      throw InputError(fmt::format("{}: no integer lies in {} .. {}", where, parts[0], parts[1]));
    }
    f.lo = *lo;
    f.hi = *hi;
    f.log = log;
    if (numbers == 2) {
      f.is_range = true;
      return f;
    }
    std::uint64_t n = 0;
    const std::string& count = parts[2];
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
    if (ec != std::errc() || end != count.data() + count.size() || n < 1 || n > 1000000) {
      throw InputError(fmt::format("{}: n = {} is not allowed; allowed: an integer 1 .. 1000000",
                                   where, excerpt(count, 20)));
    }
    std::set<std::string> seen;
    for (std::uint64_t i = 0; i < n; ++i) {
      const double t = n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
      double v = log ? std::exp(std::log(*lo) * (1 - t) + std::log(*hi) * t) : *lo * (1 - t) + *hi * t;
      if (f.kind == ValueKind::integer) v = std::round(v);
      const std::string level = number_text(v, f.kind, 12);
      if (!seen.insert(level).second) {
        throw InputError(fmt::format("{}: {} levels of an integer key repeat {} after rounding; "
                                     "use fewer levels or list them",
                                     where, n, level));
      }
      f.levels.push_back(level);
    }
    return f;
  }
  f.levels = split_levels(f.spec);
  std::set<std::string> seen;
  for (std::string& level : f.levels) {
    level = trim(level);
    if (level.empty()) throw InputError(fmt::format("{}: an empty value in the list", where));
    if (!seen.insert(level).second) {
      throw InputError(fmt::format("{}: the value {} is listed twice", where, excerpt(level, 40)));
    }
  }
  return f;
}

void check_factors(const std::vector<Factor>& factors) {
  std::set<std::string> keys;
  for (const Factor& f : factors) {
    if (!keys.insert(f.key).second) {
      throw InputError(fmt::format("--vary {}: the key is varied twice; give all its values in one "
                                   "--vary {}=...",
                                   f.key, f.key));
    }
  }
}

Design grid_design(const std::vector<Factor>& factors) {
  check_factors(factors);
  Design d;
  d.kind = DesignKind::grid;
  d.points = {{}};
  for (const Factor& f : factors) {
    if (f.is_range) {
      throw InputError(fmt::format("--vary {}={}: a grid needs levels: lo:hi:n (n evenly spaced) or "
                                   "a list; lo:hi is for --design lhs, sobol or random",
                                   f.key, excerpt(f.spec, 40)));
    }
    d.keys.push_back(f.key);
    d.kinds.push_back(f.kind);
    std::vector<std::vector<std::string>> next;
    for (const auto& point : d.points) {
      for (const std::string& level : f.levels) {
        next.push_back(point);
        next.back().push_back(level);
      }
    }
    d.points = std::move(next);
  }
  return d;
}

std::uint32_t sobol_point(std::uint64_t index, std::size_t dim) {
  const Directions& v = sobol_directions().at(dim);
  const std::uint64_t gray = index ^ (index >> 1);
  std::uint32_t x = 0;
  for (std::size_t k = 0; k < 32; ++k) {
    if ((gray >> k) & 1u) x ^= v[k];
  }
  return x;
}

Design sample_design(DesignKind kind, const std::vector<Factor>& factors, std::uint64_t samples,
                     std::uint64_t seed) {
  check_factors(factors);
  if (factors.empty()) throw InputError(fmt::format("--design {}: needs --vary key=lo:hi", name_of(kind)));
  if (samples < 1 || samples > MAX_SAMPLES) {
    throw InputError(fmt::format("--samples {} is not allowed; allowed: 1 .. {}", samples, MAX_SAMPLES));
  }
  if (kind == DesignKind::sobol && factors.size() > SOBOL_DIMENSIONS) {
    throw InputError(fmt::format("--design sobol: {} keys varied; at most {}", factors.size(),
                                 SOBOL_DIMENSIONS));
  }
  Design d;
  d.kind = kind;
  for (const Factor& f : factors) {
    if (!f.is_range) {
      throw InputError(fmt::format("--vary {}={}: --design {} samples ranges: give lo:hi (or "
                                   "lo:hi:log), not levels",
                                   f.key, excerpt(f.spec, 40), name_of(kind)));
    }
    d.keys.push_back(f.key);
    d.kinds.push_back(f.kind);
  }
  const CounterRng rng(seed);
  const std::size_t dims = factors.size();
  // The unit-cube points, [point][dim].
  std::vector<std::vector<double>> u(samples, std::vector<double>(dims));
  if (kind == DesignKind::random) {
    for (std::uint64_t i = 0; i < samples; ++i) {
      for (std::size_t j = 0; j < dims; ++j) {
        u[i][j] = rng.uniform(Stream::design, 2, static_cast<std::uint32_t>(i),
                              static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i >> 32));
      }
    }
  } else if (kind == DesignKind::lhs) {
    // Per dimension: a uniform random permutation of the strata (Fisher-Yates, from the
    // top), and a uniform point inside each stratum.
    for (std::size_t j = 0; j < dims; ++j) {
      std::vector<std::uint64_t> strata(samples);
      for (std::uint64_t i = 0; i < samples; ++i) strata[i] = i;
      for (std::uint64_t i = samples - 1; i > 0; --i) {
        const std::uint64_t k =
            rng.u64(Stream::design, 1, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j),
                    static_cast<std::uint32_t>(i >> 32)) %
            (i + 1);
        std::swap(strata[i], strata[k]);
      }
      for (std::uint64_t i = 0; i < samples; ++i) {
        const double jitter = rng.uniform(Stream::design, 3, static_cast<std::uint32_t>(i),
                                          static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i >> 32));
        u[i][j] = (static_cast<double>(strata[i]) + jitter) / static_cast<double>(samples);
      }
    }
  } else if (kind == DesignKind::sobol) {
    // Scrambled by y = L x ^ e per dimension: L a random lower-triangular bit matrix
    // with a unit diagonal, e a random shift. L maps each direction number once.
    for (std::size_t j = 0; j < dims; ++j) {
      std::array<std::uint32_t, 32> rows{};  // row i of L: bits of x it sums (MSB first)
      for (std::size_t i = 0; i < 32; ++i) {
        const std::uint32_t below = i == 0 ? 0u : ~std::uint32_t{0} << (32 - i);
        rows[i] = (rng.u32(Stream::design, 4, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)) & below) |
                  (std::uint32_t{1} << (31 - i));
      }
      const auto scramble = [&](std::uint32_t x) {
        std::uint32_t y = 0;
        for (std::size_t i = 0; i < 32; ++i) {
          y |= static_cast<std::uint32_t>(std::popcount(rows[i] & x) & 1) << (31 - i);
        }
        return y;
      };
      const std::uint32_t shift = rng.u32(Stream::design, 5, 0, static_cast<std::uint32_t>(j));
      std::array<std::uint32_t, 32> v{};
      for (std::size_t k = 0; k < 32; ++k) v[k] = scramble(sobol_directions()[j][k]);
      std::uint32_t x = shift;  // point 0
      for (std::uint64_t i = 0; i < samples; ++i) {
        if (i > 0) x ^= v[static_cast<std::size_t>(std::countr_zero(i))];  // Gray-code order
        u[i][j] = std::ldexp(static_cast<double>(x) + 0.5, -32);
      }
    }
  } else {
    throw std::logic_error("sample_design: not a sampled design");
  }
  for (std::uint64_t i = 0; i < samples; ++i) {
    std::vector<std::string>& point = d.points.emplace_back();
    for (std::size_t j = 0; j < dims; ++j) point.push_back(value_at(factors[j], u[i][j]));
  }
  return d;
}

Design read_design_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("--design-file {}: cannot be read", excerpt_path(path)));
  Design d;
  d.kind = DesignKind::file;
  std::string line;
  std::size_t line_number = 0;
  bool header = true;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string where = fmt::format("{}:{}", excerpt_path(path), line_number);
    if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // a BOM
    if (line.ends_with('\r')) line.pop_back();  // CRLF: a blank line is blank, not one empty cell
    if (trim(line).empty() || line.starts_with('#')) continue;
    std::vector<std::string> cells = split_csv(line, where);
    if (header) {
      header = false;
      std::set<std::string> seen;
      for (const std::string& key : cells) {
        const KeySpec* spec = find_key(key);
        if (spec == nullptr) {
          const std::string near = closest_key(key);
          throw InputError(fmt::format("{}: column {} is not a scenario key{}", where, excerpt(key, 60),
                                       near.empty() ? "" : "; did you mean " + near + "?"));
        }
        if (!seen.insert(key).second) throw InputError(fmt::format("{}: column {} appears twice", where, key));
        d.keys.push_back(key);
        d.kinds.push_back(spec->kind);
      }
      continue;
    }
    if (cells.size() != d.keys.size()) {
      throw InputError(fmt::format("{}: {} cells, the header has {} columns", where, cells.size(),
                                   d.keys.size()));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].empty()) {
        throw InputError(fmt::format("{}: column {} is empty", where, d.keys[c]));
      }
      if (is_number_kind(d.kinds[c]) && !read_number(cells[c])) {
        throw InputError(fmt::format("{}: column {} = '{}' is not a number; allowed: {}", where,
                                     d.keys[c], excerpt(cells[c], 40), find_key(d.keys[c])->allowed));
      }
    }
    d.points.push_back(std::move(cells));
  }
  if (d.keys.empty() || d.points.empty()) {
    throw InputError(fmt::format("--design-file {}: needs a header row of keys and at least one row "
                                 "of values",
                                 excerpt_path(path)));
  }
  return d;
}

}  // namespace campaign
