// The HDF5 C API behind RAII handles. This is the only file that includes <hdf5.h>, so
// the rest of the engine does not depend on HDF5's headers or macros (house rule 6).
//
// Error handling: HDF5's automatic stack printing is switched off, each call's status is
// checked, and a failure becomes an IoError naming the object, with the innermost entry of
// HDF5's error stack (the most specific one, e.g. "name already exists") as the reason.
#include "io/hdf5_file.h"

#include <hdf5.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "core/error.h"

namespace campaign::h5 {

static_assert(std::is_same_v<hid_t, Hid>, "Hid must be hid_t (int64_t since HDF5 1.10)");

namespace {

constexpr std::size_t CONTIGUOUS_LIMIT = 4096;      // elements; larger vectors are chunked
constexpr std::size_t CHUNK_BYTES = std::size_t{1} << 20;  // cap on one chunk
constexpr std::uint64_t MATRIX_CHUNK_ROWS = 64;     // rows per chunk, before the byte cap
constexpr unsigned DEFLATE_LEVEL = 1;  // zlib: 97% of level 4's gain in 70% of its time
constexpr unsigned MAX_COMPACT_LINKS = 64, MIN_DENSE_LINKS = 48;  // a group's link storage

// The file holds IEEE little-endian doubles, and so does memory here: tables are written
// with the file's record type, and encoded chunks bypass HDF5's conversion altogether.
static_assert(std::endian::native == std::endian::little, "doubles are written as in memory");

// HDF5's automatic printing of its error stack, off for the calling thread. In a
// thread-safe HDF5 build (Debian's is) this setting is per thread, and blocks of
// trajectories may be written from a TBB worker, so every entry point that can fail
// switches it off; the call only stores two pointers.
//
// Before anything else, the first call tells HDF5 not to shut itself down at exit: after
// a failed close (a full disk) the library still lists the file as open, and closing it
// again at exit crashes inside HDF5. Every file is closed before the program ends.
void quiet() {
  static const bool no_shutdown_at_exit = H5dont_atexit() >= 0;
  (void)no_shutdown_at_exit;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

// The reason for a failure, from the current thread's error stack: the operating
// system's message when a system call failed (HDF5's description of it runs over several
// lines of buffers and offsets), else the innermost (most specific) message. Must run
// right after the failing call: the next API call clears the stack.
std::string error_reason() {
  struct Found {
    std::string innermost, system;
  } found;
  auto walk = [](unsigned, const H5E_error2_t* err, void* data) -> herr_t {
    auto* out = static_cast<Found*>(data);
    if (err->desc == nullptr) return 0;
    const std::string desc = err->desc;
    if (out->innermost.empty()) out->innermost = desc;
    const std::string marker = "error message = '";
    const std::size_t at = desc.find(marker);
    const std::size_t end = at == std::string::npos ? at : desc.find('\'', at + marker.size());
    if (out->system.empty() && end != std::string::npos) {
      out->system = desc.substr(at + marker.size(), end - at - marker.size());
    }
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk, &found);
  // Frees the stack's strings now: a thread that ends with a non-empty stack leaks them.
  H5Eclear2(H5E_DEFAULT);
  std::string reason = !found.system.empty() ? found.system : found.innermost;
  std::replace(reason.begin(), reason.end(), '\n', ' ');  // one line
  return reason.empty() ? "unknown HDF5 error" : reason;
}

std::string file_name_of(Hid id) {
  const ssize_t size = H5Fget_name(id, nullptr, 0);
  if (size <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return {};
  }
  std::string name(static_cast<std::size_t>(size), '\0');
  H5Fget_name(id, name.data(), name.size() + 1);
  return name;
}

// "cannot <action> '<object>' in '<file>': <reason>"; loc is any id inside the file.
[[noreturn]] void fail(const std::string& action, const std::string& object, Hid loc) {
  const std::string reason = error_reason();
  std::string message = "HDF5: cannot " + action + " '" + object + "'";
  if (loc >= 0) {
    const std::string file = file_name_of(loc);
    if (!file.empty()) message += " in '" + file + "'";
  }
  throw IoError(message + ": " + reason);
}

std::string join_path(const std::string& parent, const std::string& name) {
  return parent == "/" ? "/" + name : parent + "/" + name;
}

// Variable-length UTF-8 string: h5py reads it back as str, and there is no length limit.
Handle string_type() {
  Handle type(H5Tcopy(H5T_C_S1));
  if (!type.valid() || H5Tset_size(type.id(), H5T_VARIABLE) < 0 ||
      H5Tset_cset(type.id(), H5T_CSET_UTF8) < 0) {
    fail("create the string type for", "attributes", -1);
  }
  return type;
}

// Groups track link creation order so tools can list metrics in the engine's order. Up to
// 64 links stay in the group's header (HDF5's default is 8), where adding one is cheaper
// than in the heap and two B-trees of dense storage: a campaign's 27 series tables are
// written 0.17 ms sooner (docs/performance.md).
Handle group_creation_list() {
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE));
  if (!gcpl.valid() ||
      H5Pset_link_creation_order(gcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
      H5Pset_link_phase_change(gcpl.id(), MAX_COMPACT_LINKS, MIN_DENSE_LINKS) < 0) {
    fail("create the group property list for", "groups", -1);
  }
  return gcpl;
}

// Files close "strong": H5Fclose also closes every object still open in the file, so a
// closed file is complete on disk before it is renamed, whatever handles remain.
Handle file_access_list() {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
  if (!fapl.valid() || H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG) < 0) {
    fail("create the file access property list for", "files", -1);
  }
  // A metadata cache of at most 1 MB (HDF5's default grows to 32 MB): a sweep's merge
  // writes and reads thousands of scenario groups once each, and keeping their metadata
  // would make its memory grow with the number of variants. The cache's entries take
  // about three times their nominal size in memory (decoded messages): at 4 MB, a
  // 10,000-variant merge held 12 MB in HDF5; at 1 MB, 4 MB, and it is no slower.
  H5AC_cache_config_t cache{};
  cache.version = H5AC__CURR_CACHE_CONFIG_VERSION;
  if (H5Pget_mdc_config(fapl.id(), &cache) < 0) fail("read the metadata cache settings for", "files", -1);
  cache.set_initial_size = true;
  cache.initial_size = 1 << 18;
  cache.min_size = 1 << 18;
  cache.max_size = 1 << 20;
  if (H5Pset_mdc_config(fapl.id(), &cache) < 0) fail("set the metadata cache for", "files", -1);
  return fapl;
}

void set_filters(Hid dcpl, const std::string& path, Hid loc) {
  if (H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, DEFLATE_LEVEL) < 0) {
    fail("set compression filters on", path, loc);
  }
}

