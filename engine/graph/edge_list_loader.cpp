// SNAP edge-list reader. The file goes through zlib's gzread in 4 MiB chunks: gzread
// inflates gzip data and passes a plain file through unchanged, so '.gz' needs no other
// code path. Each complete line is parsed in place with std::from_chars; ids are then
// ranked (a dense table when the largest id is small, otherwise sort + unique and a
// binary search per endpoint) and the edges handed to GraphBuilder, which drops and
// counts duplicates. Self-loops are dropped (and counted) before the ids are ranked, so an
// id named only by self-loops is not a node: the shared networks' README counts nodes that
// way (email-Eu-core 986 of 1005 ids, ca-GrQc 5241 of 5242).
#include "graph/edge_list_loader.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <filesystem>
#include <limits>
#include <numeric>
#include <optional>
#include <string_view>
#include <vector>
#include <cctype>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"

namespace campaign {
namespace {

constexpr std::size_t CHUNK = std::size_t{4} << 20;
constexpr std::size_t QUOTE_CHARS = 60;  // of a malformed line, in its error message
constexpr std::size_t MAX_LINE = std::size_t{64} << 20;  // a longer "line" is not an edge list

class GzReader {
 public:
  explicit GzReader(const std::string& path) : path_(path) {
    errno = 0;
    file_ = gzopen(path.c_str(), "rb");
    if (file_ == nullptr) {
      throw InputError(path + ": cannot open edge list: " +
                       (errno != 0 ? std::strerror(errno) : "out of memory"));
    }
    gzbuffer(file_, 256 * 1024);
  }
  ~GzReader() { gzclose(file_); }
  bool at_end() const { return gzeof(file_) != 0; }
  // Bytes of the file read so far (compressed bytes for gzip).
  long long compressed_offset() const { return static_cast<long long>(gzoffset(file_)); }
  GzReader(const GzReader&) = delete;
  GzReader& operator=(const GzReader&) = delete;

  // Up to `size` bytes into `out`; 0 at the end of the file. A gzip stream that stops
  // before its end marker (a cut-short download), or whose data or CRC is wrong, is an
  // InputError, never a smaller graph: zlib reports the first as Z_BUF_ERROR at the end
  // (and lets gzread return what it had), the second as Z_DATA_ERROR.
  std::size_t read(char* out, std::size_t size) {
    const int got = gzread(file_, out, static_cast<unsigned>(std::min<std::size_t>(size, INT_MAX)));
    int code = Z_OK;
    const char* message = gzerror(file_, &code);
    if (got < 0 || (got == 0 && code != Z_OK)) {
      const auto at = static_cast<long long>(gzoffset(file_));
      if (code == Z_BUF_ERROR) {
        throw InputError(fmt::format("{}: truncated gzip: the compressed stream ends at byte {} "
                                     "before its end marker (the file was cut short)",
                                     path_, at));
      }
      if (code == Z_DATA_ERROR) {
        std::string_view what = message != nullptr ? message : "bad data";
        if (what.starts_with(path_ + ": ")) what.remove_prefix(path_.size() + 2);  // zlib's prefix
        throw InputError(fmt::format("{}: corrupt gzip: {} at byte {}", path_, what, at));
      }
      throw InputError(path_ + ": cannot read edge list: " +
                       (code == Z_ERRNO ? std::strerror(errno) : message));
    }
    return static_cast<std::size_t>(got);
  }

