// Registration of the `icn` subcommands; each add_* wires one command family into the app.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

#include "icn/core/result.hpp"

namespace icn::cmd {

inline constexpr std::string_view kVersion = "0.1.0";

// Subcommand callbacks record their outcome here; main returns it.
int exit_code();
void set_exit_code(int code);

// Prints a result's value on stdout, or "error: <reason>" on stderr and sets exit code 1.
void emit(const Result<std::string>& result);

void add_util_commands(CLI::App& app);
void add_abi_commands(CLI::App& util);  // part of `icn util`
void add_keys_commands(CLI::App& app);

}  // namespace icn::cmd