void write_scalar_attribute(Hid loc, const std::string& owner, const std::string& name,
                            Hid file_type, Hid memory_type, const void* value) {
  quiet();
  const std::string path = owner + "@" + name;
  const htri_t exists = H5Aexists(loc, name.c_str());
  if (exists < 0) fail("look up attribute", path, loc);
  if (exists > 0 && H5Adelete(loc, name.c_str()) < 0) fail("replace attribute", path, loc);
  Handle space(H5Screate(H5S_SCALAR));
  if (!space.valid()) fail("create a dataspace for attribute", path, loc);
  Handle attr(H5Acreate2(loc, name.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT));
  if (!attr.valid()) fail("create attribute", path, loc);
  if (H5Awrite(attr.id(), memory_type, value) < 0) fail("write attribute", path, loc);
}

template <typename T>
T read_scalar_attribute(Hid loc, const std::string& owner, const std::string& name,
                        Hid memory_type) {
  quiet();
  const std::string path = owner + "@" + name;
  Handle attr(H5Aopen(loc, name.c_str(), H5P_DEFAULT));
  if (!attr.valid()) fail("open attribute", path, loc);
  Handle space(H5Aget_space(attr.id()));
  if (!space.valid() || H5Sget_simple_extent_npoints(space.id()) != 1) {
    fail("read (not a scalar) attribute", path, loc);
  }
  T value{};
  if (H5Aread(attr.id(), memory_type, &value) < 0) fail("read attribute", path, loc);
  return value;
}

std::vector<std::uint64_t> dataset_dims(Hid dataset, const std::string& path) {
  Handle space(H5Dget_space(dataset));
  if (!space.valid()) fail("get the dataspace of", path, dataset);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail("get the rank of", path, dataset);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr) < 0) {
    fail("get the dimensions of", path, dataset);
  }
  return {dims.begin(), dims.end()};
}

}  // namespace

// ---- Handle ------------------------------------------------------------------------------

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    Handle old(id_);  // closes the current id on scope exit
    id_ = other.id_;
    other.id_ = -1;
  }
  return *this;
}

Handle::~Handle() {
  // An id may already be gone: a "strong" file close closes the objects inside it.
  if (id_ < 0 || H5Iis_valid(id_) <= 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: H5Idec_ref(id_); break;
  }
}

// ---- MatrixWriter ------------------------------------------------------------------------

namespace {

// HDF5's shuffle filter: byte b of element i goes to position b * count + i, so the
// bytes that vary least (sign and exponent) sit together for deflate.
void shuffle(std::span<const double> values, std::vector<unsigned char>& out) {
  const std::size_t count = values.size();
  out.resize(count * sizeof(double));
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t b = 0; b < sizeof(double); ++b) {
    unsigned char* plane = out.data() + b * count;
    for (std::size_t i = 0; i < count; ++i) plane[i] = bytes[i * sizeof(double) + b];
  }
}

}  // namespace

