// The files a command writes: the checks made before any work, and the temporary file
// that is renamed into place at the end.
//
// Every command that writes calls checked_output_path() first, with the files it reads,
// so that nothing a user owns is destroyed by a mistyped command line: an output that is
// one of the inputs (the same device and inode, whatever the names), an existing path
// that is not a regular file (a directory, a device such as /dev/null, a FIFO, a socket),
// a name that is an option ("--set"), or an extension that contradicts what is written
// ("-o results.csv" for HDF5; --force accepts it) is refused with one line. A symbolic
// link is followed: the file it points to is replaced and the link stays.
//
// The output is then written to a TempFile beside it and renamed over it by commit(), so
// the final name holds either its previous content or a complete new file.
//
//   const std::string out = checked_output_path(argv_out, OutputFormat::hdf5, {scenario}, false);
//   TempFile temp(out);          // "<out>.tmp-<pid>-<16 hex digits>", created with O_EXCL
//   write_everything(temp.path());
//   temp.commit();               // rename(2) into place; the destructor removes it otherwise
#pragma once

#include <string>
#include <vector>

namespace campaign {

enum class OutputFormat { hdf5, csr, edge_list, csv };

// The path to write (the target of a symbolic link), or InputError. "-" is refused too:
// a command that can stream to standard output handles "-" before calling this.
std::string checked_output_path(const std::string& path, OutputFormat format,
                                const std::vector<std::string>& inputs, bool force);

// The extensions a format's file may have, as shown in messages (".h5, .hdf5, .he5").
std::string allowed_extensions(OutputFormat format);

class TempFile {
 public:
  // Creates the empty temporary file; IoError naming `final_path` and the reason when it
  // cannot be created.
  explicit TempFile(std::string final_path);
  ~TempFile();  // removes the file unless committed
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& final_path() const { return final_path_; }
  // Renames the temporary file to the final path (IoError, and the temporary file
  // removed, on failure).
  void commit();

 private:
  std::string final_path_;
  std::string path_;
  int slot_ = -1;  // in the registry that signal handlers clean up
  bool committed_ = false;
};

// Removes every temporary file not yet committed or removed. For a signal handler that
// ends the process at once: async-signal-safe (unlink(2) only, on paths stored in fixed
// buffers).
void remove_temp_files_now() noexcept;

}  // namespace campaign
