#include "cli/shards.h"

#include <fmt/format.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "cli/cluster.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/text.h"
#include "core/version.h"
#include "experiment/study_store.h"
#include "io/hdf5_file.h"
#include "io/output_file.h"
#include "io/results_writer.h"

namespace campaign {
namespace fs = std::filesystem;
namespace {

constexpr std::uint64_t MAX_SHARDS = 1000000;

ShardRun parse_shard(const std::string& text) {
  ShardRun run;
  const auto slash = text.find('/');
  const auto number = [&](std::string_view part, std::uint64_t& value) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    return !part.empty() && ec == std::errc() && end == part.data() + part.size();
  };
  const std::string_view all(text);
  if (slash == std::string::npos || !number(all.substr(0, slash), run.shard) ||
      !number(all.substr(slash + 1), run.shards) || run.shards == 0 || run.shards > MAX_SHARDS ||
      run.shard >= run.shards) {
    throw InputError(fmt::format("--shard {}: expected I/N with 0 <= I < N <= {} (shard I of N, from 0; under "
                                 "Slurm: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with --array=0-(N-1))",
                                 excerpt(text, 40), MAX_SHARDS));
  }
  return run;
}

// The options that belong to one process, not to the study: its shard, output, threads,
// resumption, printing. Long ones may be written --name=value.
const std::set<std::string> WITH_VALUE = {"--shard", "-o", "--output", "-t", "--threads", "--merge-from"};
const std::set<std::string> SWITCHES = {"--resume", "--overwrite", "-q", "--quiet", "--dry-run", "--force"};

std::vector<std::string> study_arguments(const std::vector<std::string>& args) {
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const std::string name = a.substr(0, a.find('='));
    if (SWITCHES.count(a)) continue;
    if (WITH_VALUE.count(a)) {
      ++i;  // and its value
      continue;
    }
    if (a.starts_with("--") && a.find('=') != std::string::npos && WITH_VALUE.count(name)) continue;
    if ((a.starts_with("-o") || a.starts_with("-t")) && a.size() > 2 && !a.starts_with("--")) continue;  // -oOUT
    if (a.find('\n') != std::string::npos) {
      throw InputError(fmt::format("--shard: the argument {} holds a line break, which a part file cannot keep",
                                   excerpt(a, 40)));
    }
    kept.push_back(a);
  }
  return kept;
}

std::string joined(const std::vector<std::uint64_t>& values, std::size_t most) {
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < most; ++i) out += (i ? ", " : "") + std::to_string(values[i]);
  if (values.size() > most) out += fmt::format(" and {} more", values.size() - most);
  return out;
}

}  // namespace

po::options_description shard_option() {
  po::options_description options;
  options.add_options()("shard", po::value<std::string>(),
                        "run share I of N of the work units (I from 0) into a part file beside OUT, "
                        "OUT's stem + .shard-I-of-N.h5; `campaign-sim merge` joins the parts into OUT "
                        "(docs/cluster.md)");
  return options;
}

po::options_description merge_from_option() {
  po::options_description options;
  options.add_options()("merge-from", po::value<std::vector<std::string>>()->composing());
  return options;
}

ShardMode shard_mode(const po::variables_map& vm, const std::vector<std::string>& args) {
  if (cluster::ranks() > 1) {  // the ranks share the study themselves
    for (const char* option : {"shard", "merge-from"}) {
      if (vm.count(option)) {
        throw InputError(fmt::format("--{} under mpirun: the ranks share the work themselves; give one or the "
                                     "other",
                                     option));
      }
    }
    if (vm.count("dry-run") && vm["dry-run"].as<bool>()) throw InputError("--dry-run under mpirun: run it alone");
  }
  ShardMode mode;
  if (vm.count("merge-from")) mode.merge_parts = vm["merge-from"].as<std::vector<std::string>>();
  if (vm.count("shard")) {
    if (!mode.merge_parts.empty()) throw InputError("--shard and --merge-from: give one of them");
    mode.shard = parse_shard(vm["shard"].as<std::string>());
    mode.shard->arguments = study_arguments(args);
    if (vm.count("dry-run") && vm["dry-run"].as<bool>()) mode.shard.reset();  // a dry run prints the whole study
  }
  return mode;
}