EncodedBand MatrixWriter::encode_band(std::uint64_t first_row,
                                      std::span<const double> values) const {
  if (columns_ == 0 || values.size() % columns_ != 0) {
    throw std::invalid_argument("encode_band: " + std::to_string(values.size()) +
                                " values is not a whole number of rows of " +
                                std::to_string(columns_));
  }
  const std::uint64_t count = values.size() / columns_;
  if (first_row >= rows_ || first_row % band_rows_ != 0 ||
      count != std::min(band_rows_, rows_ - first_row)) {
    throw std::invalid_argument("encode_band: rows [" + std::to_string(first_row) + ", " +
                                std::to_string(first_row + count) + ") are not a band of " +
                                std::to_string(band_rows_) + " rows of [0, " +
                                std::to_string(rows_) + ")");
  }
  EncodedBand band;
  band.first_row = first_row;
  // A chunk is stored whole: rows and columns past the matrix's edge hold the fill value 0.
  std::vector<double> chunk(band_rows_ * chunk_columns_);
  std::vector<unsigned char> shuffled;
  for (std::uint64_t first_column = 0; first_column < columns_; first_column += chunk_columns_) {
    const std::uint64_t width = std::min(chunk_columns_, columns_ - first_column);
    std::fill(chunk.begin(), chunk.end(), 0.0);
    for (std::uint64_t r = 0; r < count; ++r) {
      const auto row = values.subspan(r * columns_ + first_column, width);
      std::copy(row.begin(), row.end(),
                chunk.begin() + static_cast<std::ptrdiff_t>(r * chunk_columns_));
    }
    shuffle(chunk, shuffled);
    EncodedBand::Chunk out;
    out.first_column = first_column;
    out.bytes.resize(shuffled.size());  // as HDF5's deflate filter: no larger than the input
    uLongf size = out.bytes.size();
    const int status = compress2(out.bytes.data(), &size, shuffled.data(), shuffled.size(),
                                 static_cast<int>(DEFLATE_LEVEL));
    if (status == Z_OK) {
      out.bytes.resize(size);
    } else if (status == Z_BUF_ERROR) {  // incompressible: stored shuffled, deflate skipped,
      out.bytes = shuffled;              // as HDF5 does with its optional deflate filter
      out.skipped_filters = 1u << 1;
    } else {
      throw IoError("deflate: cannot compress a chunk (zlib status " + std::to_string(status) +
                    ")");
    }
    band.chunks.push_back(std::move(out));
  }
  return band;
}

void MatrixWriter::write_band(const EncodedBand& band) {
  quiet();
  for (const EncodedBand::Chunk& chunk : band.chunks) {
    const hsize_t offset[2] = {band.first_row, chunk.first_column};
    if (H5Dwrite_chunk(dataset_.id(), H5P_DEFAULT, chunk.skipped_filters, offset,
                       chunk.bytes.size(), chunk.bytes.data()) < 0) {
      fail("write rows " + std::to_string(band.first_row) + ".. of", path_, dataset_.id());
    }
  }
}

// ---- Group -------------------------------------------------------------------------------

Group Group::create_group(const std::string& name) {
  quiet();
  const std::string path = join_path(path_, name);
  Handle gcpl = group_creation_list();
  Handle group(H5Gcreate2(handle_.id(), name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT));
  if (!group.valid()) fail("create group", path, handle_.id());
  return Group(std::move(group), path);
}

void Group::set_attribute(const std::string& name, const std::string& value) {
  Handle type = string_type();
  const char* text = value.c_str();
  write_scalar_attribute(handle_.id(), path_, name, type.id(), type.id(), &text);
}

