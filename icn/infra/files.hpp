// Reading and writing whole files, with atomic replace so a crash never leaves half a file.
#pragma once

#include <filesystem>
#include <string>

#include "icn/core/result.hpp"

namespace icn::infra {

// Refuses files above max_bytes so a wrong path (a disk image, /dev/zero) fails fast.
Result<std::string> read_file(const std::filesystem::path& path, size_t max_bytes = 64 << 20);

// Writes to a temporary file beside `path`, fsyncs, then renames over `path`.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content,
                         std::filesystem::perms perms = std::filesystem::perms::owner_read |
                                                        std::filesystem::perms::owner_write);

}  // namespace icn::infra
