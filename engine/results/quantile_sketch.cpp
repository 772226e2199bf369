// Log-linear histogram on the IEEE-754 bit pattern (the HdrHistogram / DDSketch idea):
// for a positive double the bits above the low 44 are exponent and 8 mantissa bits, and
// they sort like the values, so `bits >> 44` is a monotone bucket key whose bucket spans
// [2^e, 2^e (1 + 2^-8)) scaled, i.e. a relative width <= 2^-8. Counts are dense over the
// touched key range of each side, so merging is element-wise addition and the result does
// not depend on the order of add() or merge() calls.
#include "results/quantile_sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace campaign {
namespace {

constexpr int KEY_SHIFT = 44;  // 52 mantissa bits - 8 kept
constexpr std::uint64_t LOW_MASK = (std::uint64_t{1} << KEY_SHIFT) - 1;
constexpr std::int64_t MAX_KEY = (std::int64_t{0x7FE} << 8) | 0xFF;  // largest finite

double lower_bound_of(std::int64_t key) {
  return std::bit_cast<double>(static_cast<std::uint64_t>(key) << KEY_SHIFT);
}

// Lower bound when every value in the bucket was that bound: exact for integers below 512
// (at most 9 significant bits) and any other value that fits in the key. Otherwise the
// midpoint, which is within half a bucket width, 2^-9 relative, of every member. The
// top key's upper bound is +inf; the caller clamps to the observed range.
double representative(std::int64_t key, bool inexact) {
  const double lo = lower_bound_of(key);
  if (!inexact) return lo;
  const double hi = lower_bound_of(key + 1);
  return lo + (hi - lo) * 0.5;
}

// Walks the buckets in order (backward: from the last), adding their counts to `seen`, and
// returns the number of buckets passed before `seen` reaches `rank` (the bucket that
// reaches it is the next), or counts.size() with `seen` past the whole side. A side spans
// 256 buckets per power of two, thousands for a metric such as revenue, so whole blocks
// are skipped by their sums first: summing a block vectorizes, while adding bucket by
// bucket is a chain of dependent adds and compares.
std::size_t walk_to_rank(const std::vector<std::uint64_t>& counts, bool backward,
                         std::uint64_t rank, std::uint64_t& seen) {
  constexpr std::size_t BLOCK = 32;
  const std::size_t n = counts.size();
  std::size_t j = 0;
  for (; j + BLOCK <= n; j += BLOCK) {
    const std::uint64_t* block = counts.data() + (backward ? n - j - BLOCK : j);
    std::uint64_t sum = 0;
    for (std::size_t k = 0; k < BLOCK; ++k) sum += block[k];
    if (seen + sum >= rank) break;
    seen += sum;
  }
  for (; j < n; ++j) {
    seen += counts[backward ? n - 1 - j : j];
    if (seen >= rank) return j;
  }
  return n;
}

}  // namespace

void QuantileSketch::Side::cover(std::int64_t lo, std::int64_t hi) {
  if (counts.empty()) {
    first_key = lo;
    counts.assign(static_cast<std::size_t>(hi - lo + 1), 0);
    inexact.assign(counts.size(), 0);
    return;
  }
  const std::int64_t cur_lo = first_key;
  const std::int64_t cur_hi = first_key + static_cast<std::int64_t>(counts.size()) - 1;
  if (lo >= cur_lo && hi <= cur_hi) return;
  // Grow by at least half the current span, so values arriving in sorted order cost
  // amortized O(1) copies instead of one copy of the whole range per new key.
  const std::int64_t slack = static_cast<std::int64_t>(counts.size() / 2);
  std::int64_t new_lo = cur_lo;
  std::int64_t new_hi = cur_hi;
  if (lo < cur_lo) new_lo = std::max<std::int64_t>(0, std::min(lo, cur_lo - slack));
  if (hi > cur_hi) new_hi = std::min(MAX_KEY, std::max(hi, cur_hi + slack));
  std::vector<std::uint64_t> grown_counts(static_cast<std::size_t>(new_hi - new_lo + 1), 0);
  std::vector<std::uint8_t> grown_inexact(grown_counts.size(), 0);
  const auto offset = static_cast<std::size_t>(cur_lo - new_lo);
  std::copy(counts.begin(), counts.end(), grown_counts.begin() + offset);
  std::copy(inexact.begin(), inexact.end(), grown_inexact.begin() + offset);
  first_key = new_lo;
  counts = std::move(grown_counts);
  inexact = std::move(grown_inexact);
}

void QuantileSketch::Side::add(std::int64_t key) {
  cover(key, key);
  ++counts[static_cast<std::size_t>(key - first_key)];
}

void QuantileSketch::Side::mark_inexact(std::int64_t key) {
  inexact[static_cast<std::size_t>(key - first_key)] = 1;
}

void QuantileSketch::Side::merge(const Side& other) {
  if (other.counts.empty()) return;
  cover(other.first_key, other.first_key + static_cast<std::int64_t>(other.counts.size()) - 1);
  const auto offset = static_cast<std::size_t>(other.first_key - first_key);
  for (std::size_t i = 0; i < other.counts.size(); ++i) {
    counts[offset + i] += other.counts[i];
    inexact[offset + i] |= other.inexact[i];
  }
}