void Group::set_attribute(const std::string& name, std::int64_t value) {
  write_scalar_attribute(handle_.id(), path_, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void Group::set_attribute(const std::string& name, std::uint64_t value) {
  write_scalar_attribute(handle_.id(), path_, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

void Group::set_attribute(const std::string& name, double value) {
  write_scalar_attribute(handle_.id(), path_, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

namespace {

// The record type of a table: one float64 field per column, side by side. Checks what
// write_table and write_tables promise: `values` holds whole tables of columns.size()
// columns of one length, and the names are unique and non-empty.
Handle record_type_of(const std::string& path, std::span<const std::string> columns,
                      std::span<const std::span<const double>> values, Hid loc) {
  if (columns.empty() || values.empty() || values.size() % columns.size() != 0) {
    throw std::invalid_argument("write_table '" + path + "': " + std::to_string(columns.size()) +
                                " column names for " + std::to_string(values.size()) +
                                " columns (at least one, and whole tables, needed)");
  }
  const std::size_t rows = values[0].size();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].size() != rows) {
      throw std::invalid_argument(
          "write_table '" + path + "': column '" + columns[i % columns.size()] + "' has " +
          std::to_string(values[i].size()) + " rows, the first " + std::to_string(rows));
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].empty() ||
        std::find(columns.begin(), columns.begin() + static_cast<std::ptrdiff_t>(c), columns[c]) !=
            columns.begin() + static_cast<std::ptrdiff_t>(c)) {
      throw std::invalid_argument("write_table '" + path + "': column name '" + columns[c] +
                                  "' is empty or repeated");
    }
  }
  Handle record_type(H5Tcreate(H5T_COMPOUND, columns.size() * sizeof(double)));
  if (!record_type.valid()) fail("create the record type of", path, loc);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (H5Tinsert(record_type.id(), columns[c].c_str(), c * sizeof(double), H5T_IEEE_F64LE) < 0) {
      fail("add column '" + columns[c] + "' to the record type of", path, loc);
    }
  }
  return record_type;
}

// Records are rows of the columns side by side: rows [first, first + count) of each
// table in `values`, table after table.
void interleave(std::span<const std::span<const double>> values, std::size_t columns,
                std::size_t first, std::size_t count, std::vector<double>& records) {
  records.resize(values.size() / columns * count * columns);
  std::size_t k = 0;
  for (std::size_t t = 0; t < values.size(); t += columns) {
    for (std::size_t r = 0; r < count; ++r) {
      for (std::size_t c = 0; c < columns; ++c) records[k++] = values[t + c][first + r];
    }
  }
}

}  // namespace

void Group::write_table(const std::string& name, std::span<const std::string> columns,
                        std::span<const std::span<const double>> values) {
  quiet();
  const std::string path = join_path(path_, name);
  if (values.size() != columns.size()) {
    throw std::invalid_argument("write_table '" + path + "': " + std::to_string(columns.size()) +
                                " column names for " + std::to_string(values.size()) +
                                " columns (at least one needed)");
  }
  const Handle record_type = record_type_of(path, columns, values, handle_.id());
  const std::size_t rows = values[0].size();
  const std::size_t row_bytes = columns.size() * sizeof(double);
  const hsize_t dims[1] = {rows};
  Handle space(H5Screate_simple(1, dims, nullptr));
  if (!space.valid()) fail("create a dataspace for", path, handle_.id());
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
  if (!dcpl.valid()) fail("create a property list for", path, handle_.id());
  // Short tables (a series of a few hundred steps) stay contiguous: chunk indexing and
  // filters would cost more than they save. Long ones (finals of many replications) are
  // chunked so they can be compressed, and written a chunk of rows at a time.
  std::size_t block_rows = rows;
  if (rows > CONTIGUOUS_LIMIT) {
    block_rows = std::clamp<std::size_t>(CHUNK_BYTES / row_bytes, 1, rows);
    const hsize_t chunk[1] = {block_rows};
    if (H5Pset_chunk(dcpl.id(), 1, chunk) < 0) fail("set chunking on", path, handle_.id());
    set_filters(dcpl.id(), path, handle_.id());
  }
  Handle dataset(H5Dcreate2(handle_.id(), name.c_str(), record_type.id(), space.id(), H5P_DEFAULT,
                            dcpl.id(), H5P_DEFAULT));
  if (!dataset.valid()) fail("create dataset", path, handle_.id());
  std::vector<double> records;
  for (std::size_t first = 0; first < rows; first += block_rows) {
    const std::size_t count = std::min(block_rows, rows - first);
    interleave(values, columns.size(), first, count, records);
    Handle memory_space;
    if (count < rows) {  // a block of a long table
      const hsize_t start[1] = {first}, block[1] = {count};
      if (H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start, nullptr, block, nullptr) < 0) {
        fail("select rows of", path, handle_.id());
      }
      memory_space = Handle(H5Screate_simple(1, block, nullptr));
      if (!memory_space.valid()) fail("create a memory dataspace for", path, handle_.id());
    }
    if (H5Dwrite(dataset.id(), record_type.id(), memory_space.valid() ? memory_space.id() : H5S_ALL,
                 memory_space.valid() ? space.id() : H5S_ALL, H5P_DEFAULT, records.data()) < 0) {
      fail("write dataset", path, handle_.id());
    }
  }
}

void Group::write_tables(const std::string& name, std::span<const std::string> columns,
                         std::span<const std::span<const double>> values) {
  quiet();
  const std::string path = join_path(path_, name);
  const Handle record_type = record_type_of(path, columns, values, handle_.id());
  const std::size_t tables = values.size() / columns.size(), rows = values[0].size();
  const hsize_t dims[2] = {tables, rows};
  Handle space(H5Screate_simple(2, dims, nullptr));
  if (!space.valid()) fail("create a dataspace for", path, handle_.id());
  Handle dataset(H5Dcreate2(handle_.id(), name.c_str(), record_type.id(), space.id(), H5P_DEFAULT,
                            H5P_DEFAULT, H5P_DEFAULT));
  if (!dataset.valid()) fail("create dataset", path, handle_.id());
  std::vector<double> records;
  interleave(values, columns.size(), 0, rows, records);
  if (!records.empty() &&
      H5Dwrite(dataset.id(), record_type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, records.data()) < 0) {
    fail("write dataset", path, handle_.id());
  }
}

