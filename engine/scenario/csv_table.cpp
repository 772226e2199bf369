#include "scenario/csv_table.h"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"

namespace campaign {
namespace {

void split(const std::string& line, std::vector<std::string>& fields) {
  fields.assign(1, std::string());
  for (char c : line) {
    if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  for (auto& field : fields) {
    const auto first = field.find_first_not_of(" \t");
    const auto last = field.find_last_not_of(" \t");
    field = first == std::string::npos ? "" : field.substr(first, last - first + 1);
  }
}

std::string joined(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ",") + c;
  return out;
}

}  // namespace

CsvTable::CsvTable(const std::string& path, const std::string& what) : path_(path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(fmt::format("{}: cannot read {}: it is a directory", path, what));
  }
  in_.open(path);
  if (!in_) {
    throw_if_interrupted();  // a FIFO with no writer, left by Ctrl-C
    throw InputError(fmt::format("{}: cannot read {}: {}", path, what, std::strerror(errno)));
  }
}

const std::vector<std::string>* CsvTable::next() {
  while (std::getline(in_, line_)) {
    ++number_;
    if (number_ % (1u << 20) == 0) throw_if_interrupted();
    if (number_ == 1 && line_.starts_with("\xEF\xBB\xBF")) line_.erase(0, 3);
    split(line_, fields_);
    if (fields_.size() == 1 && fields_[0].empty()) continue;
    if (!fields_[0].empty() && fields_[0][0] == '#') continue;
    return &fields_;
  }
  return nullptr;
}

std::size_t CsvTable::expect_header(const std::vector<std::vector<std::string>>& allowed) {
  const auto* header = next();
  std::string expected;
  for (const auto& columns : allowed) expected += (expected.empty() ? "" : " or ") + joined(columns);
  if (header == nullptr) throw InputError(fmt::format("{}: the file is empty; expected the header {}", path_, expected));
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (*header == allowed[i]) return i;
  }
  throw InputError(fmt::format("{}: expected the header {}, got '{}'", where(), expected, excerpt(joined(*header), 60)));
}

std::string CsvTable::where() const { return fmt::format("{}:{}", path_, number_); }

double parse_real(const std::string& text, const std::string& where, const char* column, double lo, double hi) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < lo || value > hi) {
    throw InputError(fmt::format("{}: column {} = '{}' is not allowed; allowed: a number in {} .. {}", where, column,
                                 excerpt(text, 40), lo, hi));
  }
  return value;
}

std::int64_t parse_integer(const std::string& text, const std::string& where, const char* column, std::int64_t lo,
                           std::int64_t hi) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi) {
    throw InputError(fmt::format("{}: column {} = '{}' is not allowed; allowed: an integer in {} .. {}", where,
                                 column, excerpt(text, 40), lo, hi));
  }
  return value;
}

}  // namespace campaign
