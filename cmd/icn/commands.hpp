// Registration of the `icn` subcommands; each add_* wires one command family into the app.
#pragma once

#include <CLI/CLI.hpp>
#include <string_view>

namespace icn::cmd {

inline constexpr std::string_view kVersion = "0.1.0";

// Subcommand callbacks record their outcome here; main returns it.
int exit_code();
void set_exit_code(int code);

void add_util_commands(CLI::App& app);

}  // namespace icn::cmd