void Group::write_columns(const std::string& name, std::span<const Column> columns) {
  quiet();
  const std::string path = join_path(path_, name);
  if (columns.empty()) throw std::invalid_argument("write_columns '" + path + "': no columns");
  const std::size_t rows = columns[0].size();
  // Every field is 8 bytes in the record: a double, an int64 or a char* (HDF5's in-memory
  // variable-length string).
  static_assert(sizeof(const char*) == 8 && sizeof(double) == 8);
  const std::size_t row_bytes = columns.size() * 8;
  Handle memory_type(H5Tcreate(H5T_COMPOUND, row_bytes));
  Handle text = string_type();
  if (!memory_type.valid()) fail("create the record type of", path, handle_.id());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const Column& column = columns[c];
    if (column.size() != rows || column.name.empty()) {
      throw std::invalid_argument("write_columns '" + path + "': column '" + column.name +
                                  "' is unnamed or has another length than the first");
    }
    const Hid type = column.values.index() == 0   ? H5T_IEEE_F64LE
                     : column.values.index() == 1 ? H5T_STD_I64LE
                                                  : text.id();
    if (H5Tinsert(memory_type.id(), column.name.c_str(), c * 8, type) < 0) {
      fail("add column '" + column.name + "' to the record type of", path, handle_.id());
    }
  }
  std::vector<unsigned char> records(rows * row_bytes);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::visit(
        [&](const auto& values) {
          for (std::size_t r = 0; r < rows; ++r) {
            unsigned char* field = records.data() + r * row_bytes + c * 8;
            if constexpr (std::is_same_v<std::decay_t<decltype(values)>, std::vector<std::string>>) {
              const char* pointer = values[r].c_str();
              std::memcpy(field, &pointer, 8);
            } else {
              std::memcpy(field, &values[r], 8);
            }
          }
        },
        columns[c].values);
  }
  const hsize_t dims[1] = {rows};
  Handle space(H5Screate_simple(1, dims, nullptr));
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
  if (!space.valid() || !dcpl.valid()) fail("create a dataspace for", path, handle_.id());
  if (rows * columns.size() > CONTIGUOUS_LIMIT) {
    const hsize_t chunk[1] = {std::clamp<std::size_t>(CHUNK_BYTES / row_bytes, 1, rows)};
    if (H5Pset_chunk(dcpl.id(), 1, chunk) < 0) fail("set chunking on", path, handle_.id());
    set_filters(dcpl.id(), path, handle_.id());
  }
  Handle dataset(H5Dcreate2(handle_.id(), name.c_str(), memory_type.id(), space.id(), H5P_DEFAULT,
                            dcpl.id(), H5P_DEFAULT));
  if (!dataset.valid()) fail("create dataset", path, handle_.id());
  if (rows > 0 &&
      H5Dwrite(dataset.id(), memory_type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, records.data()) < 0) {
    fail("write dataset", path, handle_.id());
  }
}

MatrixWriter Group::create_matrix(const std::string& name, std::uint64_t rows,
                                  std::uint64_t columns) {
  quiet();
  const std::string path = join_path(path_, name);
  const hsize_t dims[2] = {rows, columns};
  Handle space(H5Screate_simple(2, dims, nullptr));
  if (!space.valid()) fail("create a dataspace for", path, handle_.id());
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
  if (!dcpl.valid()) fail("create a property list for", path, handle_.id());
  // Chunk dimensions must be positive and within a fixed-size dataset's extent, so an
  // empty matrix stays contiguous (and has no band to write).
  const hsize_t max_columns = CHUNK_BYTES / sizeof(double);
  const hsize_t chunk_columns = std::clamp<hsize_t>(columns, 1, max_columns);
  const hsize_t chunk_rows =
      std::clamp<hsize_t>(std::min(rows, MATRIX_CHUNK_ROWS), 1, max_columns / chunk_columns);
  if (rows > 0 && columns > 0) {
    const hsize_t chunk[2] = {chunk_rows, chunk_columns};
    if (H5Pset_chunk(dcpl.id(), 2, chunk) < 0) fail("set chunking on", path, handle_.id());
    set_filters(dcpl.id(), path, handle_.id());
  }
  Handle dataset(H5Dcreate2(handle_.id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT,
                            dcpl.id(), H5P_DEFAULT));
  if (!dataset.valid()) fail("create dataset", path, handle_.id());
  return MatrixWriter(std::move(dataset), path, rows, columns, chunk_rows, chunk_columns);
}

