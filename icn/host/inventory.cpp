// Pure parsers of /proc, /sys and nvidia-smi text into a HostInventory.
#include "icn/host/inventory.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>

namespace icn::host {
namespace {

constexpr uint64_t kGiB = 1ULL << 30;

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

// A decimal without sign, spaces or trailing text.
std::optional<uint64_t> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// The first line of `text` (without its '\n'); `text` keeps the rest.
std::string_view next_line(std::string_view& text) {
  size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  return line;
}

std::string shown(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string out = "\"";
  out += s.size() > kMax ? std::string(s.substr(0, kMax)) + "…" : std::string(s);
  return out + "\"";
}

// "key : value" lines split into blocks at blank lines; line numbers kept for errors.
struct Field {
  std::string key;
  std::string value;
  size_t line = 0;
};
using Block = std::vector<Field>;

Result<std::vector<Block>> split_blocks(std::string_view text, std::string_view file) {
  std::vector<Block> blocks(1);
  size_t line_no = 0;
  while (!text.empty()) {
    std::string_view line = next_line(text);
    ++line_no;
    if (trim(line).empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return fail(std::string(file) + ": line " + std::to_string(line_no) + " " + shown(line) +
                  " has no ':'");
    }
    std::string_view key = trim(line.substr(0, colon));
    if (key.empty()) {
      return fail(std::string(file) + ": line " + std::to_string(line_no) + " has an empty key");
    }
    blocks.back().push_back({std::string(key), std::string(trim(line.substr(colon + 1))), line_no});
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

const Field* find(const Block& b, std::string_view key) {
  for (const Field& f : b) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

Result<uint64_t> number_field(const Field& f, std::string_view file) {
  auto v = parse_decimal(f.value);
  if (!v) {
    return fail(std::string(file) + ": line " + std::to_string(f.line) + ": " + f.key + " " +
                shown(f.value) + " is not a number");
  }
  return *v;
}

Result<uint64_t> hex_field(const Field& f, std::string_view file) {
  std::string_view v = f.value;
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    uint64_t out = 0;
    auto [end, ec] = std::from_chars(v.data() + 2, v.data() + v.size(), out, 16);
    if (ec == std::errc() && end == v.data() + v.size()) return out;
  }
  return fail(std::string(file) + ": line " + std::to_string(f.line) + ": " + f.key + " " +
              shown(f.value) + " is not a 0x number");
}

// Arm's MIDR implementer/part pairs of server cores (Arm TRM tables; Ampere's own).
std::string arm_core_name(uint64_t implementer, uint64_t part) {
  static const std::map<std::pair<uint64_t, uint64_t>, const char*> kNames = {
      {{0x41, 0xd0c}, "ARM Neoverse-N1"},  {{0x41, 0xd40}, "ARM Neoverse-V1"},
      {{0x41, 0xd49}, "ARM Neoverse-N2"},  {{0x41, 0xd4f}, "ARM Neoverse-V2"},
      {{0x41, 0xd08}, "ARM Cortex-A72"},   {{0x41, 0xd0b}, "ARM Cortex-A76"},
      {{0xc0, 0xac3}, "Ampere AmpereOne"}, {{0x50, 0x000}, "APM X-Gene"},
  };
  if (auto it = kNames.find({implementer, part}); it != kNames.end()) return it->second;
  char buf[64];
  std::snprintf(buf, sizeof buf, "ARM implementer 0x%02llx part 0x%03llx",
                static_cast<unsigned long long>(implementer),
                static_cast<unsigned long long>(part));
  return buf;
}

bool is_mac(std::string_view s) {
  if (s.size() != 17) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2) {
      if (s[i] != ':') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<CpuInfo> parse_cpuinfo(std::string_view text) {
  constexpr std::string_view kFile = "cpuinfo";
  ICN_TRY(std::vector<Block> blocks, split_blocks(text, kFile));
  CpuInfo cpu;
  std::set<uint64_t> processors, sockets;
  std::set<std::pair<uint64_t, uint64_t>> cores;
  bool x86 = false, arm = false, topology = true;
  std::string legacy_model;  // old aarch64 kernels: a "Processor : AArch64 …" line of its own
  for (const Block& b : blocks) {
    const Field* proc = find(b, "processor");
    if (!proc) {
      // Trailer blocks without a processor (old aarch64 "Hardware : …", s390 summaries).
      if (const Field* p = find(b, "Processor")) legacy_model = p->value;
      continue;
    }
    ICN_TRY(uint64_t n, number_field(*proc, kFile));
    if (!processors.insert(n).second) {
      return fail(std::string(kFile) + ": line " + std::to_string(proc->line) + ": processor " +
                  std::to_string(n) + " is listed twice");
    }
    if (const Field* model = find(b, "model name")) {
      x86 = x86 || find(b, "vendor_id") != nullptr;
      if (cpu.model.empty()) cpu.model = model->value;
    }
    if (const Field* impl = find(b, "CPU implementer")) {
      arm = true;
      const Field* part = find(b, "CPU part");
      if (!part) {
        return fail(std::string(kFile) + ": processor " + std::to_string(n) +
                    " has a CPU implementer but no CPU part");
      }
      ICN_TRY(uint64_t i, hex_field(*impl, kFile));
      ICN_TRY(uint64_t p, hex_field(*part, kFile));
      if (cpu.model.empty()) cpu.model = arm_core_name(i, p);
    }
    const Field* phys = find(b, "physical id");
    const Field* core = find(b, "core id");
    if (phys && core) {
      ICN_TRY(uint64_t s, number_field(*phys, kFile));
      ICN_TRY(uint64_t c, number_field(*core, kFile));
      sockets.insert(s);
      cores.insert({s, c});
    } else {
      topology = false;
    }
  }
  if (processors.empty()) return fail("cpuinfo: no \"processor\" entries");
  if (cpu.model.empty()) cpu.model = legacy_model;
  if (cpu.model.empty()) return fail("cpuinfo: no model name and no CPU implementer/part");
  if (x86 && arm) return fail("cpuinfo: mixes the x86 and the aarch64 formats");
  cpu.arch = arm ? "aarch64" : "x86_64";
  cpu.threads = static_cast<uint32_t>(processors.size());
  if (topology) {
    cpu.sockets = static_cast<uint32_t>(sockets.size());
    cpu.cores = static_cast<uint32_t>(cores.size());
  } else {
    // aarch64 (and x86 guests that hide topology) list every logical CPU without core ids.
    cpu.sockets = 1;
    cpu.cores = cpu.threads;
  }
  return cpu;
}

Result<uint64_t> parse_meminfo(std::string_view text) {
  size_t line_no = 0;
  while (!text.empty()) {
    std::string_view line = next_line(text);
    ++line_no;
    if (line.substr(0, 9) != "MemTotal:") continue;
    std::string_view rest = trim(line.substr(9));
    size_t space = rest.find(' ');
    std::string_view digits = rest.substr(0, space);
    std::string_view unit = space == std::string_view::npos ? "" : trim(rest.substr(space));
    auto kb = parse_decimal(digits);
    std::string where = "meminfo: line " + std::to_string(line_no) + ": MemTotal ";
    if (!kb) return fail(where + shown(rest) + " is not a number");
    if (unit != "kB") return fail(where + "unit " + shown(unit) + " is not kB");
    if (*kb == 0) return fail(where + "is zero");
    if (*kb > (UINT64_MAX >> 10)) return fail(where + "is implausibly large");
    return *kb << 10;
  }
  return fail("meminfo: no MemTotal line");
}

Result<DiskInfo> parse_block_device(std::string_view name, std::string_view size,
                                    std::string_view rotational,
                                    std::optional<std::string_view> model) {
  const std::string what = "block device " + std::string(name);
  if (name.empty() || name.find('/') != std::string_view::npos) {
    return fail("block device name " + shown(name) + " is not a device name");
  }
  auto sectors = parse_decimal(trim(size));
  if (!sectors) return fail(what + ": size " + shown(trim(size)) + " is not a number of sectors");
  if (*sectors > (UINT64_MAX >> 9)) return fail(what + ": size is implausibly large");
  std::string_view rot = trim(rotational);
  if (rot != "0" && rot != "1") {
    return fail(what + ": queue/rotational " + shown(rot) + " is neither 0 nor 1");
  }
  DiskInfo d;
  d.name = std::string(name);
  d.bytes = *sectors << 9;
  d.rotational = rot == "1";
  if (model) {
    std::string_view m = trim(*model);
    for (char c : m) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        return fail(what + ": device/model has a control character");
      }
    }
    d.model = std::string(m);
  }
  return d;
}

Result<DataPathInfo> data_path_from_statvfs(std::string path, uint64_t fragment_size,
                                            uint64_t blocks, uint64_t blocks_available) {
  if (fragment_size == 0 || blocks == 0) {
    return fail("data path " + path + ": the file system reports no size");
  }
  if (blocks_available > blocks) {
    return fail("data path " + path + ": more blocks available than the file system has");
  }
  if (blocks > UINT64_MAX / fragment_size) {
    return fail("data path " + path + ": size overflows 64 bits");
  }
  return DataPathInfo{std::move(path), blocks * fragment_size, blocks_available * fragment_size};
}

Result<DataPathInfo> parse_data_path_capture(std::string path, std::string_view text) {
  uint64_t v[3] = {};
  std::string_view rest = trim(text);
  for (int i = 0; i < 3; ++i) {
    size_t space = rest.find(' ');
    std::string_view word = rest.substr(0, space);
    auto n = parse_decimal(word);
    if (!n) {
      return fail("data-path.statvfs " + shown(trim(text)) +
                  " is not \"FRAGMENT_SIZE BLOCKS BLOCKS_AVAILABLE\"");
    }
    v[i] = *n;
    rest = space == std::string_view::npos ? std::string_view() : trim(rest.substr(space));
    if (i < 2 && rest.empty()) {
      return fail("data-path.statvfs " + shown(trim(text)) + " has fewer than 3 numbers");
    }
  }
  if (!rest.empty())
    return fail("data-path.statvfs " + shown(trim(text)) + " has more than 3 numbers");
  return data_path_from_statvfs(std::move(path), v[0], v[1], v[2]);
}

Result<NicInfo> parse_net_interface(std::string_view name, std::optional<std::string_view> speed,
                                    std::string_view operstate, std::string_view address) {
  const std::string what = "interface " + std::string(name);
  if (name.empty() || name.find('/') != std::string_view::npos) {
    return fail("interface name " + shown(name) + " is not an interface name");
  }
  NicInfo n;
  n.name = std::string(name);
  static const std::set<std::string_view> kStates = {
      "unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"};
  std::string_view state = trim(operstate);
  if (!kStates.count(state)) return fail(what + ": operstate " + shown(state) + " is unknown");
  n.operstate = std::string(state);
  std::string_view mac = trim(address);
  if (!is_mac(mac)) return fail(what + ": address " + shown(mac) + " is not a MAC address");
  n.mac = std::string(mac);
  std::transform(n.mac.begin(), n.mac.end(), n.mac.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (speed) {
    std::string_view s = trim(*speed);
    if (s == "-1" || s.empty()) {
      // The driver does not know (virtio, link down): unknown, not an error.
    } else {
      auto v = parse_decimal(s);
      if (!v || *v > 10'000'000) return fail(what + ": speed " + shown(s) + " is not Mb/s");
      n.speed_mbps = static_cast<uint32_t>(*v);
    }
  }
  return n;
}

Result<std::vector<GpuInfo>> parse_nvidia_smi(std::string_view text) {
  std::vector<GpuInfo> gpus;
  size_t line_no = 0;
  while (!text.empty()) {
    std::string_view line = next_line(text);
    ++line_no;
    if (trim(line).empty()) continue;
    std::string where = "nvidia-smi: line " + std::to_string(line_no) + " " + shown(line);
    size_t comma = line.rfind(',');
    if (comma == std::string_view::npos) return fail(where + " is not \"name, memory\"");
    std::string_view name = trim(line.substr(0, comma));
    std::string_view mem = trim(line.substr(comma + 1));
    if (name.empty()) return fail(where + " has no GPU name");
    if (name.find(',') != std::string_view::npos) return fail(where + " has more than 2 fields");
    auto mib = parse_decimal(mem);
    if (!mib || *mib == 0) return fail(where + ": memory " + shown(mem) + " is not MiB");
    gpus.push_back({std::string(name), *mib});
  }
  return gpus;
}

bool is_virtual_interface_name(std::string_view name) {
  static constexpr std::string_view kPrefixes[] = {"lo",    "veth", "docker", "br-",     "virbr",
                                                   "tun",   "tap",  "ifb",    "dummy",   "bond",
                                                   "vxlan", "wg",   "cni",    "flannel", "kube"};
  for (std::string_view p : kPrefixes) {
    if (name.substr(0, p.size()) == p) return true;
  }
  return false;
}

bool is_virtual_block_name(std::string_view name) {
  static constexpr std::string_view kPrefixes[] = {"loop", "ram", "zram", "dm-", "md", "nbd", "sr"};
  for (std::string_view p : kPrefixes) {
    if (name.substr(0, p.size()) == p) return true;
  }
  return false;
}

std::string format_gib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / kGiB);
  return buf;
}

std::string format_tb(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f TB", static_cast<double>(bytes) / 1e12);
  return buf;
}

nlohmann::json to_json(const HostInventory& inv) {
  nlohmann::json disks = nlohmann::json::array();
  for (const DiskInfo& d : inv.disks) {
    disks.push_back(
        {{"name", d.name}, {"model", d.model}, {"bytes", d.bytes}, {"rotational", d.rotational}});
  }
  nlohmann::json nics = nlohmann::json::array();
  for (const NicInfo& n : inv.nics) {
    nics.push_back({{"name", n.name},
                    {"mac", n.mac},
                    {"speedMbps", n.speed_mbps ? nlohmann::json(*n.speed_mbps) : nullptr},
                    {"operstate", n.operstate}});
  }
  nlohmann::json gpus = nlohmann::json::array();
  for (const GpuInfo& g : inv.gpus) gpus.push_back({{"name", g.name}, {"memoryMib", g.memory_mib}});
  nlohmann::json data = nullptr;
  if (inv.data_path) {
    data = {{"path", inv.data_path->path},
            {"totalBytes", inv.data_path->total_bytes},
            {"freeBytes", inv.data_path->free_bytes}};
  }
  return {{"cpu",
           {{"model", inv.cpu.model},
            {"arch", inv.cpu.arch},
            {"sockets", inv.cpu.sockets},
            {"cores", inv.cpu.cores},
            {"threads", inv.cpu.threads}}},
          {"memoryBytes", inv.memory_bytes},
          {"disks", disks},
          {"dataPath", data},
          {"nics", nics},
          {"gpus", gpus},
          {"notes", inv.notes}};
}

}  // namespace icn::host
