// read_inventory: the files of a /proc + /sys tree, statvfs and nvidia-smi, handed to the parsers.
#include "icn/host/inventory_reader.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "icn/infra/subprocess.hpp"

namespace icn::host {
namespace {

namespace fs = std::filesystem;

// /proc and /sys files report sizes of 0 or 4096 whatever they hold: read to EOF, bounded.
Result<std::string> read_small(const fs::path& path) {
  constexpr size_t kMax = 4 << 20;
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read " + path.string() + ": " + std::strerror(errno));
  std::string out;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > kMax) return fail(path.string() + " is larger than 4 MiB");
  }
  if (in.bad()) return fail("cannot read " + path.string() + ": " + std::strerror(errno));
  return out;
}

std::optional<std::string> read_optional(const fs::path& path) {
  auto r = read_small(path);
  if (!r) return std::nullopt;
  return std::move(r).value();
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

void read_disks(const fs::path& root, HostInventory& inv) {
  const fs::path block = root / "sys/block";
  for (const std::string& name : entries(block)) {
    const fs::path dev = block / name;
    // Only devices backed by hardware have device/ (loop, zram, dm and md have none).
    if (is_virtual_block_name(name) || !present(dev / "device")) continue;
    auto size = read_small(dev / "size");
    auto rotational = read_small(dev / "queue/rotational");
    if (!size || !rotational) {
      inv.notes.push_back("disk " + name + " left out: " +
                          (!size ? size.error().message : rotational.error().message));
      continue;
    }
    std::optional<std::string> model = read_optional(dev / "device/model");
    auto disk = parse_block_device(
        name, *size, *rotational,
        model ? std::optional<std::string_view>(*model) : std::optional<std::string_view>());
    if (!disk) {
      inv.notes.push_back("disk " + name + " left out: " + disk.error().message);
      continue;
    }
    if (disk->bytes == 0) continue;  // an empty slot (card reader, virtual CD)
    inv.disks.push_back(std::move(*disk));
  }
}

void read_nics(const fs::path& root, HostInventory& inv) {
  const fs::path net = root / "sys/class/net";
  for (const std::string& name : entries(net)) {
    const fs::path nic = net / name;
    // Physical interfaces have device/ (a link to their PCI or virtio device); bridges, veths,
    // tunnels and lo have none.
    if (is_virtual_interface_name(name) || !present(nic / "device")) continue;
    auto operstate = read_small(nic / "operstate");
    auto address = read_small(nic / "address");
    if (!operstate || !address) {
      inv.notes.push_back("interface " + name + " left out: " +
                          (!operstate ? operstate.error().message : address.error().message));
      continue;
    }
    std::optional<std::string> speed = read_optional(nic / "speed");  // EINVAL when link down
    auto parsed = parse_net_interface(
        name, speed ? std::optional<std::string_view>(*speed) : std::optional<std::string_view>(),
        *operstate, *address);
    if (!parsed) {
      inv.notes.push_back("interface " + name + " left out: " + parsed.error().message);
      continue;
    }
    inv.nics.push_back(std::move(*parsed));
  }
}

// nvidia-smi's answer, or nullopt when it is not installed.
Result<std::optional<std::string>> run_nvidia_smi(const InventoryOptions& o) {
  infra::SubprocessOptions so;
  so.argv = {o.nvidia_smi, "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"};
  so.stderr_to = infra::OutputTarget::discard();
  so.destructor_grace = std::chrono::milliseconds(200);
  auto child = infra::Subprocess::spawn(so);
  if (!child) return std::optional<std::string>();  // not installed: no NVIDIA GPUs to list
  const infra::Deadline deadline = infra::deadline_in(o.nvidia_smi_timeout);
  std::string out;
  for (;;) {
    ICN_TRY(infra::LineRead r, child->read_line(infra::Stream::kStdout, deadline));
    if (r.kind == infra::LineRead::Kind::kTimeout) {
      return fail("nvidia-smi did not answer within " +
                  std::to_string(o.nvidia_smi_timeout.count()) + " ms");
    }
    if (r.kind == infra::LineRead::Kind::kEof) break;
    out += r.line + "\n";
    if (out.size() > (1 << 20)) return fail("nvidia-smi printed more than 1 MiB");
  }
  auto status = child->wait_for_exit(deadline);
  if (!status) return fail("nvidia-smi did not exit in time");
  if (!status->success()) return fail("nvidia-smi: " + status->describe());
  return std::optional<std::string>(std::move(out));
}

}  // namespace

Result<HostInventory> read_inventory(const InventoryOptions& o) {
  HostInventory inv;
  ICN_TRY(std::string cpuinfo, read_small(o.root / "proc/cpuinfo"));
  ICN_TRY(inv.cpu, parse_cpuinfo(cpuinfo));
  ICN_TRY(std::string meminfo, read_small(o.root / "proc/meminfo"));
  ICN_TRY(inv.memory_bytes, parse_meminfo(meminfo));
  read_disks(o.root, inv);
  read_nics(o.root, inv);

  std::error_code ec;
  const bool live = fs::equivalent(o.root, "/", ec);
  if (!o.data_path.empty() && !live && present(o.root / "data-path.statvfs")) {
    // A captured tree's data path is the captured machine's, not a directory here.
    ICN_TRY(std::string text, read_small(o.root / "data-path.statvfs"));
    ICN_TRY(inv.data_path, parse_data_path_capture(o.data_path.string(), text));
  } else if (!o.data_path.empty()) {
    struct statvfs st {};
    if (::statvfs(o.data_path.c_str(), &st) != 0) {
      return fail("data path " + o.data_path.string() + ": " + std::strerror(errno));
    }
    ICN_TRY(inv.data_path,
            data_path_from_statvfs(o.data_path.string(), st.f_frsize, st.f_blocks, st.f_bavail));
  }

  std::optional<std::string> smi;
  if (live) {
    if (!o.nvidia_smi.empty()) {
      auto ran = run_nvidia_smi(o);
      if (!ran) {
        inv.notes.push_back("GPUs left out: " + ran.error().message);
      } else {
        smi = std::move(*ran);
      }
    }
  } else {
    smi = read_optional(o.root / "nvidia-smi.csv");
  }
  if (smi) {
    auto gpus = parse_nvidia_smi(*smi);
    if (gpus) {
      inv.gpus = std::move(*gpus);
    } else {
      inv.notes.push_back("GPUs left out: " + gpus.error().message);
    }
  }
  return inv;
}

}  // namespace icn::host