Group Group::open_group(const std::string& name) const {
  quiet();
  const std::string path = join_path(path_, name);
  Handle group(H5Gopen2(handle_.id(), name.c_str(), H5P_DEFAULT));
  if (!group.valid()) fail("open group", path, handle_.id());
  return Group(std::move(group), path);
}

bool Group::exists(const std::string& name) const {
  quiet();
  const htri_t found = H5Lexists(handle_.id(), name.c_str(), H5P_DEFAULT);
  if (found < 0) fail("look up", join_path(path_, name), handle_.id());
  return found > 0;
}

std::vector<std::string> Group::member_names() const {
  quiet();
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  if (H5Literate(handle_.id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names) < 0) {
    fail("list the members of", path_, handle_.id());
  }
  return names;
}

std::vector<std::string> Group::attribute_names() const {
  quiet();
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  if (H5Aiterate2(handle_.id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names) < 0) {
    fail("list the attributes of", path_, handle_.id());
  }
  return names;
}

std::string Group::read_string_attribute(const std::string& name) const {
  quiet();
  const std::string path = path_ + "@" + name;
  Handle attr(H5Aopen(handle_.id(), name.c_str(), H5P_DEFAULT));
  if (!attr.valid()) fail("open attribute", path, handle_.id());
  Handle stored_type(H5Aget_type(attr.id()));
  if (!stored_type.valid()) fail("get the type of attribute", path, handle_.id());
  if (H5Tget_class(stored_type.id()) != H5T_STRING) {
    throw IoError("HDF5: attribute '" + path + "' is not a string");
  }
  const htri_t variable = H5Tis_variable_str(stored_type.id());
  if (variable < 0) fail("get the type of attribute", path, handle_.id());
  if (variable > 0) {
    Handle type = string_type();
    char* text = nullptr;
    if (H5Aread(attr.id(), type.id(), &text) < 0) fail("read attribute", path, handle_.id());
    std::string value = text != nullptr ? text : "";
    H5free_memory(text);
    return value;
  }
  const std::size_t size = H5Tget_size(stored_type.id());
  Handle type(H5Tcopy(H5T_C_S1));
  if (!type.valid() || H5Tset_size(type.id(), size) < 0) {
    fail("create a string type for attribute", path, handle_.id());
  }
  std::string value(size, '\0');
  if (H5Aread(attr.id(), type.id(), value.data()) < 0) fail("read attribute", path, handle_.id());
  value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
  return value;
}

std::int64_t Group::read_int_attribute(const std::string& name) const {
  return read_scalar_attribute<std::int64_t>(handle_.id(), path_, name, H5T_NATIVE_INT64);
}

std::uint64_t Group::read_uint_attribute(const std::string& name) const {
  return read_scalar_attribute<std::uint64_t>(handle_.id(), path_, name, H5T_NATIVE_UINT64);
}

double Group::read_double_attribute(const std::string& name) const {
  return read_scalar_attribute<double>(handle_.id(), path_, name, H5T_NATIVE_DOUBLE);
}

namespace {

// A table's dataset and its record type, checked to be one-dimensional and compound.
std::pair<Handle, Handle> open_table(Hid group, const std::string& path, const std::string& name) {
  Handle dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) fail("open dataset", path, group);
  if (const std::size_t rank = dataset_dims(dataset.id(), path).size(); rank != 1 && rank != 2) {
    throw IoError("HDF5: dataset '" + path + "' is neither a table nor stacked tables");
  }
  Handle type(H5Dget_type(dataset.id()));
  if (!type.valid()) fail("get the type of", path, group);
  if (H5Tget_class(type.id()) != H5T_COMPOUND) {
    throw IoError("HDF5: dataset '" + path + "' is not a table (no named columns)");
  }
  return {std::move(dataset), std::move(type)};
}

// A transfer property list whose conversion buffer holds `records` records of `type`
// and no more: reading one column of a compound table converts whole records, and
// HDF5's default buffer (1 MB, zeroed on every read) cost a small table's read a
// thousand times its data.
Handle conversion_buffer_for(std::uint64_t records, Hid type, const std::string& path, Hid group) {
  Handle transfer(H5Pcreate(H5P_DATASET_XFER));
  const std::size_t bytes = std::max<std::size_t>(static_cast<std::size_t>(records) * H5Tget_size(type), 1024);
  if (!transfer.valid() || H5Pset_buffer(transfer.id(), bytes, nullptr, nullptr) < 0) {
    fail("set the conversion buffer to read", path, group);
  }
  return transfer;
}

}  // namespace

std::vector<std::string> Group::table_columns(const std::string& table) const {
  quiet();
  const std::string path = join_path(path_, table);
  const auto [dataset, type] = open_table(handle_.id(), path, table);
  const int count = H5Tget_nmembers(type.id());
  if (count < 0) fail("count the columns of", path, handle_.id());
  std::vector<std::string> names;
  for (int c = 0; c < count; ++c) {
    char* name = H5Tget_member_name(type.id(), static_cast<unsigned>(c));
    if (name == nullptr) fail("get a column name of", path, handle_.id());
    names.emplace_back(name);
    H5free_memory(name);
  }
  return names;
}

