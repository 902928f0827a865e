// Option parsing shared by the subcommands (Boost.Program_options).
#pragma once

#include <boost/program_options.hpp>
#include <string>

#include "cli/commands.hpp"
#include "neardup/report.hpp"

namespace neardup::cli {

// Parses arguments into the variables bound to visible and hidden options, with positional
// arguments mapped as given. Prints usage and the visible options and returns false when --help
// was asked; throws UsageError for anything Boost rejects.
bool parse_arguments(const Arguments& arguments, const boost::program_options::options_description& visible,
                     const boost::program_options::options_description& hidden,
                     const boost::program_options::positional_options_description& positional, const std::string& usage);

// --url-field and --date-field, for the commands that write a report.
boost::program_options::options_description report_fields_description(ReportFields& fields);

}  // namespace neardup::cli
