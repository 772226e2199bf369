#include "cli/options.h"

#include <tbb/task_arena.h>

#include <charconv>
#include <iostream>

#include "core/text.h"

namespace campaign {

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        const po::positional_options_description& positional) {
  po::variables_map vm;
  // Options by their full names (no guessed abbreviations): a shard's part keeps its
  // command line, and the merge recognizes options by name.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::store(po::command_line_parser(args).options(options).positional(positional).style(style).run(), vm);
  po::notify(vm);
  return vm;
}

std::optional<po::variables_map> parse_command(const std::vector<std::string>& args,
                                               const po::options_description& options, const char* positional,
                                               std::string& value, const std::string& help_footer,
                                               const po::options_description* more) {
  po::options_description hidden;
  hidden.add_options()(positional, po::value(&value));
  po::options_description all;
  all.add(options).add(hidden);
  if (more != nullptr) all.add(*more);
  po::positional_options_description positionals;
  positionals.add(positional, 1);
  po::variables_map vm = parse(args, all, positionals);
  if (vm.count("help")) {
    std::cout << options << "\n" << help_footer;
    return std::nullopt;
  }
  return vm;
}

unsigned parse_threads(const std::string& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > MAX_THREADS) {
    throw InputError(fmt::format("--threads {} is not allowed; allowed: 0 (every core) .. {}",
                                 excerpt(text, 20), MAX_THREADS));
  }
  return value;
}

unsigned threads_in_use(unsigned requested) {
  return requested > 0 ? requested : static_cast<unsigned>(tbb::this_task_arena::max_concurrency());
}

std::string estimate_note(double peak, const MemoryLimit& limit) {
  return fmt::format(" (estimated peak {}, {} available from {}; --dry-run shows the estimate)",
                     format_bytes(peak), format_bytes(limit.bytes), limit.source);
}

}  // namespace campaign