std::vector<double> Group::read_column(const std::string& table, const std::string& column) const {
  quiet();
  const std::string path = join_path(path_, table);
  const auto [dataset, type] = open_table(handle_.id(), path, table);
  if (H5Tget_member_index(type.id(), column.c_str()) < 0) {
    H5Eclear2(H5E_DEFAULT);
    throw IoError("HDF5: table '" + path + "' has no column '" + column + "'");
  }
  // HDF5 converts records field by field, by name: a record type with only this column
  // reads just that column.
  Handle memory_type(H5Tcreate(H5T_COMPOUND, sizeof(double)));
  if (!memory_type.valid() ||
      H5Tinsert(memory_type.id(), column.c_str(), 0, H5T_NATIVE_DOUBLE) < 0) {
    fail("create a record type for column '" + column + "' of", path, handle_.id());
  }
  const std::vector<std::uint64_t> dims = dataset_dims(dataset.id(), path);
  std::vector<double> values(
      std::accumulate(dims.begin(), dims.end(), std::uint64_t{1}, std::multiplies<>()));
  const Handle transfer = conversion_buffer_for(values.size(), type.id(), path, handle_.id());
  if (!values.empty() &&
      H5Dread(dataset.id(), memory_type.id(), H5S_ALL, H5S_ALL, transfer.id(), values.data()) < 0) {
    fail("read column '" + column + "' of", path, handle_.id());
  }
  return values;
}

std::vector<std::vector<double>> Group::read_columns_as_double(const std::string& table,
                                                               std::span<const std::string> columns) const {
  quiet();
  const std::string path = join_path(path_, table);
  const auto [dataset, type] = open_table(handle_.id(), path, table);
  Handle memory_type(H5Tcreate(H5T_COMPOUND, std::max<std::size_t>(1, columns.size()) * sizeof(double)));
  if (!memory_type.valid()) fail("create a record type for", path, handle_.id());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (H5Tget_member_index(type.id(), columns[c].c_str()) < 0) {
      H5Eclear2(H5E_DEFAULT);
      throw IoError("HDF5: table '" + path + "' has no column '" + columns[c] + "'");
    }
    if (H5Tinsert(memory_type.id(), columns[c].c_str(), c * sizeof(double), H5T_NATIVE_DOUBLE) < 0) {
      fail("create a record type for column '" + columns[c] + "' of", path, handle_.id());
    }
  }
  const std::vector<std::uint64_t> dims = dataset_dims(dataset.id(), path);
  const std::uint64_t records = std::accumulate(dims.begin(), dims.end(), std::uint64_t{1}, std::multiplies<>());
  std::vector<double> interleaved(records * columns.size());
  const Handle transfer = conversion_buffer_for(records, type.id(), path, handle_.id());
  if (!interleaved.empty() &&
      H5Dread(dataset.id(), memory_type.id(), H5S_ALL, H5S_ALL, transfer.id(), interleaved.data()) < 0) {
    fail("read the columns of", path, handle_.id());
  }
  std::vector<std::vector<double>> out(columns.size(), std::vector<double>(records));
  for (std::uint64_t r = 0; r < records; ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) out[c][r] = interleaved[r * columns.size() + c];
  }
  return out;
}

