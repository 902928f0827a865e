// The spool that dedup's second pass reads standard input, pipes and compressed files from:
// every record comes back as it went in, whatever its size and from whatever thread.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ingest/spool.hpp"
#include "neardup/error.hpp"

namespace neardup {
namespace {

TEST(Spool, RecordsOfEverySizeComeBackFromManyThreads) {
  std::mt19937_64 random(7);
  std::vector<std::string> records = {"", "x", std::string(300000, 'y')};  // empty, tiny, over two blocks
  for (int i = 0; i < 3000; ++i) {
    std::string record(random() % 2000, '\0');
    for (char& c : record) c = static_cast<char>(random() % 256);  // any bytes, newlines included
    records.push_back(std::move(record));
  }
  detail::Spool spool;
  std::vector<std::uint64_t> offsets;
  for (const auto& record : records) offsets.push_back(spool.append(record));
  EXPECT_THROW(spool.read(offsets[0]), Error);  // not before finish()
  spool.finish();
  EXPECT_THROW(spool.append("late"), Error);

  std::vector<std::size_t> order(records.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), random);
  std::vector<int> wrong(2, 0);
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t)
    readers.emplace_back([&, t] {
      for (std::size_t k = static_cast<std::size_t>(t); k < order.size(); k += 2)
        if (spool.read(offsets[order[k]]) != records[order[k]]) ++wrong[static_cast<std::size_t>(t)];
    });
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong[0] + wrong[1], 0);
  EXPECT_THROW(spool.read(offsets.back() + 1000000), Error);
}

}  // namespace
}  // namespace neardup