 private:
  std::string path_;
  gzFile file_ = nullptr;
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// "u SEP v [SEP anything]" with SEP a run of blanks or a comma with optional blanks
// around it; the columns after v (weights, timestamps) are ignored.
bool parse_edge(const char* p, const char* end, std::uint64_t& u, std::uint64_t& v) {
  const auto first = std::from_chars(p, end, u);
  if (first.ec != std::errc()) return false;
  const char* q = first.ptr;
  while (q < end && is_blank(*q)) ++q;
  if (q < end && *q == ',') {
    ++q;
    while (q < end && is_blank(*q)) ++q;
  }
  if (q == first.ptr) return false;  // no separator: "12x 3"
  const auto second = std::from_chars(q, end, v);
  if (second.ec != std::errc()) return false;
  return second.ptr == end || is_blank(*second.ptr) || *second.ptr == ',';
}

// A Matrix Market file's banner and size line.
struct MatrixMarket {
  std::uint64_t rows = 0, columns = 0, entries = 0;
  bool sized = false;      // the size line has been read
  bool symmetric = false;  // symmetric or skew-symmetric: an entry (i, j) stands for (j, i) too
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "%%MatrixMarket matrix coordinate pattern symmetric": InputError unless a graph can be
// read from it.
void check_banner(const std::string& path, std::string_view line) {
  std::vector<std::string> words;
  for (std::size_t at = 0; at < line.size();) {
    while (at < line.size() && (is_blank(line[at]) || line[at] == '\n')) ++at;
    std::size_t end = at;
    while (end < line.size() && !is_blank(line[end]) && line[end] != '\n') ++end;
    if (end > at) words.push_back(lower(line.substr(at, end - at)));
    at = end;
  }
  const auto refuse = [&](const std::string& what) {
    throw InputError(fmt::format("{}:1: Matrix Market {}; a graph is read from \"%%MatrixMarket matrix coordinate "
                                 "pattern|integer|real general|symmetric|skew-symmetric\"",
                                 path, what));
  };
  if (words.size() != 5 || words[1] != "matrix") refuse(fmt::format("banner '{}' is not one", excerpt(line, 80)));
  if (words[2] != "coordinate") refuse(fmt::format("format '{}' (a dense array) is not a graph's", words[2]));
  if (words[3] != "pattern" && words[3] != "integer" && words[3] != "real") {
    refuse(fmt::format("field '{}' is not read", words[3]));
  }
  if (words[4] != "general" && words[4] != "symmetric" && words[4] != "skew-symmetric") {
    refuse(fmt::format("symmetry '{}' is not read", words[4]));
  }
}

// "M N NNZ", or an entry "i j [value]": unsigned integers separated by blanks.
bool parse_numbers(const char* p, const char* end, std::uint64_t* out, int count, bool rest_allowed) {
  for (int k = 0; k < count; ++k) {
    while (p < end && is_blank(*p)) ++p;
    const auto r = std::from_chars(p, end, out[k]);
    if (r.ec != std::errc() || (r.ptr < end && !is_blank(*r.ptr))) return false;
    p = r.ptr;
  }
  while (p < end && is_blank(*p)) ++p;
  return rest_allowed || p == end;
}

[[noreturn]] void malformed(const std::string& path, std::uint64_t line_no, const char* begin,
                            const char* end) {
  while (end > begin && (end[-1] == '\r' || end[-1] == '\n')) --end;
  const std::string_view line(begin, static_cast<std::size_t>(end - begin));
  throw InputError(path + ":" + std::to_string(line_no) +
                   ": expected two non-negative integer node ids, got '" +
                   excerpt(line.substr(0, 4 * QUOTE_CHARS), QUOTE_CHARS) + "'");
}

}  // namespace

namespace {

// A SNAP list's ids ranked: original_ids[new id] = id in the file, in increasing order,
// and local[i] = the new id of ends[i].
void ranked_ids(const std::string& path, const std::vector<std::uint64_t>& ends,
                std::vector<std::uint64_t>& original_ids, std::vector<NodeId>& local) {
  if (ends.empty()) throw InputError(path + ": edge list has no edges");
  const std::uint64_t max_id = *std::max_element(ends.begin(), ends.end());
  if (max_id < 2 * ends.size() + 1024) {
    // Dense ids (the common case): rank through a table indexed by id.
    constexpr NodeId ABSENT = std::numeric_limits<NodeId>::max();
    std::vector<NodeId> rank(max_id + 1, ABSENT);
    for (const std::uint64_t id : ends) rank[id] = 0;
    for (std::uint64_t id = 0; id <= max_id; ++id) {
      if (rank[id] == ABSENT) continue;
      rank[id] = static_cast<NodeId>(original_ids.size());
      original_ids.push_back(id);
    }
    for (std::size_t i = 0; i < ends.size(); ++i) local[i] = rank[ends[i]];
  } else {
    std::vector<std::uint64_t>& ids = original_ids;
    ids = ends;
    tbb::parallel_sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.size() > std::numeric_limits<NodeId>::max()) {
      throw InputError(path + ": " + std::to_string(ids.size()) +
                       " distinct node ids exceed the supported " +
                       std::to_string(std::numeric_limits<NodeId>::max()));
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, ends.size(), 1 << 14),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          local[i] = static_cast<NodeId>(
                              std::lower_bound(ids.begin(), ids.end(), ends[i]) - ids.begin());
                        }
                      });
  }
}

// The builder's graph, the edges read as `reading` says.
CsrGraph build_read(GraphBuilder& builder, ArcReading reading, BuildReport* report) {
  if (reading == ArcReading::undirected) return std::move(builder).build(report);
  return std::move(builder).build_directed(report);
}

}  // namespace

