// neardup: finds near-duplicates and translations in multilingual text. This file only
// dispatches to the subcommands; all the work is in the library.
#include <array>
#include <iostream>
#include <new>

#include "cli/commands.hpp"
#include "neardup/error.hpp"

namespace {

constexpr int exit_out_of_memory = 4;

constexpr std::array<neardup::cli::Command, 7> commands = {{
    {"pairs", "write every related pair (duplicate or translation) as JSON lines", neardup::cli::run_pairs},
    {"dedup", "keep one document per duplicate group; record what was removed and why", neardup::cli::run_dedup},
    {"cluster", "group documents by story, across languages and scripts", neardup::cli::run_cluster},
    {"evaluate", "score pairs and clusters against labelled data (truth.tsv)", neardup::cli::run_evaluate},
    {"index", "a persistent index: create, add, query, info, compact", neardup::cli::run_index},
    {"report", "make the HTML or Markdown report again from saved pairs and clusters", neardup::cli::run_report},
    {"serve", "serve the HTML report of saved pairs and clusters to a browser on this machine", neardup::cli::run_serve},
}};

void print_help(std::ostream& out) {
  out << "usage: neardup COMMAND [OPTIONS] INPUT...\n       neardup --version\n\ncommands:\n";
  for (const auto& command : commands) out << "  " << command.name << std::string(10 - std::string(command.name).size(), ' ') << command.summary << "\n";
  out << "\n`neardup COMMAND --help` lists a command's options.\n"
         "INPUT: a text file, a folder of them, a JSON Lines file ({\"id\",\"text\"[,\"lang\"]}; other fields are\n"
         "carried through), any of these compressed with gzip or zstd, or - for standard input.\n"
         "Exit codes: 0 success, 1 bad input (or nothing to read), 2 bad usage, 3 internal error, 4 out of memory.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_help(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    print_help(std::cout);
    return 0;
  }
  if (name == "--version" || name == "version") {
    std::cout << "neardup " << NEARDUP_VERSION << "\n";
    return 0;
  }
  for (const auto& command : commands) {
    if (name != command.name) continue;
    try {
      return command.run(neardup::cli::Arguments(argv + 2, argv + argc));
    } catch (const neardup::cli::UsageError& error) {
      std::cerr << "neardup " << name << ": " << error.message << "\n(see neardup " << name << " --help)\n";
      return 2;
    } catch (const neardup::Error& error) {
      std::cerr << "neardup " << name << ": " << error.what() << "\n";
      switch (error.code()) {
        case neardup::ErrorCode::usage: return 2;
        case neardup::ErrorCode::out_of_memory: return exit_out_of_memory;
        default: return 1;
      }
    } catch (const std::bad_alloc&) {
      std::cerr << "neardup " << name << ": out of memory; split the input, or run `neardup dedup` first (it streams)\n";
      return exit_out_of_memory;
    } catch (const std::exception& error) {
      std::cerr << "neardup " << name << ": internal error: " << error.what() << "\n";
      return 3;
    }
  }
  std::cerr << "neardup: unknown command '" << name << "'\n\n";
  print_help(std::cerr);
  return 2;
}
