// Indexes a page, then offers a near copy of it: the index must turn the copy away and name the
// page it copies. Exits 1 when it does not, so that the package tests catch a library that
// links but does not work.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include "neardup/persistent_index.hpp"

int main() {
  namespace fs = std::filesystem;
  const std::string page =
      "The city council voted on Tuesday to extend the night bus service to the northern suburbs, "
      "after a year in which late shifts at the hospital and the new logistics park left hundreds "
      "of workers without a way home. The extension costs about two million a year and starts in "
      "March, the transport director said, adding that the routes will be reviewed after six months.";
  const std::string copy =
      "The city council voted on Tuesday to extend the night bus service to the northern suburbs, "
      "after a year in which late shifts at the hospital and the new logistics park left hundreds "
      "of workers without a way home. The extension costs about two million a year and starts in "
      "April, the transport director said, adding that the routes will be reviewed after six months.";

  const fs::path folder =
      fs::temp_directory_path() /
      ("neardup-consumer-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  int status = 1;
  try {
    {
      auto index = neardup::PersistentIndex::open(folder.string(), neardup::IndexSpec{});
      if (!index.add_if_new("news/night-bus", page).added) {
        std::cerr << "app: the first page was not added\n";
      } else {
        const neardup::AddResult result = index.add_if_new("mirror/night-bus", copy);
        if (result.added || result.matches.empty()) {
          std::cerr << "app: the near copy was not recognised\n";
        } else {
          const neardup::Match& match = result.matches.front();
          std::cout << "mirror/night-bus is a " << neardup::relation_name(match.relation) << " of " << match.id
                    << " (" << match.score << ")\n";
          if (match.relation == neardup::Relation::near_duplicate && match.id == "news/night-bus") status = 0;
        }
      }
    }  // closes the index before its folder is removed
  } catch (const neardup::Error& error) {
    std::cerr << "app: " << error.what() << "\n";
  }
  std::error_code ignored;
  fs::remove_all(folder, ignored);
  return status;
}