LoadedGraph load_edge_list(const std::string& path, ArcReading reading) {
  // "u follows v": the arc v -> u, as word of mouth goes.
  const bool swap = reading == ArcReading::follows;
  const auto add = [swap](GraphBuilder& builder, NodeId u, NodeId v) {
    swap ? builder.add_edge(v, u) : builder.add_edge(u, v);
  };
  GzReader reader(path);
  std::vector<std::uint64_t> ends;  // u0, v0, u1, v1, ... as written in the file
  std::vector<char> buf(CHUNK);
  std::size_t have = 0;
  std::uint64_t line_no = 0;
  std::uint64_t self_loops = 0;
  std::optional<MatrixMarket> mtx;  // set by a Matrix Market banner on the first line
  std::uint64_t entries = 0;
  for (bool eof = false; !eof;) {
    throw_if_interrupted();
    if (have == buf.size()) {  // one line longer than the buffer
      if (buf.size() >= MAX_LINE) {
        throw InputError(fmt::format("{}:{}: a line longer than {} MiB; not an edge list", path,
                                     line_no + 1, MAX_LINE >> 20));
      }
      buf.resize(2 * buf.size());
    }
    const std::size_t got = reader.read(buf.data() + have, buf.size() - have);
    eof = got == 0;
    have += got;
    const char* p = buf.data();
    const char* const end = p + have;
    while (p < end) {
      const auto* nl =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      if (nl == nullptr) {
        if (!eof) break;  // finish the line after the next read
        nl = end;
      }
      ++line_no;
      const char* s = p;
      if (line_no == 1 && static_cast<std::size_t>(nl - p) >= 14 &&
          lower(std::string_view(p, 14)) == "%%matrixmarket") {
        check_banner(path, std::string_view(p, static_cast<std::size_t>(nl - p)));
        mtx.emplace();
        mtx->symmetric = lower(std::string_view(p, static_cast<std::size_t>(nl - p))).find("symmetric") !=
                         std::string::npos;
      }
      while (s < nl && is_blank(*s)) ++s;
      if (s < nl && *s != '#' && *s != '%' && *s != '\r' && mtx) {
        std::uint64_t numbers[3] = {0, 0, 0};
        const char* line_end = nl > s && nl[-1] == '\r' ? nl - 1 : nl;
        if (!mtx->sized) {
          if (!parse_numbers(s, line_end, numbers, 3, false)) {
            throw InputError(fmt::format("{}:{}: expected the Matrix Market size line 'rows columns entries', got "
                                         "'{}'",
                                         path, line_no, excerpt(std::string_view(s, line_end - s), QUOTE_CHARS)));
          }
          if (numbers[0] != numbers[1] || numbers[0] == 0 || numbers[0] > std::numeric_limits<NodeId>::max()) {
            throw InputError(fmt::format("{}:{}: a {} x {} matrix; a graph's adjacency matrix is square, of 1 .. {} "
                                         "people",
                                         path, line_no, numbers[0], numbers[1], std::numeric_limits<NodeId>::max()));
          }
          *mtx = MatrixMarket{numbers[0], numbers[1], numbers[2], true, mtx->symmetric};
          ends.reserve(std::min<std::uint64_t>(2 * numbers[2], std::uint64_t{1} << 22));  // a header may lie
        } else {
          if (!parse_numbers(s, line_end, numbers, 2, true) || numbers[0] < 1 || numbers[0] > mtx->rows ||
              numbers[1] < 1 || numbers[1] > mtx->columns) {
            throw InputError(fmt::format("{}:{}: expected an entry 'i j [value]' with 1 <= i, j <= {}, got '{}'", path,
                                         line_no, mtx->rows,
                                         excerpt(std::string_view(s, line_end - s), QUOTE_CHARS)));
          }
          if (++entries > mtx->entries) {
            throw InputError(fmt::format("{}:{}: more entries than the {} of the size line", path, line_no,
                                         mtx->entries));
          }
          if (numbers[0] == numbers[1]) {
            ++self_loops;
          } else {
            ends.push_back(numbers[0] - 1);
            ends.push_back(numbers[1] - 1);
            if (mtx->symmetric && reading != ArcReading::undirected) {  // read directed: both arcs
              ends.push_back(numbers[1] - 1);
              ends.push_back(numbers[0] - 1);
            }
          }
        }
      } else if (s < nl && *s != '#' && *s != '%') {
        std::uint64_t u = 0;
        std::uint64_t v = 0;
        if (!parse_edge(s, nl, u, v)) malformed(path, line_no, p, nl);
        if (u == v) {
          ++self_loops;  // dropped here, so an id seen only in self-loops is not a node
        } else {
          ends.push_back(u);
          ends.push_back(v);
        }
      }
      p = nl == end ? end : nl + 1;
    }
    have = static_cast<std::size_t>(end - p);
    std::memmove(buf.data(), p, have);
  }
  LoadedGraph loaded;
  loaded.lines = line_no;
  std::vector<NodeId> local(ends.size());
  if (mtx) {
    if (!mtx->sized) throw InputError(path + ": a Matrix Market file without its size line");
    if (entries != mtx->entries) {
      throw InputError(fmt::format("{}: {} entries, but the size line says {} (the file was cut short?)", path,
                                   entries, mtx->entries));
    }
    // Its people are the matrix's rows 1..n, isolated ones too; the entries are 0-based already.
    loaded.original_ids.resize(mtx->rows);
    std::iota(loaded.original_ids.begin(), loaded.original_ids.end(), std::uint64_t{1});
    std::copy(ends.begin(), ends.end(), local.begin());
  } else {
    ranked_ids(path, ends, loaded.original_ids, local);
  }
  std::vector<std::uint64_t>().swap(ends);

  GraphBuilder builder(static_cast<NodeId>(loaded.original_ids.size()));
  builder.reserve(local.size() / 2);
  for (std::size_t i = 0; i < local.size(); i += 2) add(builder, local[i], local[i + 1]);
  std::vector<NodeId>().swap(local);
  loaded.graph = build_read(builder, reading, &loaded.report);
  loaded.report.edges_in += self_loops;
  loaded.report.self_loops_dropped += self_loops;
  return loaded;
}

