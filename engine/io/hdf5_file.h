// The one door to the HDF5 C library: every HDF5 call in the project goes through this
// wrapper (the only file that includes <hdf5.h>). Handles close themselves; every failure
// becomes an IoError naming the object. Errors are not printed by HDF5's own handler.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace campaign::h5 {

using Hid = std::int64_t;  // hid_t, without exposing <hdf5.h>

// An owned HDF5 identifier (file, group, dataset, ...), closed on destruction.
class Handle {
 public:
  Handle() = default;
  explicit Handle(Hid id) : id_(id) {}
  Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  Hid id() const { return id_; }
  // Gives up ownership without closing: the caller closes the id.
  Hid release() { return std::exchange(id_, -1); }
  bool valid() const { return id_ >= 0; }

 private:
  Hid id_ = -1;
};

class Group;

// A column of a typed table: float64, int64 or variable-length UTF-8 strings.
struct Column {
  std::string name;
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> values;
  std::size_t size() const {
    return std::visit([](const auto& v) { return v.size(); }, values);
  }
};

// Read-back, for tests and tools: a 2-D dataset in row-major order.
struct Matrix {
  std::uint64_t rows = 0;
  std::uint64_t columns = 0;
  std::vector<double> values;
};

// How a dataset is stored (to check the chunking and compression rules).
struct DatasetLayout {
  bool chunked = false;
  std::vector<std::uint64_t> chunk;  // chunk dimensions when chunked
  bool shuffle = false;
  int deflate_level = -1;  // -1: not deflate-compressed
};

// A band of a matrix's rows as its dataset stores them: one chunk per block of columns,
// each encoded by the dataset's filters (shuffle, then deflate).
struct EncodedBand {
  struct Chunk {
    std::uint64_t first_column = 0;
    std::uint32_t skipped_filters = 0;  // HDF5's filter mask: bit i set = filter i not applied
    std::vector<unsigned char> bytes;
  };
  std::uint64_t first_row = 0;
  std::vector<Chunk> chunks;
};

// A 2-D dataset of doubles, chunked and compressed, written a band of rows at a time: a
// band is one chunk's rows (the last may be shorter). Encoding a band (the filters' work)
// calls no HDF5 function, so bands of many matrices can be encoded on several threads
// and then stored as they are, by one thread at a time.
class MatrixWriter {
 public:
  MatrixWriter(Handle dataset, std::string path, std::uint64_t rows, std::uint64_t columns,
               std::uint64_t band_rows, std::uint64_t chunk_columns)
      : dataset_(std::move(dataset)),
        path_(std::move(path)),
        rows_(rows),
        columns_(columns),
        band_rows_(band_rows),
        chunk_columns_(chunk_columns) {}
  std::uint64_t band_rows() const { return band_rows_; }
  // Rows [first_row, first_row + values.size() / columns) in row-major order: first_row
  // a multiple of band_rows(), and a whole band (the rest of the matrix, for the last).
  EncodedBand encode_band(std::uint64_t first_row, std::span<const double> values) const;
  void write_band(const EncodedBand& band);

 private:
  Handle dataset_;
  std::string path_;  // in the file, for errors
  std::uint64_t rows_;
  std::uint64_t columns_;
  std::uint64_t band_rows_;
  std::uint64_t chunk_columns_;
};

class Group {
 public:
  explicit Group(Handle handle, std::string path) : handle_(std::move(handle)), path_(std::move(path)) {}

  Group create_group(const std::string& name);
  void set_attribute(const std::string& name, const std::string& value);
  void set_attribute(const std::string& name, std::int64_t value);
  void set_attribute(const std::string& name, std::uint64_t value);
  void set_attribute(const std::string& name, double value);
  // A table: a 1-D dataset of records with one float64 field per column (an HDF5
  // compound type), written from its columns, which must all have the same length and
  // unique, non-empty names. h5py reads one column by name (dataset["mean"]) and pandas
  // the whole table (pandas.DataFrame(dataset[()])). Chunked and deflate-compressed
  // when long.
  void write_table(const std::string& name, std::span<const std::string> columns,
                   std::span<const std::span<const double>> values);
  // Tables of the same columns and length, stacked: a 2-D dataset [tables, rows] of the
  // same records, table t being row t (h5py: dataset[t] is table t as a structured array).
  // `values` holds the columns table after table: column c of table t is
  // values[t * columns.size() + c]. Contiguous: for many short tables, whose objects
  // would cost HDF5 more than their values.
  void write_tables(const std::string& name, std::span<const std::string> columns,
                    std::span<const std::span<const double>> values);
  // A table whose columns have their own types (Column): numbers stay numbers and text
  // stays text for pandas. Contiguous, or chunked and compressed when long.
  void write_columns(const std::string& name, std::span<const Column> columns);
  MatrixWriter create_matrix(const std::string& name, std::uint64_t rows, std::uint64_t columns);
  const std::string& path() const { return path_; }

  // Read-back.
  Group open_group(const std::string& name) const;
  bool exists(const std::string& name) const;  // a link of that name in this group
  std::vector<std::string> member_names() const;     // sorted by name
  std::vector<std::string> attribute_names() const;  // sorted by name
  std::string read_string_attribute(const std::string& name) const;
  std::int64_t read_int_attribute(const std::string& name) const;
  std::uint64_t read_uint_attribute(const std::string& name) const;
  double read_double_attribute(const std::string& name) const;
  std::vector<std::string> table_columns(const std::string& table) const;  // stored order
  // One column of a table, or of stacked tables table after table.
  std::vector<double> read_column(const std::string& table, const std::string& column) const;
  // Several columns in one read (one type conversion for the whole table, where a read
  // per column converts it once per column): result[c] is columns[c].
  std::vector<std::vector<double>> read_columns_as_double(const std::string& table,
                                                          std::span<const std::string> columns) const;
  // A one-dimensional table, every column in the type it is stored in (floats as double,
  // integers as int64, strings as text).
  std::vector<Column> read_columns(const std::string& table) const;
  Matrix read_matrix(const std::string& name) const;
  DatasetLayout layout(const std::string& name) const;

 protected:
  Handle handle_;
  std::string path_;
};

class File : public Group {
 public:
  // Creates (truncates) a file.
  static File create(const std::string& filename);
  static File open_read_only(const std::string& filename);
  void flush();
  void close();  // closes now; further use is an error

 private:
  File(Handle handle, std::string filename);
  std::string filename_;
};

}  // namespace campaign::h5
