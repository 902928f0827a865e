// Runs the built `neardup` command and collects its exit code and outputs.
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace neardup::testing {

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

// arguments are passed through the shell as written.
inline CliRun run_cli(const std::string& arguments) {
  const auto err_path = std::filesystem::temp_directory_path() / ("neardup_cli_err_" + std::to_string(::getpid()));
  const std::string command = std::string(NEARDUP_CLI_PATH) + " " + arguments + " 2>" + err_path.string();
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer{};
  for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  std::ifstream err_file(err_path);
  std::stringstream err;
  err << err_file.rdbuf();
  std::filesystem::remove(err_path);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, err.str()};
}

}  // namespace neardup::testing