std::string shard_part_path(const std::string& out, const ShardRun& shard) {
  const std::size_t width = std::to_string(shard.shards).size();
  const std::string stem = out.ends_with(".h5") ? out.substr(0, out.size() - 3) : out;
  return fmt::format("{}.shard-{:0{}}-of-{}.h5", stem, shard.shard, width, shard.shards);
}

std::string apply_shard_mode(const ShardMode& mode, const std::string& out_arg, const std::vector<std::string>& inputs,
                             bool force, StudyFileOptions& o) {
  o.shard = mode.shard;
  o.merge_parts = mode.merge_parts;
  o.out_arg = mode.shard ? shard_part_path(out_arg, *mode.shard) : out_arg;
  std::vector<std::string> read = inputs;
  read.insert(read.end(), mode.merge_parts.begin(), mode.merge_parts.end());
  o.out_path = o.out_arg.empty() ? "" : checked_output_path(o.out_arg, OutputFormat::hdf5, read, force);
  return o.out_path;
}

void print_shard_or_merge(const ShardMode& mode, const StudyFileOptions& o, const StudyFileRun& done) {
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(o.out_path, ec);
  const std::string size = ec ? "?" : format_bytes(static_cast<double>(bytes));
  if (mode.shard) {
    fmt::print("wrote     {} ({}, shard {} of {}: {} variant{}, {} replications in {:.2f} s; `campaign-sim merge` "
               "joins the parts)\n",
               excerpt(o.out_arg, 200), size, mode.shard->shard, mode.shard->shards, done.record.finished,
               done.record.finished == 1 ? "" : "s", done.record.replications,
               (tbb::tick_count::now() - done.start).seconds());
  } else if (mode.merge_parts.empty()) {  // MPI tasks, merged by rank 0
    fmt::print("wrote     {} ({}, {} replications; merging the tasks took {:.3f} s, {:.2f} s in all)\n",
               excerpt(o.out_arg, 200), size, done.record.replications, done.merge_seconds,
               (tbb::tick_count::now() - done.start).seconds());
  } else {
    fmt::print("merged    {} part{} in {:.3f} s: {} variant{}, {} replications\nwrote     {} ({})\n",
               mode.merge_parts.size(), mode.merge_parts.size() == 1 ? "" : "s", done.merge_seconds,
               done.record.finished, done.record.finished == 1 ? "" : "s", done.record.replications,
               excerpt(o.out_arg, 200), size);
  }
}