std::vector<Column> Group::read_columns(const std::string& table) const {
  quiet();
  const std::string path = join_path(path_, table);
  const auto [dataset, type] = open_table(handle_.id(), path, table);
  const std::vector<std::uint64_t> dims = dataset_dims(dataset.id(), path);
  if (dims.size() != 1) throw IoError("HDF5: dataset '" + path + "' is not a one-dimensional table");
  const std::size_t rows = dims[0];
  const int count = H5Tget_nmembers(type.id());
  if (count < 0) fail("count the columns of", path, handle_.id());
  std::vector<Column> columns;
  Handle text = string_type();
  const Handle transfer = conversion_buffer_for(rows, type.id(), path, handle_.id());
  for (int c = 0; c < count; ++c) {
    char* raw = H5Tget_member_name(type.id(), static_cast<unsigned>(c));
    if (raw == nullptr) fail("get a column name of", path, handle_.id());
    Column column{raw, {}};
    H5free_memory(raw);
    const H5T_class_t kind = H5Tget_member_class(type.id(), static_cast<unsigned>(c));
    const Hid memory = kind == H5T_INTEGER ? H5T_NATIVE_INT64 : kind == H5T_STRING ? text.id() : H5T_NATIVE_DOUBLE;
    Handle field(H5Tcreate(H5T_COMPOUND, 8));
    if (!field.valid() || H5Tinsert(field.id(), column.name.c_str(), 0, memory) < 0) {
      fail("create a record type for column '" + column.name + "' of", path, handle_.id());
    }
    std::vector<std::uint64_t> raw_values(rows);
    if (rows > 0 && H5Dread(dataset.id(), field.id(), H5S_ALL, H5S_ALL, transfer.id(), raw_values.data()) < 0) {
      fail("read column '" + column.name + "' of", path, handle_.id());
    }
    if (kind == H5T_STRING) {
      std::vector<std::string> values(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        char* value = nullptr;
        std::memcpy(&value, &raw_values[r], 8);
        if (value != nullptr) values[r] = value;
        H5free_memory(value);
      }
      column.values = std::move(values);
    } else if (kind == H5T_INTEGER) {
      std::vector<std::int64_t> values(rows);
      if (rows > 0) std::memcpy(values.data(), raw_values.data(), rows * 8);  // data() may be null
      column.values = std::move(values);
    } else {
      std::vector<double> values(rows);
      if (rows > 0) std::memcpy(values.data(), raw_values.data(), rows * 8);
      column.values = std::move(values);
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

Matrix Group::read_matrix(const std::string& name) const {
  quiet();
  const std::string path = join_path(path_, name);
  Handle dataset(H5Dopen2(handle_.id(), name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) fail("open dataset", path, handle_.id());
  const std::vector<std::uint64_t> dims = dataset_dims(dataset.id(), path);
  if (dims.size() != 2) throw IoError("HDF5: dataset '" + path + "' is not two-dimensional");
  Matrix m{dims[0], dims[1], std::vector<double>(dims[0] * dims[1])};
  if (!m.values.empty() && H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                                   H5P_DEFAULT, m.values.data()) < 0) {
    fail("read dataset", path, handle_.id());
  }
  return m;
}

DatasetLayout Group::layout(const std::string& name) const {
  quiet();
  const std::string path = join_path(path_, name);
  Handle dataset(H5Dopen2(handle_.id(), name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) fail("open dataset", path, handle_.id());
  Handle dcpl(H5Dget_create_plist(dataset.id()));
  if (!dcpl.valid()) fail("get the creation properties of", path, handle_.id());
  DatasetLayout result;
  result.chunked = H5Pget_layout(dcpl.id()) == H5D_CHUNKED;
  if (result.chunked) {
    hsize_t chunk[H5S_MAX_RANK] = {};
    const int rank = H5Pget_chunk(dcpl.id(), H5S_MAX_RANK, chunk);
    if (rank < 0) fail("get the chunk dimensions of", path, handle_.id());
    result.chunk.assign(chunk, chunk + rank);
  }
  const int filters = H5Pget_nfilters(dcpl.id());
  if (filters < 0) fail("get the filters of", path, handle_.id());
  for (int i = 0; i < filters; ++i) {
    unsigned flags = 0;
    std::size_t count = 1;
    unsigned values[1] = {0};
    const H5Z_filter_t filter =
        H5Pget_filter2(dcpl.id(), static_cast<unsigned>(i), &flags, &count, values, 0, nullptr,
                       nullptr);
    if (filter == H5Z_FILTER_SHUFFLE) result.shuffle = true;
    if (filter == H5Z_FILTER_DEFLATE) result.deflate_level = count > 0 ? static_cast<int>(values[0]) : 0;
  }
  return result;
}

// ---- File --------------------------------------------------------------------------------

File::File(Handle handle, std::string filename)
    : Group(std::move(handle), "/"), filename_(std::move(filename)) {}

File File::create(const std::string& filename) {
  // Errors are reported through IoError; HDF5 printing its stack to stderr as well would
  // bury the one line the user should see.
  quiet();
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE));
  if (!fcpl.valid() ||
      H5Pset_link_creation_order(fcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
    fail("create the file creation property list for", filename, -1);
  }
  Handle fapl = file_access_list();
  Handle file(H5Fcreate(filename.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id()));
  if (!file.valid()) fail("create HDF5 file", filename, -1);
  return File(std::move(file), filename);
}

File File::open_read_only(const std::string& filename) {
  quiet();
  Handle fapl = file_access_list();
  Handle file(H5Fopen(filename.c_str(), H5F_ACC_RDONLY, fapl.id()));
  if (!file.valid()) fail("open HDF5 file", filename, -1);
  return File(std::move(file), filename);
}

void File::flush() {
  quiet();
  if (H5Fflush(handle_.id(), H5F_SCOPE_GLOBAL) < 0) fail("flush HDF5 file", filename_, -1);
}

void File::close() {
  quiet();
  if (!handle_.valid()) return;
  // One attempt only: HDF5 1.10 crashes when a file whose close failed (a full disk) is
  // closed again. The library keeps it listed as open, which quiet() makes harmless at exit.
  if (H5Fclose(handle_.release()) < 0) fail("close HDF5 file", filename_, -1);
}

}  // namespace campaign::h5