EdgeListSize estimate_edge_list_size(const std::string& path) {
  constexpr std::size_t SAMPLE = std::size_t{1} << 20;
  // Bytes of a line "u v\n" with ids of a few digits, when the sample holds no edge to
  // measure: a header of comments must not make a large list look empty.
  constexpr double DEFAULT_EDGE_BYTES = 8;
  GzReader reader(path);
  std::vector<char> buf(SAMPLE);
  std::size_t have = 0;
  for (std::size_t got = 1; got > 0 && have < SAMPLE;) {
    got = reader.read(buf.data() + have, SAMPLE - have);
    have += got;
  }
  const bool whole = have < SAMPLE || reader.at_end();
  if (have >= 14 && lower(std::string_view(buf.data(), 14)) == "%%matrixmarket") {
    // The size line says how many entries (each an edge at most).
    for (std::size_t i = 0; i < have;) {
      const char* begin = buf.data() + i;
      const auto* nl = static_cast<const char*>(std::memchr(begin, '\n', have - i));
      const char* end = nl ? nl : buf.data() + have;
      std::size_t k = 0;
      while (begin + k < end && is_blank(begin[k])) ++k;
      if (begin + k < end && begin[k] != '%') {
        std::uint64_t numbers[3] = {0, 0, 0};
        if (parse_numbers(begin + k, end > begin && end[-1] == '\r' ? end - 1 : end, numbers, 3, false)) {
          return {static_cast<double>(numbers[2]), false, static_cast<double>(numbers[0])};
        }
        break;
      }
      i = static_cast<std::size_t>(end - buf.data()) + 1;
    }
  }
  // Lines that hold an edge, the bytes they take, and the bytes of comment lines.
  double edges = 0, edge_bytes = 0, comment_bytes = 0;
  for (std::size_t i = 0; i < have;) {
    const char* begin = buf.data() + i;
    const auto* nl = static_cast<const char*>(std::memchr(begin, '\n', have - i));
    const std::size_t length = nl ? static_cast<std::size_t>(nl - begin) + 1 : have - i;
    std::size_t k = 0;
    while (k < length && is_blank(begin[k])) ++k;
    if (k < length && begin[k] != '\n' && begin[k] != '#' && begin[k] != '%') {
      ++edges;
      edge_bytes += static_cast<double>(length);
    } else {
      comment_bytes += static_cast<double>(length);
    }
    i += length;
  }
  if (whole) return {edges, true};
  std::error_code ec;
  const auto size = static_cast<double>(std::filesystem::file_size(path, ec));
  const double consumed = static_cast<double>(reader.compressed_offset());
  if (ec || consumed <= 0) return {edges, false};
  // The whole file's text (scaled by the sample's compression ratio for gzip), less the
  // comments seen, at the sample's bytes per edge.
  const double text = size * static_cast<double>(have) / consumed;
  const double per_edge = edges > 0 ? edge_bytes / edges : DEFAULT_EDGE_BYTES;
  return {std::max(edges, (text - comment_bytes) / per_edge), false};
}

}  // namespace campaign
