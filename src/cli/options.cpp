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

po::options_description report_fields_description(ReportFields& fields) {
  po::options_description description("report options");
  description.add_options()
      ("url-field", po::value(&fields.url)->default_value(fields.url)->value_name("NAME"),
       "JSON Lines: the field whose web address links each document in the report (a dotted path reaches into objects)")
      ("date-field", po::value(&fields.date)->default_value(fields.date)->value_name("NAME"),
       "JSON Lines: the field whose date the report shows; ISO 8601 dates (2024-05-17...) also draw each cluster's timeline");
  return description;
}

}  // namespace neardup::cli
