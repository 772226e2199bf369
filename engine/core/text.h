// User text made fit to echo in a one-line message. Whatever a user typed or a file held
// (a key, a value, a line of an edge list, a path) may be huge or hold newlines, NUL,
// terminal escape sequences or bytes that are not UTF-8; a message must stay one short,
// printable line. Control characters (C0, DEL and C1) become \n, \r, \t or \xNN, invalid
// UTF-8 bytes become \xNN, and the text is cut with "…" past a number of characters.
//
//   throw InputError(path + ": unknown column '" + excerpt(name) + "'");
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace campaign {

// For a piece of user text inside a message: at most `max_chars` characters.
std::string excerpt(std::string_view text, std::size_t max_chars = 60);

// Levenshtein distance (insertions, deletions, substitutions), for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `name` by edit distance, or "" when none is within
// max(2, |name| / 3) edits (a suggestion further off is noise).
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

// For a path inside a message: its start and its end (the file's name) when it is long,
// "/very/long/…/dir/file.h5", at most `max_chars` characters, escaped likewise.
std::string excerpt_path(std::string_view path, std::size_t max_chars = 80);

// For a whole message, as `main` prints it: the same escaping, at most `max_chars`.
std::string one_line(std::string_view message, std::size_t max_chars = 300);

// `text` without leading and trailing spaces and tabs.
std::string trim(std::string_view text);

// A JSON string literal of `text` (quotes, backslashes and control characters escaped).
std::string json_string(std::string_view text);

}  // namespace campaign
