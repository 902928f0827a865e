#include "cli/options.hpp"

#include <iostream>

namespace neardup::cli {
namespace po = boost::program_options;

bool parse_arguments(const Arguments& arguments, const po::options_description& visible, const po::options_description& hidden,
                     const po::positional_options_description& positional, const std::string& usage) {
  po::options_description all;
  all.add(visible).add(hidden);
  po::variables_map variables;
  try {
    po::store(po::command_line_parser(arguments).options(all).positional(positional).run(), variables);
    po::notify(variables);
  } catch (const po::error& error) {
    throw UsageError{error.what()};
  }
  if (variables.count("help")) {
    std::cout << usage << "\n\n" << visible;
    return false;
  }
  return true;
}

}  // namespace neardup::cli
