// Reads the CSV tables a scenario names (partners, cooperation, followers, calendar): a
// header line, then one record a line, fields split at commas and trimmed; blank lines
// and lines starting with '#' are skipped, and a UTF-8 byte order mark (Excel) is
// dropped. Every error is one InputError line naming "file:line".
//
//   CsvTable table(path, "partner table named by partners.file");
//   table.expect_header({"name", "roles", ...});
//   while (const auto* row = table.next()) { ... table.where() ... }
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace campaign {

class CsvTable {
 public:
  // `what` says what the file is, for "cannot read ..." messages.
  CsvTable(const std::string& path, const std::string& what);
  // Reads the header: one of the allowed column lists (InputError naming them otherwise,
  // or when the file has no header). Returns the index of the one found.
  std::size_t expect_header(const std::vector<std::vector<std::string>>& allowed);
  // The next record's fields, or nullptr at the end of the file.
  const std::vector<std::string>* next();
  // "file:line" of the last record (or header) read.
  std::string where() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ifstream in_;
  std::string line_;
  std::size_t number_ = 0;
  std::vector<std::string> fields_;
};

// A finite number in [lo, hi] from a field; InputError "where: column C = 'text' is not
// allowed; allowed: ..." otherwise (from_chars also reads "nan" and "inf": both refused).
double parse_real(const std::string& text, const std::string& where, const char* column, double lo, double hi);
std::int64_t parse_integer(const std::string& text, const std::string& where, const char* column, std::int64_t lo,
                           std::int64_t hi);

}  // namespace campaign