std::uint64_t QuantileSketch::Side::total() const {
  return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
}

void QuantileSketch::add(double x) {
  if (!std::isfinite(x)) throw std::invalid_argument("QuantileSketch::add: value is not finite");
  if (count_ == 0) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  ++count_;
  if (x == 0.0) {  // +0 and -0 alike
    ++zeros_;
    return;
  }
  const auto bits = std::bit_cast<std::uint64_t>(std::fabs(x));
  const auto key = static_cast<std::int64_t>(bits >> KEY_SHIFT);
  Side& side = x > 0.0 ? positive_ : negative_;
  side.add(key);
  if ((bits & LOW_MASK) != 0) side.mark_inexact(key);
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  positive_.merge(other.positive_);
  negative_.merge(other.negative_);
  zeros_ += other.zeros_;
  count_ += other.count_;
}

// Words: count, zeros, min and max (bits), then each side (positive, negative) as its
// first key, its number of keys, their counts and their inexact flags (64 to a word),
// trimmed to the keys that hold values.
void QuantileSketch::encode(std::vector<std::uint64_t>& out) const {
  out.push_back(count_);
  out.push_back(zeros_);
  out.push_back(std::bit_cast<std::uint64_t>(min_));
  out.push_back(std::bit_cast<std::uint64_t>(max_));
  for (const Side* side : {&positive_, &negative_}) {
    std::size_t lo = 0, hi = side->counts.size();
    while (lo < hi && side->counts[lo] == 0) ++lo;
    while (hi > lo && side->counts[hi - 1] == 0) --hi;
    out.push_back(static_cast<std::uint64_t>(side->first_key + static_cast<std::int64_t>(lo)));
    out.push_back(hi - lo);
    out.insert(out.end(), side->counts.begin() + static_cast<std::ptrdiff_t>(lo),
               side->counts.begin() + static_cast<std::ptrdiff_t>(hi));
    for (std::size_t i = lo; i < hi; i += 64) {
      std::uint64_t flags = 0;
      for (std::size_t k = 0; k < 64 && i + k < hi; ++k) flags |= std::uint64_t{side->inexact[i + k] != 0} << k;
      out.push_back(flags);
    }
  }
}

QuantileSketch QuantileSketch::decode(const std::vector<std::uint64_t>& words, std::size_t& at) {
  const auto take = [&]() {
    if (at >= words.size()) throw std::invalid_argument("QuantileSketch::decode: the words end early");
    return words[at++];
  };
  QuantileSketch s;
  s.count_ = take();
  s.zeros_ = take();
  s.min_ = std::bit_cast<double>(take());
  s.max_ = std::bit_cast<double>(take());
  for (Side* side : {&s.positive_, &s.negative_}) {
    const auto first = static_cast<std::int64_t>(take());
    const std::uint64_t keys = take();
    if (keys > static_cast<std::uint64_t>(MAX_KEY) + 1 || first < 0 || first > MAX_KEY + 1 - static_cast<std::int64_t>(keys)) {
      throw std::invalid_argument("QuantileSketch::decode: a side's keys are out of range");
    }
    if (keys == 0) continue;
    side->first_key = first;
    side->counts.resize(keys);
    side->inexact.assign(keys, 0);
    for (std::uint64_t i = 0; i < keys; ++i) side->counts[i] = take();
    for (std::uint64_t i = 0; i < keys; i += 64) {
      const std::uint64_t flags = take();
      for (std::uint64_t k = 0; k < 64 && i + k < keys; ++k) side->inexact[i + k] = (flags >> k) & 1;
    }
  }
  if (s.positive_.total() + s.negative_.total() + s.zeros_ != s.count_) {
    throw std::invalid_argument("QuantileSketch::decode: the counts do not add up");
  }
  return s;
}

double QuantileSketch::quantile(double q) const {
  if (count_ == 0 || std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  // Nearest rank: the ceil(q n)-th smallest observation, at least the first.
  const double n = static_cast<double>(count_);
  const double position = std::ceil(std::clamp(q, 0.0, 1.0) * n);
  const std::uint64_t rank =
      std::clamp<std::uint64_t>(static_cast<std::uint64_t>(position), 1, count_);

  auto finish = [&](double v) { return std::clamp(v, min_, max_); };
  std::uint64_t seen = 0;
  // Ascending order: negative side from the largest magnitude down, zeros, positive side up.
  const std::size_t negatives = negative_.counts.size();
  if (const std::size_t j = walk_to_rank(negative_.counts, true, rank, seen); j < negatives) {
    const std::size_t i = negatives - 1 - j;
    const std::int64_t key = negative_.first_key + static_cast<std::int64_t>(i);
    return finish(-representative(key, negative_.inexact[i] != 0));
  }
  seen += zeros_;
  if (seen >= rank) return finish(0.0);
  if (const std::size_t i = walk_to_rank(positive_.counts, false, rank, seen);
      i < positive_.counts.size()) {
    const std::int64_t key = positive_.first_key + static_cast<std::int64_t>(i);
    return finish(representative(key, positive_.inexact[i] != 0));
  }
  return max_;  // unreachable: the sides and zeros hold count_ observations
}

}  // namespace campaign
