// neardup_index_crash: kills a writer of a persistent index with SIGKILL at random points of
// add, add_if_new, remove and checkpoint (compaction), reopens the index after each kill, and
// checks that every acknowledged change is there: an add whose call returned is present, a
// remove whose call returned is absent, the only change in doubt is the one the kill
// interrupted, the index always opens (what it recovered is counted) and no temporary file
// outlives the reopen.
//
//   neardup_index_crash [--rounds N] [--folder PATH] [--seed S]
//
// CI runs a few dozen rounds (ctest IndexCrash.Rounds); the reliability figure is 1,000.
// Exit 0 when every round held, 1 at the first loss (named), 2 for bad usage.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "neardup/persistent_index.hpp"

namespace {
namespace fs = std::filesystem;
using neardup::PersistentIndex;

// Unique words per document, so that no two texts are near copies unless made so on purpose.
std::string text_for(std::uint64_t n) {
  return "Report " + std::to_string(n) + " from the talks between Moscow and Pyongyang: delegation " +
         std::to_string(n * 7919 % 100003) + " met envoy " + std::to_string(n * 104729 % 99991) + " on day " +
         std::to_string(n % 365) + ", and the statement numbered " + std::to_string(n * 31 + 5) + " followed.";
}

enum class Operation : char { add = 'A', add_if_new = 'N', remove = 'R', checkpoint = 'C' };

// The writer: random changes, each announced before the call ("? op id") and acknowledged after
// it returns ("! op id added"), one line each on the pipe, until it is killed.
[[noreturn]] void write_until_killed(const std::string& path, std::vector<std::string> live, std::uint64_t next_id, std::uint32_t seed,
                                     int pipe_out) {
  const auto say = [&](const std::string& line) {
    if (::write(pipe_out, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(3);
  };
  try {
    auto index = PersistentIndex::open_existing(path);
    std::mt19937 random(seed);
    for (;;) {
      const auto roll = static_cast<unsigned>(random() % 100);
      // Removals keep the index near a few hundred documents, so that rounds stay quick and
      // a checkpoint takes long enough to be killed in.
      const unsigned remove_share = live.size() > 400 ? 45 : 10;
      if (roll < 4) {
        say("? C -\n");
        index.checkpoint();
        say("! C -\n");
      } else if (roll < 4 + remove_share && !live.empty()) {
        const std::size_t at = random() % live.size();
        const std::string id = live[at];
        say("? R " + id + "\n");
        index.remove(id);
        say("! R " + id + "\n");
        live[at] = live.back();
        live.pop_back();
      } else if (roll < 70) {
        const std::string id = "d" + std::to_string(next_id);
        say("? A " + id + "\n");
        index.add(id, text_for(next_id++));
        say("! A " + id + "\n");
        live.push_back(id);
      } else {
        // Half of them copy an earlier text: add_if_new then adds nothing.
        const std::string id = "d" + std::to_string(next_id);
        const std::uint64_t text = random() % 2 == 0 && next_id > 0 ? random() % next_id : next_id;
        ++next_id;
        say("? N " + id + "\n");
        const bool added = index.add_if_new(id, text_for(text)).added;
        say("! N " + id + (added ? " added\n" : " skipped\n"));
        if (added) live.push_back(id);
      }
    }
  } catch (const std::exception& error) {
    std::cerr << "writer: " << error.what() << "\n";
    ::_exit(2);
  }
}

struct Tally {
  std::map<char, int> killed_in;  // operation in flight when killed
  int recovered_torn = 0, removed_temporaries = 0, stale_logs = 0;
  std::uint64_t acknowledged = 0;
};

}  // namespace

int main(int argc, char** argv) {
  int rounds = 1000;
  std::uint32_t seed = 1;
  std::string folder = (fs::temp_directory_path() / ("neardup_index_crash_" + std::to_string(::getpid()))).string();
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--rounds" && i + 1 < argc) rounds = std::stoi(argv[++i]);
    else if (argument == "--folder" && i + 1 < argc) folder = argv[++i];
    else if (argument == "--seed" && i + 1 < argc) seed = static_cast<std::uint32_t>(std::stoul(argv[++i]));
    else {
      std::cerr << "usage: neardup_index_crash [--rounds N] [--folder PATH] [--seed S]\n";
      return 2;
    }
  }
  const std::string path = folder + "/index";
  fs::remove_all(folder);
  fs::create_directories(folder);
  { auto index = PersistentIndex::open(path, {}); }

  std::map<std::string, bool> present;  // acknowledged state of every id ever written
  std::vector<std::string> live;
  std::uint64_t next_id = 0;
  std::mt19937 random(seed);
  Tally tally;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < rounds; ++round) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return 1;
    const std::uint32_t writer_seed = static_cast<std::uint32_t>(random());
    const pid_t child = ::fork();
    if (child < 0) return 1;
    if (child == 0) {
      ::close(pipe_fds[0]);
      write_until_killed(path, live, next_id, writer_seed, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    // Opening takes a while; kills land from the open to well into the writing.
    std::this_thread::sleep_for(std::chrono::microseconds(1000 + random() % 120000));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    std::string received;
    char buffer[65536];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) received.append(buffer, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    if (!WIFSIGNALED(status)) {
      std::cerr << "round " << round << ": the writer stopped by itself (status " << status << ")\n";
      return 1;
    }

    // Replay what the writer said. A line cut by the kill is ignored: its change is in doubt.
    std::string in_doubt;
    char in_flight = '-';
    std::size_t from = 0;
    for (std::size_t end; (end = received.find('\n', from)) != std::string::npos; from = end + 1) {
      // "? op id" or "! op id [added|skipped]"
      const std::string_view line = std::string_view(received).substr(from, end - from);
      if (line.size() < 5) return 1;
      const char op = line[2];
      const std::string_view rest = line.substr(4);
      const std::string id(rest.substr(0, rest.find(' ')));
      if (line[0] == '?') {
        in_flight = op;
        in_doubt = op == 'C' ? "" : id;
        if (op == 'A' || op == 'N') next_id = std::stoull(id.substr(1)) + 1;
        continue;
      }
      in_flight = '-';
      in_doubt.clear();
      ++tally.acknowledged;
      if (op == 'A' || (op == 'N' && rest.ends_with(" added"))) {
        present[id] = true;
        live.push_back(id);
      } else if (op == 'N') {
        present[id] = false;
      } else if (op == 'R') {
        present[id] = false;
        std::erase(live, id);
      }
    }
    ++tally.killed_in[in_flight];

    try {
      auto index = PersistentIndex::open_existing(path);
      const neardup::Recovery recovery = index.stats().recovery;
      tally.recovered_torn += recovery.torn_bytes > 0;
      tally.removed_temporaries += static_cast<int>(recovery.removed_files.size());
      tally.stale_logs += recovery.stale_log;
      for (const auto& [id, expected] : present) {
        if (id == in_doubt) continue;
        if (index.contains(id) != expected) {
          std::cerr << "round " << round << ": " << id << " was acknowledged as " << (expected ? "added" : "removed or not added")
                    << ", and after the kill (in " << in_flight << ") it is " << (expected ? "missing" : "there") << "\n";
          return 1;
        }
      }
      if (!in_doubt.empty()) {
        // Settle the interrupted change by what the index holds now.
        const bool there = index.contains(in_doubt);
        if (there != (present.contains(in_doubt) && present[in_doubt])) {
          present[in_doubt] = there;
          if (there) live.push_back(in_doubt);
          else std::erase(live, in_doubt);
        }
      }
      if (index.stats().documents != live.size()) {
        std::cerr << "round " << round << ": the index holds " << index.stats().documents << " documents, " << live.size()
                  << " were acknowledged\n";
        return 1;
      }
    } catch (const std::exception& error) {
      std::cerr << "round " << round << ": the index did not open after a kill (in " << in_flight << "): " << error.what() << "\n";
      return 1;
    }
    for (const char* name : {"snapshot.tmp", "log.tmp"})
      if (fs::exists(path + "/" + name)) {
        std::cerr << "round " << round << ": " << name << " outlived the reopen\n";
        return 1;
      }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "neardup_index_crash: " << rounds << " rounds held in " << static_cast<int>(seconds) << " s: " << tally.acknowledged
            << " acknowledged changes, 0 lost; killed during";
  for (const auto& [op, count] : tally.killed_in) std::cout << " " << (op == '-' ? std::string("open/between") : std::string(1, op)) << ":" << count;
  std::cout << " (A add, N add_if_new, R remove, C checkpoint); on reopen: " << tally.recovered_torn << " torn log ends, "
            << tally.removed_temporaries << " stale temporaries removed, " << tally.stale_logs << " logs already in the snapshot; "
            << live.size() << " documents at the end\n";
  fs::remove_all(folder);
  return 0;
}