int merge_command(const std::vector<std::string>& args) {
  std::vector<std::string> parts;
  std::string out_arg;
  po::options_description options(
      "campaign-sim merge PART.h5... -o OUT.h5 [options]\n\n"
      "Joins the part files of `run`, `sweep` or `compare` with --shard I/N into the file that the\n"
      "command run in one process writes, bit for bit (docs/cluster.md). Every shard 0 .. N-1 of one\n"
      "study, once each; the scenario files and inputs the shards read must still be there");
  options.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&out_arg), "results file to write (HDF5: .h5); never replaced without --overwrite")
      ("overwrite", po::bool_switch(), "replace OUT.h5")
      ("quiet,q", po::bool_switch(), "print nothing but errors");
  po::options_description hidden;
  hidden.add_options()("part", po::value(&parts)->composing());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positionals;
  positionals.add("part", -1);
  const po::variables_map vm = parse(args, all, positionals);
  if (vm.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  if (parts.empty()) throw InputError("merge: no part files given (see campaign-sim merge --help)");
  if (out_arg.empty()) throw InputError("merge: missing -o OUT.h5 (see campaign-sim merge --help)");
  // Every part read and checked before anything is written.
  std::vector<ShardRecord> records;
  for (const std::string& part : parts) {
    std::error_code ec;
    if (!fs::is_regular_file(part, ec)) throw InputError(fmt::format("{}: no such part file", excerpt_path(part)));
    try {
      const h5::File file = h5::File::open_read_only(part);
      records.push_back(read_shard_record(file, excerpt_path(part)));
      const std::string version = file.read_string_attribute("engine_version");
      if (version != ENGINE_VERSION) {
        throw InputError(fmt::format("{}: written by engine {}, and this is {}: shards and their merge must be "
                                     "one version (the results of two versions differ)",
                                     excerpt_path(part), version, ENGINE_VERSION));
      }
    } catch (const IoError& e) {
      throw InputError(fmt::format("{}: cannot be read as a part file ({})", excerpt_path(part), e.what()));
    }
  }
  const ShardRecord& first = records.front();
  std::map<std::uint64_t, std::size_t> seen;  // shard -> its part
  for (std::size_t p = 0; p < records.size(); ++p) {
    const ShardRecord& r = records[p];
    if (r.study != first.study) {
      std::string what;
      if (r.command != first.command) {
        what = fmt::format("`{}` and `{}`", first.command, r.command);
      } else if (r.arguments != first.arguments) {
        std::size_t k = 0;
        while (k < r.arguments.size() && k < first.arguments.size() && r.arguments[k] == first.arguments[k]) ++k;
        what = fmt::format("their commands differ at argument {} ({} and {})", k + 1,
                           k < first.arguments.size() ? excerpt(first.arguments[k], 60) : "(none)",
                           k < r.arguments.size() ? excerpt(r.arguments[k], 60) : "(none)");
      } else {
        what = manifest_change(first.manifest, r.manifest, false).value_or("their manifests differ");
      }
      throw InputError(fmt::format("{} and {} are parts of different studies: {}", excerpt_path(parts.front()),
                                   excerpt_path(parts[p]), what));
    }
    if (r.shards != first.shards) {
      throw InputError(fmt::format("{} is shard {} of {} and {} shard {} of {}: the parts of one merge are of one "
                                   "split",
                                   excerpt_path(parts.front()), first.shard, first.shards, excerpt_path(parts[p]),
                                   r.shard, r.shards));
    }
    if (const auto [at, fresh] = seen.emplace(r.shard, p); !fresh) {
      throw InputError(fmt::format("{} and {} are both shard {} of {}; give each part once",
                                   excerpt_path(parts[at->second]), excerpt_path(parts[p]), r.shard, r.shards));
    }
  }
  std::vector<std::uint64_t> missing;
  for (std::uint64_t s = 0; s < first.shards; ++s) {
    if (!seen.count(s)) missing.push_back(s);
  }
  if (!missing.empty()) {
    throw InputError(fmt::format("shard{} {} of {} {} missing: no part given for {} (the parts of `campaign-sim {} "
                                 "--shard I/{}`, I = 0 .. {})",
                                 missing.size() == 1 ? "" : "s", joined(missing, 10), first.shards,
                                 missing.size() == 1 ? "is" : "are", missing.size() == 1 ? "it" : "them", first.command,
                                 first.shards, first.shards - 1));
  }
  // The shards' command again, from the folder it ran in (its relative paths are from there).
  std::error_code ec;
  const bool elsewhere = fs::path(first.directory) != fs::current_path(ec);
  const auto here = [&](const std::string& path) { return elsewhere ? fs::absolute(path, ec).string() : path; };
  std::vector<std::string> again = first.arguments;
  again.insert(again.end(), {"-o", here(out_arg)});
  if (vm["overwrite"].as<bool>() && first.command != "run") again.push_back("--overwrite");
  if (vm["quiet"].as<bool>()) again.push_back("--quiet");
  // What --force allowed a shard (a design of over 100,000 variants, an OUT not named .h5)
  // the merge allows too; it checks no memory.
  again.push_back("--force");
  for (const std::string& part : parts) again.insert(again.end(), {"--merge-from", here(part)});
  if (!vm["overwrite"].as<bool>() && fs::exists(out_arg, ec)) {
    throw InputError(fmt::format("{}: exists; --overwrite replaces it", excerpt_path(out_arg)));
  }
  if (elsewhere) {
    fs::current_path(first.directory, ec);
    if (ec) {
      throw InputError(fmt::format("the shards ran in {}, which this machine does not have ({}): merge where the "
                                   "scenario files they read are",
                                   excerpt_path(first.directory), ec.message()));
    }
  }
  if (first.command == "run") return run_command(again);
  if (first.command == "sweep") return sweep_command(again);
  if (first.command == "compare") return compare_command(again);
  throw InputError(fmt::format("{}: a part of `{}`, which merge does not know", excerpt_path(parts.front()),
                               excerpt(first.command, 20)));
}

}  // namespace campaign
